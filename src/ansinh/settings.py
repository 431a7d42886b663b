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
    "ansinh.core",
    "ansinh.accounts",
    "ansinh.targets",
    "ansinh.coverage",
    "ansinh.employers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ansinh.core.middleware.VietnameseFirstLocaleMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

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
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default for forms

# Bearer tokens for scripts (POST /api/v1/auth/token) expire after this many hours.
ANSINH_TOKEN_TTL_HOURS = int(os.environ.get("ANSINH_TOKEN_TTL_HOURS", "12"))
#: The province this deployment serves: its employer registries and ledger are imported against its communes.
ANSINH_PROVINCE = os.environ.get("ANSINH_PROVINCE", "92")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANSINH_LOG_LEVEL", "WARNING")},
}
