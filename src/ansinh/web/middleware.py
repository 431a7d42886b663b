"""Middleware of our own: Vietnamese first (the interface is Vietnamese unless the user chose English with
the language switch), the security headers Django does not set, and sessions renewed without a write per
request."""

from __future__ import annotations

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Officials often use browsers set up in English; the language they see should be the one they picked
    (kept in the language cookie by /i18n/setlang/), else Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


#: No inline or foreign script may run: every script is a file An Sinh serves. Inline styles are allowed
#: (Plotly and htmx set element styles); nothing may frame the pages or post forms elsewhere.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: Pages that are not An Sinh's own markup: django-ninja's Swagger UI loads its script from a CDN and
#: starts it inline (it only works with a network connection anyway).
CSP_EXEMPT_PREFIXES = ("/api/docs",)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """The headers Django 5.2 does not set itself: a Content-Security-Policy and a Permissions-Policy.
    (Frame denial, nosniff, the referrer policy and HSTS come from Django's own middleware and settings.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(CSP_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


#: A session's idle clock is reset at most this often (seconds).
SESSION_RENEW_SECONDS = 60


class SessionRenewalMiddleware:
    """Keep a session alive while it is used, writing it at most once a minute.

    A session ends after ANSINH_SESSION_MINUTES without a request. Django's SESSION_SAVE_EVERY_REQUEST
    would write the session row (and wait for the database's commit) on every page and API call; renewing
    once a minute keeps the idle limit to within a minute at a sixtieth of the writes. Must come after
    SessionMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key:
            now = int(time.time())
            if now - session.get("_renewed", 0) >= SESSION_RENEW_SECONDS:
                session["_renewed"] = now  # a changed session is saved with a fresh expiry and cookie
        return self.get_response(request)
