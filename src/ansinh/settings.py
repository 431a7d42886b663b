"""Django settings for An Sinh.

Everything that differs between a laptop demo and a production province comes from the environment:
`DATABASE_URL` (default: SQLite under ./var), `ANSINH_DATA_DIR`, `ANSINH_SECRET_KEY`, `ANSINH_DEBUG`,
`ANSINH_ALLOWED_HOSTS`. Each setting is listed in docs/settings.md (a test keeps that list complete).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import plotly

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ANSINH_VAR_DIR", Path.cwd() / "var")).resolve()
DATA_DIR = Path(os.environ.get("ANSINH_DATA_DIR", VAR_DIR / "data")).resolve()


def _secret_key() -> str:
    """Read the key from the environment, or keep one generated key in ./var so sessions survive restarts."""
    if key := os.environ.get("ANSINH_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("ANSINH_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ANSINH_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI's files itself, so /api/docs works with no network
    "ansinh.units",
    "ansinh.audit",
    "ansinh.accounts",
    "ansinh.web",
    "ansinh.rules",
    "ansinh.targets",
    "ansinh.coverage",
    "ansinh.employers",
    "ansinh.tasks",
    "ansinh.plans",
    "ansinh.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ansinh.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ansinh.web.middleware.SessionRenewalMiddleware",
    "ansinh.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ansinh.urls"
WSGI_APPLICATION = "ansinh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ansinh.tasks.context.waiting_duties",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ansinh.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; the timeout waits out a writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "targets:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Strong passwords (Decree 13/2023 asks for measures against leaks): long, not common, not all digits,
# not close to the user's own name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# Password guessing: after this many failures for one user name within the window, log-ins for it are
# refused until the window has passed (an address gets four times as many, over all user names).
AUTHENTICATION_BACKENDS = ["ansinh.accounts.security.ThrottledBackend"]
ANSINH_LOGIN_MAX_FAILURES = int(os.environ.get("ANSINH_LOGIN_MAX_FAILURES", "5"))
ANSINH_LOGIN_LOCK_MINUTES = int(os.environ.get("ANSINH_LOGIN_LOCK_MINUTES", "15"))

# Vietnamese first; English is one click away. Source strings are written in Vietnamese.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving through the finders
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    # Plotly's JavaScript ships inside the Python package: the charts work with no network.
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
WHITENOISE_USE_FINDERS = True  # serve static files without a collectstatic step in the demo

SESSION_COOKIE_HTTPONLY = True
# A session ends after this many minutes without a request (renewed at most once a minute while used:
# ansinh.web.middleware.SessionRenewalMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("ANSINH_SESSION_MINUTES", "30")) * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Served over HTTPS (behind a reverse proxy that sets X-Forwarded-Proto): cookies only over HTTPS,
# HTTP redirected, and browsers told to insist on HTTPS for a year (HSTS).
if os.environ.get("ANSINH_HTTPS") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default for forms

# Bearer tokens for scripts (POST /api/v1/auth/token) expire after this many hours.
ANSINH_TOKEN_TTL_HOURS = int(os.environ.get("ANSINH_TOKEN_TTL_HOURS", "12"))
#: The province this deployment serves: its employer registries and ledger are imported against its communes.
ANSINH_PROVINCE = os.environ.get("ANSINH_PROVINCE", "92")

# Reminders of the plan's tasks (`ansinh tasks remind`) go out by e-mail. Without an SMTP host they are
# written to the console, so the demo and a fresh clone never try to reach a mail server.
EMAIL_HOST = os.environ.get("ANSINH_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("ANSINH_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("ANSINH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ANSINH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_PORT == 587
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("ANSINH_EMAIL_FROM", "An Sinh <ansinh@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANSINH_LOG_LEVEL", "WARNING")},
}
