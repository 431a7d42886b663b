"""Writes about users: audit rows, API tokens, accounts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import ApiToken, User
from ansinh.audit.services import audit_record
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, username: str, password: str, otp: str = "") -> tuple[str, ApiToken]:
    """Check the password (and the two-factor code of an account that has one) and return a new bearer
    token (shown once) and its row. Guessing is throttled as on the log-in page (the same backend, the same
    lockout)."""
    from ansinh.accounts.security import lock_message, lock_minutes_left
    from ansinh.accounts.twofactor import second_factor_check

    if minutes := lock_minutes_left(username=username, address=None):
        raise PermissionDenied(lock_message(minutes))
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise PermissionDenied("Tên đăng nhập hoặc mật khẩu không đúng.")
    if user.has_second_factor:
        if not otp.strip():
            raise PermissionDenied("Tài khoản này bật xác thực hai bước: gửi kèm mã 6 chữ số trong trường “otp”.")
        second_factor_check(user=user, code=otp, address=None)
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=_hash(key),
            prefix=key[:8],
            expires_at=timezone.now() + timedelta(hours=settings.ANSINH_TOKEN_TTL_HOURS),
        )
        audit_record(actor=user, action="token.issue", obj=token)
    return key, token


def token_authenticate(*, key: str) -> User | None:
    """The user behind a live token, or None when it is unknown, expired or revoked."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or token.revoked_at is not None or token.expires_at <= timezone.now():
        return None
    return token.user if token.user.is_active else None


def token_revoke(*, actor: User, key: str) -> None:
    """Revoke a token; a user may revoke only their own."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(key_hash=_hash(key), user=actor).first()
        if token is None:
            raise ValidationFailed("Không tìm thấy mã truy cập này.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="token.revoke", obj=token)


def user_ensure(
    *, actor: User, username: str, org_unit: OrgUnit, role: str, password_hash: str
) -> tuple[User, bool]:
    """Create the user if missing (demo and set-up scripts call this repeatedly; it must be safe to rerun).

    Takes a ready password hash so creating a hundred demo users hashes the password once.
    """
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username, defaults={"org_unit": org_unit, "role": role, "password": password_hash}
        )
        if not created and (user.org_unit_id != org_unit.pk or user.role != role or user.password != password_hash):
            user.org_unit, user.role, user.password = org_unit, role, password_hash
            user.save(update_fields=["org_unit", "role", "password"])
        if created:
            audit_record(actor=actor, action="user.create", obj=user, role=role, org_unit=org_unit.code)
    return user, created


def user_set(*, actor: User, username: str, unit_code: str, role: str, password: str) -> User:
    """Create or update an account with its scope unit and role (the `ansinh users add` command)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if role not in User.Role.values:
        raise ValidationFailed(f"Vai trò “{role}” không hợp lệ: {', '.join(User.Role.values)}.")
    unit = OrgUnit.objects.current().filter(code=unit_code).first()
    if unit is None:
        raise ValidationFailed(f"Không có đơn vị mã “{unit_code}”.")
    try:
        validate_password(password, user=User(username=username))
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages)) from None
    user, _ = user_ensure(actor=actor, username=username, org_unit=unit, role=role, password_hash=make_password(password))
    return user

