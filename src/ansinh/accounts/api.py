"""/api/v1/auth: bearer tokens for scripts, and who the caller is; `BearerAuth` is the API's token check."""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from ansinh.accounts.models import User
from ansinh.accounts.services import token_authenticate, token_issue, token_revoke
from ansinh.core.errors import PermissionDenied


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <key>` for scripts; the key is kept on the request so it can be revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(key=token)
        if user is not None:
            # Services get the actor from request.auth; Django code reads request.user: both are the user.
            request.user = user
            request.bearer_key = token  # type: ignore[attr-defined]
        return user


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""  # the six-digit code, for an account with two-factor authentication on


class TokenOut(Schema):
    token: str
    expires_at: datetime


class ErrorOut(Schema):
    """The shape of every error answer (see ansinh.api)."""

    detail: str
    errors: list[dict] = []


class MeOut(Schema):
    username: str
    role: str
    org_unit: str | None


@router.post("/token", auth=None, response={201: TokenOut, 401: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password (and `otp`, the two-factor code, when the account has one) for a
    bearer token (shown once; expires after ANSINH_TOKEN_TTL_HOURS)."""
    try:
        key, token = token_issue(username=payload.username, password=payload.password, otp=payload.otp)
    except PermissionDenied as exc:
        # Wrong credentials mean "not authenticated" in HTTP terms (401), not "forbidden" (403).
        return Status(401, ErrorOut(detail=exc.message))
    return Status(201, TokenOut(token=key, expires_at=token.expires_at))


@router.delete("/token", auth=BearerAuth(), response={204: None})
def token_delete(request: HttpRequest):
    """Revoke the token this call was made with (a session cannot name a token, so only bearer is accepted)."""
    token_revoke(actor=request.auth, key=request.bearer_key)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    user = request.auth
    return MeOut(username=user.username, role=user.role, org_unit=user.org_unit.code if user.org_unit_id else None)
