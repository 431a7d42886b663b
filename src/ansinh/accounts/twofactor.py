"""The optional second factor for administrators: a six-digit code from an authenticator app (TOTP).

An administrator can change every target and see every commune's lists of people, so a stolen password
alone should not be enough. The code is RFC 6238's (30-second steps, six digits, SHA-1: what Google
Authenticator, Microsoft Authenticator, FreeOTP and the like expect). A code is accepted one step early or
late (clocks drift), and never twice: the last step used is kept.

Turning it on takes a code from the new secret, so a secret the phone never scanned cannot lock anyone
out; turning it off takes the password and a code. Both are audited. Wrong codes count as failed log-ins
(`accounts.security`), so guessing six digits is throttled and locked out like guessing a password.
"""

from __future__ import annotations

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import LoginFailure, User
from ansinh.audit.services import audit_record
from ansinh.core.errors import PermissionDenied, ValidationFailed

ISSUER = "An Sinh"
#: Steps accepted either side of now: 30 s of clock drift each way.
DRIFT_STEPS = 1


def _may_use(user: User) -> None:
    if not user.is_province_admin:
        raise PermissionDenied("Xác thực hai bước dành cho tài khoản quản trị.")


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def _clean(code: str) -> str:
    """What the person typed, without the spaces apps show in the middle ("123 456")."""
    return "".join((code or "").split())


def setup_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return _totp(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def setup_qr_svg(user: User) -> str:
    """The QR code of `setup_uri`, as inline SVG (no image file, no script: fits the page's CSP)."""
    return segno.make(setup_uri(user), error="m").svg_inline(scale=5, dark="#111827", omitsize=False)


def totp_begin(*, actor: User) -> User:
    """Give the administrator a new secret to scan; it takes effect only once `totp_confirm` sees a code."""
    _may_use(actor)
    if actor.has_second_factor:
        raise ValidationFailed("Xác thực hai bước đang bật; tắt trước khi tạo mã bí mật mới.")
    actor.totp_secret = pyotp.random_base32()
    actor.totp_confirmed_at = None
    actor.totp_last_step = None
    actor.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    return actor


def _matching_step(user: User, code: str) -> int | None:
    """The time step whose code this is (within the drift), or None."""
    code = _clean(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = _totp(user.totp_secret)
    now = timezone.now()
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _use_code(user: User, code: str) -> bool:
    """Check the code and spend its step, atomically: two requests cannot both use one code."""
    step = _matching_step(user, code)
    if step is None:
        return False
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        if fresh.totp_last_step is not None and step <= fresh.totp_last_step:
            return False
        User.objects.filter(pk=user.pk).update(totp_last_step=step)
    user.totp_last_step = step
    return True


def totp_confirm(*, actor: User, code: str) -> User:
    """Turn the second factor on with a first code from the scanned secret."""
    _may_use(actor)
    if not actor.totp_secret or actor.has_second_factor:
        raise ValidationFailed("Chưa có mã bí mật chờ xác nhận: bấm “Bật xác thực hai bước” trước.")
    if not _use_code(actor, code):
        raise ValidationFailed("Mã không đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực.")
    actor.totp_confirmed_at = timezone.now()
    actor.save(update_fields=["totp_confirmed_at"])
    audit_record(actor=actor, action="totp.enabled", obj=actor)
    return actor


def totp_disable(*, actor: User, password: str, code: str) -> User:
    """Turn the second factor off: the password and a current code, so neither alone is enough."""
    if not actor.has_second_factor:
        raise ValidationFailed("Xác thực hai bước chưa bật.")
    if not actor.check_password(password or ""):
        raise ValidationFailed("Mật khẩu không đúng.")
    if not _use_code(actor, code):
        raise ValidationFailed("Mã không đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực.")
    actor.totp_secret, actor.totp_confirmed_at, actor.totp_last_step = "", None, None
    actor.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(actor=actor, action="totp.disabled", obj=actor)
    return actor


def second_factor_check(*, user: User, code: str, address: str | None) -> None:
    """At log-in, after the password: a wrong or reused code is a failed log-in (throttled, audited)."""
    if _use_code(user, code):
        return
    LoginFailure.objects.create(username=user.username.lower(), address=address)
    audit_record(actor=None, action="login.failed", username=user.username, address=address, step="totp")
    raise PermissionDenied("Mã xác thực hai bước không đúng hoặc đã dùng.")


def totp_reset(*, actor: User, username: str) -> User:
    """For an administrator who lost the phone: another administrator (or the server's operator, from the
    command line) turns the second factor off; the owner turns it on again with a new secret."""
    if not actor.is_province_admin:
        raise PermissionDenied("Chỉ quản trị viên mới đặt lại được xác thực hai bước.")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationFailed(f"Không có tài khoản “{username}”.")
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = "", None, None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(actor=actor, action="totp.reset", obj=user, username=user.username)
    return user
