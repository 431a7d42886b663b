"""The administrators' optional second factor: turning it on and off, the log-in's code step, the API's
token route, replayed and guessed codes, and who may use it."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp
import pytest

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import LoginFailure, User
from ansinh.accounts.twofactor import totp_begin, totp_confirm

PASSWORD = "demo-password-123"
pytestmark = pytest.mark.django_db


def _code(secret: str, steps_from_now: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(timezone.utc)) + steps_from_now)


@pytest.fixture
def admin_with_code(admin_user) -> User:
    """The province administrator with the second factor on (the step of "now" already spent)."""
    totp_begin(actor=admin_user)
    totp_confirm(actor=admin_user, code=_code(admin_user.totp_secret))
    return admin_user


def _log_in(client, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": "tinh", "password": password})


def test_turning_it_on_takes_a_code_from_the_scanned_secret(admin_client, admin_user):
    page = admin_client.post("/accounts/two-factor/", {"action": "begin"}).content.decode()
    admin_user.refresh_from_db()
    assert admin_user.totp_secret and not admin_user.has_second_factor
    assert "<svg" in page and admin_user.totp_secret in page  # the QR code, and the key to type by hand
    wrong = admin_client.post("/accounts/two-factor/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 422 and "Mã không đúng" in wrong.content.decode()
    admin_user.refresh_from_db()
    assert not admin_user.has_second_factor
    ok = admin_client.post("/accounts/two-factor/", {"action": "confirm", "code": _code(admin_user.totp_secret)})
    assert ok.status_code == 200 and "Đã bật" in ok.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.has_second_factor
    assert AuditEvent.objects.filter(action="totp.enabled", actor=admin_user).count() == 1


def test_the_password_alone_leads_only_to_the_code_page(client, admin_with_code):
    response = _log_in(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert client.get("/").status_code == 302, "not logged in before the code"
    assert not AuditEvent.objects.filter(action="login").exists()
    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    assert wrong.status_code == 422 and "không đúng" in wrong.content.decode()
    assert LoginFailure.objects.filter(username="tinh").count() == 1
    assert AuditEvent.objects.filter(action="login.failed", detail__step="totp").count() == 1
    right = client.post("/accounts/login/code/", {"code": _code(admin_with_code.totp_secret, 1)})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=admin_with_code).count() == 1


def test_a_code_is_used_once(client, admin_with_code):
    code = _code(admin_with_code.totp_secret, 1)
    _log_in(client)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    _log_in(client)
    replay = client.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 422 and client.get("/").status_code == 302


def test_guessing_codes_locks_the_account(client, admin_with_code):
    _log_in(client)
    for guess in ("111111", "222222", "333333", "444444", "555555"):
        client.post("/accounts/login/code/", {"code": guess})
    locked = client.post("/accounts/login/code/", {"code": _code(admin_with_code.totp_secret, 1)})
    assert "tạm khóa" in locked.content.decode()
    assert client.get("/").status_code == 302
    assert "tạm khóa" in _log_in(client).content.decode(), "the password page is locked too"


def test_the_code_page_needs_a_password_just_accepted(client):
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


def test_the_api_token_needs_the_code_too(client, admin_with_code):
    body = {"username": "tinh", "password": PASSWORD}
    missing = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert missing.status_code == 401 and "otp" in missing.json()["detail"]
    wrong = client.post("/api/v1/auth/token", {**body, "otp": "000000"}, content_type="application/json")
    assert wrong.status_code == 401
    ok = client.post("/api/v1/auth/token", {**body, "otp": _code(admin_with_code.totp_secret, 1)}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["token"]


def test_turning_it_off_takes_the_password_and_a_code(client, admin_with_code):
    client.force_login(admin_with_code)
    code = _code(admin_with_code.totp_secret, 1)
    no_password = client.post("/accounts/two-factor/", {"action": "disable", "password": "sai", "code": code})
    assert no_password.status_code == 422
    admin_with_code.refresh_from_db()
    assert admin_with_code.has_second_factor
    off = client.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD, "code": code})
    assert off.status_code == 200 and "Đã tắt" in off.content.decode()
    admin_with_code.refresh_from_db()
    assert not admin_with_code.has_second_factor and not admin_with_code.totp_secret
    assert AuditEvent.objects.filter(action="totp.disabled").count() == 1
    assert _log_in(client).status_code == 302 and client.get("/").status_code == 200


def test_only_administrators_have_it(editor_client):
    assert editor_client.get("/accounts/two-factor/").status_code == 403
    assert "two-factor-link" not in editor_client.get("/").content.decode()


def test_the_qr_code_is_the_otpauth_address(admin_client, admin_user):
    page = admin_client.post("/accounts/two-factor/", {"action": "begin"}).content.decode()
    admin_user.refresh_from_db()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', page).group(1)
    assert secret == admin_user.totp_secret
    uri = pyotp.TOTP(secret).provisioning_uri(name="tinh", issuer_name="An Sinh")
    assert uri.startswith("otpauth://totp/An%20Sinh:tinh?secret=")


def test_a_lost_phone_is_reset_from_the_command_line(admin_with_code):
    from typer.testing import CliRunner

    from ansinh import cli

    result = CliRunner().invoke(cli.app, ["users", "reset-two-factor", "tinh"])
    assert result.exit_code == 0, result.output
    admin_with_code.refresh_from_db()
    assert not admin_with_code.has_second_factor
    assert AuditEvent.objects.filter(action="totp.reset", detail__username="tinh").count() == 1
    unknown = CliRunner().invoke(cli.app, ["users", "reset-two-factor", "khong-co"])
    assert unknown.exit_code != 0 and "khong-co" in unknown.output
