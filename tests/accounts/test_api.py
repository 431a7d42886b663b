"""The API's doors: bearer tokens (issue, use, expire, revoke), sessions with CSRF, and 401 everywhere else."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ansinh.accounts.models import ApiToken
from ansinh.audit.models import AuditEvent

PASSWORD = "demo-password-123"

#: Routes that answer without logging in.
OPEN_ROUTES = {("post", "/api/v1/auth/token")}


def _issue(client: Client, username: str = "tinh", password: str = PASSWORD):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _all_routes(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    return [(method, path) for path, methods in schema["paths"].items() for method in methods]


@pytest.mark.django_db
def test_token_is_issued_and_identifies_the_user(client):
    answer = _issue(client)

    assert answer.status_code == 201
    body = answer.json()
    assert len(body["token"]) >= 32
    assert datetime.fromisoformat(body["expires_at"]) > timezone.now() + timedelta(hours=settings.ANSINH_TOKEN_TTL_HOURS, minutes=-1)
    me = client.get("/api/v1/auth/me", headers=_bearer(body["token"]))
    assert me.status_code == 200
    assert me.json() == {"username": "tinh", "role": "admin", "org_unit": "92"}
    token = ApiToken.objects.get(prefix=body["token"][:8])
    assert body["token"] not in token.key_hash  # only a hash is kept
    assert AuditEvent.objects.filter(action="token.issue", object_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_commune_editor_token_names_their_commune(client):
    key = _issue(client, "xa-31135").json()["token"]

    assert client.get("/api/v1/auth/me", headers=_bearer(key)).json() == {
        "username": "xa-31135", "role": "editor", "org_unit": "31135",
    }


@pytest.mark.django_db
def test_wrong_password_is_401_in_vietnamese_and_issues_nothing(client):
    before = ApiToken.objects.count()

    answer = _issue(client, "tinh", "wrong-password")

    assert answer.status_code == 401
    assert "mật khẩu không đúng" in answer.json()["detail"]
    assert _issue(client, "nobody-here").status_code == 401
    assert ApiToken.objects.count() == before


@pytest.mark.django_db
def test_missing_fields_are_422(client):
    answer = client.post("/api/v1/auth/token", {"username": "tinh"}, content_type="application/json")

    assert answer.status_code == 422


@pytest.mark.django_db
def test_expired_token_is_refused(client):
    key = _issue(client).json()["token"]
    assert client.get("/api/v1/auth/me", headers=_bearer(key)).status_code == 200

    ApiToken.objects.filter(prefix=key[:8]).update(expires_at=timezone.now() - timedelta(seconds=1))

    answer = client.get("/api/v1/auth/me", headers=_bearer(key))
    assert answer.status_code == 401
    assert "Chưa đăng nhập" in answer.json()["detail"]


@pytest.mark.django_db
def test_unknown_token_is_refused(client):
    assert client.get("/api/v1/auth/me", headers=_bearer("not-a-real-token")).status_code == 401


@pytest.mark.django_db
def test_revoking_the_token_used_for_the_call(client):
    key = _issue(client).json()["token"]
    other = _issue(client).json()["token"]

    answer = client.delete("/api/v1/auth/token", headers=_bearer(key))

    assert answer.status_code == 204
    token = ApiToken.objects.get(prefix=key[:8])
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()
    assert client.get("/api/v1/auth/me", headers=_bearer(key)).status_code == 401
    assert client.delete("/api/v1/auth/token", headers=_bearer(key)).status_code == 401
    assert client.get("/api/v1/auth/me", headers=_bearer(other)).status_code == 200  # only that token went


@pytest.mark.django_db
def test_revoking_needs_a_bearer_token_not_a_session(client, admin_user):
    client.force_login(admin_user)

    assert client.delete("/api/v1/auth/token").status_code == 401


@pytest.mark.django_db
def test_browser_session_authenticates(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/api/v1/auth/me").json()["username"] == "tinh"


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(admin_user, plan):
    """A session cookie alone must not let another site write: unsafe methods check CSRF."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    body = {"indicator": "bhyt.participants", "parent": "92", "method": "proportional"}
    audit_rows = AuditEvent.objects.count()

    answer = browser.post(f"/api/v1/plans/{plan.pk}/allocate", body, content_type="application/json")

    assert answer.status_code == 403
    assert AuditEvent.objects.count() == audit_rows
    assert browser.get("/api/v1/auth/me").status_code == 200  # reads need no CSRF token


@pytest.mark.django_db
def test_bearer_writes_need_no_csrf_token(plan):
    """Scripts hold no cookie, so CSRF does not apply to them."""
    script = Client(enforce_csrf_checks=True)
    key = _issue(script).json()["token"]

    answer = script.post(
        f"/api/v1/targets/{plan.targets.get(unit__code='31135', indicator='bhyt.participants').pk}/lock",
        {"locked": True}, content_type="application/json", headers=_bearer(key),
    )

    assert answer.status_code == 200


@pytest.mark.django_db
def test_every_route_but_token_issue_needs_authentication(client):
    routes = _all_routes(client)
    assert len(routes) >= 16

    for method, path in routes:
        if (method, path) in OPEN_ROUTES:
            continue
        url = re.sub(r"\{id\}", "1", path).replace("{code}", "92")
        answer = getattr(client, method)(url, content_type="application/json")
        assert answer.status_code == 401, (method, path, answer.status_code)
        assert answer.json()["detail"].startswith("Chưa đăng nhập")


@pytest.mark.django_db
def test_docs_and_openapi_load_without_authentication(client):
    docs = client.get("/api/docs")
    schema = client.get("/api/openapi.json")

    assert docs.status_code == 200
    assert b"openapi.json" in docs.content
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "An Sinh API"
    assert {"/api/v1/auth/token", "/api/v1/attainment", "/api/v1/plans/{id}/allocate"} <= set(schema.json()["paths"])
    assert {"BearerAuth", "SessionAuth"} <= set(schema.json()["components"]["securitySchemes"])
