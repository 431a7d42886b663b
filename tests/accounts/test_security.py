"""Log-in protection, the audit of log-ins, the append-only log and its auditor, and the security headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import LoginFailure, User
from ansinh.accounts.services import user_set
from ansinh.core.errors import ValidationFailed

PASSWORD = "demo-password-123"
pytestmark = pytest.mark.django_db


def _log_in(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_log_ins_failed_log_ins_and_log_outs_are_audited(client):
    assert _log_in(client, "tinh", "sai-mat-khau").status_code == 200
    failed = AuditEvent.objects.get(action="login.failed")
    assert failed.actor is None and failed.detail == {"username": "tinh", "address": "127.0.0.1"}
    assert _log_in(client, "tinh", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="login", actor__username="tinh").count() == 1
    assert not LoginFailure.objects.filter(username="tinh").exists()  # a success clears the count
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="logout", actor__username="tinh").count() == 1


def test_five_failures_lock_the_account_even_against_the_right_password(client):
    for _ in range(5):
        page = _log_in(client, "xa-31135", "doan-mo-123456").content.decode()
        assert "mật khẩu không đúng" in page
    locked = _log_in(client, "xa-31135", PASSWORD)
    assert locked.status_code == 200 and "tạm khóa, thử lại sau 15 phút" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The API's token route is behind the same lock.
    token = client.post("/api/v1/auth/token", {"username": "xa-31135", "password": PASSWORD}, content_type="application/json")
    assert token.status_code in (401, 403) and "tạm khóa" in token.json()["detail"]
    # When the window has passed, the right password works again.
    LoginFailure.objects.filter(username="xa-31135").update(at=timezone.now() - timedelta(minutes=16))
    assert _log_in(client, "xa-31135", PASSWORD).status_code == 302


def test_one_address_guessing_many_user_names_is_refused_too(client):
    for number in range(20):
        _log_in(client, f"khong-co-{number}", "doan-mo-123456")
    page = _log_in(client, "tinh", PASSWORD).content.decode()
    assert "tạm khóa" in page


def test_weak_passwords_are_refused(province, operator):
    for weak in ("ngan-qua", "123456789012", "password1234", "cantho-user-1"):
        with pytest.raises(ValidationFailed):
            user_set(actor=operator, username="cantho-user", unit_code="92", role="viewer", password=weak)
    assert user_set(actor=operator, username="cantho-user", unit_code="92", role="viewer", password="Lúa-chín-vàng-2025").pk


def test_the_audit_log_cannot_be_edited_or_deleted(admin_user):
    event = AuditEvent.objects.create(actor=admin_user, action="test.event")
    event.action = "test.changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_an_auditor_searches_the_log_and_sees_no_person(client, province, admin_user):
    auditor = User.objects.create_user("kiem-tra", password="x", org_unit=province, role=User.Role.AUDITOR)
    AuditEvent.objects.create(actor=admin_user, action="export.coverage_list", object_type="OrgUnit", object_id="31135")
    AuditEvent.objects.create(actor=None, action="login.failed", detail={"username": "tinh", "address": "10.0.0.9"})
    client.force_login(auditor)
    page = client.get("/accounts/audit/", {"action": "export."}).content.decode()
    assert "export.coverage_list" in page and "login.failed" not in page
    by_user = client.get("/accounts/audit/", {"username": "tinh"}).content.decode()
    assert "export.coverage_list" in by_user and "10.0.0.9" in by_user  # what tinh did, and what was tried as tinh
    assert 'id="audit-table"' in client.get("/accounts/audit/", {"since": "01/01/2020"}).content.decode()
    assert client.get("/accounts/audit/", {"since": "31/02/2025"}).status_code == 422
    assert client.get("/coverage/31135/").status_code == 403  # the people themselves: not for an auditor


def test_a_commune_editor_cannot_read_the_log(editor_client):
    assert editor_client.get("/accounts/audit/").status_code == 403


def test_pages_carry_the_security_headers(admin_client):
    response = admin_client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin" and "camera=()" in response["Permissions-Policy"]
    assert "Content-Security-Policy" not in admin_client.get("/api/docs")  # Swagger's own page


def test_the_pages_have_no_inline_script():
    """The CSP forbids inline scripts: a template that adds one would be broken in every browser."""
    from pathlib import Path

    import ansinh

    templates = Path(ansinh.__file__).parent / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<script " not in text.replace("<script src=", ""), template
        assert " onclick=" not in text and " onload=" not in text and "hx-on" not in text, template


def test_deploy_check_is_clean_over_https(tmp_path):
    environment = {
        **os.environ, "ANSINH_HTTPS": "1", "ANSINH_SECRET_KEY": secrets.token_urlsafe(50), "ANSINH_VAR_DIR": str(tmp_path),
        "ANSINH_ALLOWED_HOSTS": "ansinh.cantho.gov.vn", "DJANGO_SETTINGS_MODULE": "ansinh.settings",
    }
    for development_only in ("ANSINH_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # set by other tests of this run
        environment.pop(development_only, None)
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_session_in_use_is_renewed_at_most_once_a_minute(admin_client):
    """The idle limit holds (a used session gets a fresh expiry) without a database write per request."""
    import time

    from django.contrib.sessions.models import Session

    admin_client.get("/")
    key = admin_client.session.session_key
    written = Session.objects.get(pk=key).expire_date
    admin_client.get("/")
    assert Session.objects.get(pk=key).expire_date == written, "not written again within the minute"
    session = admin_client.session
    session["_renewed"] = int(time.time()) - 61
    session.save()
    stale = Session.objects.get(pk=key).expire_date
    admin_client.get("/")
    assert Session.objects.get(pk=key).expire_date > stale, "renewed once the minute has passed"
