"""Shared fixtures: the official units and the Cần Thơ 2025 demo are loaded once per test session.

Every test then runs inside a transaction that is rolled back, so tests see the same data and cannot
disturb one another. Browser tests (tests/e2e) need committed data and a live server; they run last.
"""

from __future__ import annotations

import os

import pytest

from django.conf import settings  # noqa: E402 - pytest-django has configured the settings by now

# Hashing a password the production way takes ~0.5 s; tests log in often and need no such strength.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load Cần Thơ's 103 communes, the plan 53/KH-UBND and ten months of actuals once."""
    from ansinh.demo.services import demo_load

    with django_db_blocker.unblock():
        demo_load(password="demo-password-123", months=10)


@pytest.fixture
def province(db):
    from ansinh.units.models import OrgUnit

    return OrgUnit.objects.get(code="92", valid_to__isnull=True)


@pytest.fixture
def admin_user(db):
    from ansinh.accounts.models import User

    return User.objects.get(username="tinh")


@pytest.fixture
def commune_editor(db):
    """The editor of Phường Ninh Kiều (31135)."""
    from ansinh.accounts.models import User

    return User.objects.get(username="xa-31135")


@pytest.fixture
def admin_client(client, admin_user):
    """A browser session logged in as the province administrator."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def editor_client(client, commune_editor):
    """A browser session logged in as the editor of Phường Ninh Kiều."""
    client.force_login(commune_editor)
    return client


@pytest.fixture
def plan(db):
    from ansinh.targets.models import Plan

    return Plan.objects.get(number="53/KH-UBND")


#: The engines every engine test runs on: DuckDB always, PySpark with --pyspark (as CI does).
ENGINES = ["duckdb", pytest.param("pyspark", marks=pytest.mark.pyspark)]


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """The engine a test written once runs on (rule 9: every engine test runs on both backends)."""
    return request.param


def pytest_addoption(parser):
    parser.addoption("--pyspark", action="store_true", help="also run the engine tests on PySpark (needs Java 17)")


def pytest_collection_modifyitems(config, items):
    """Browser tests flush the database when they end, so they run after every other test.

    In CI (`ANSINH_REQUIRE_BROWSER=1`) a missing browser is an error, never a quiet skip.
    """
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath).replace(os.sep, "/"))
    if not config.getoption("--pyspark"):
        skip = pytest.mark.skip(reason="PySpark tests run with --pyspark (CI turns them on)")
        for item in items:
            if "pyspark" in item.keywords:
                item.add_marker(skip)
    if os.environ.get("ANSINH_REQUIRE_BROWSER") == "1" and not os.path.exists("/usr/bin/chromium"):
        raise pytest.UsageError("ANSINH_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")


@pytest.fixture
def operator(db):
    """The server operator's audited `system` account: who the CLI without `--as`, the demo and scheduled
    jobs act as (a superuser, so every check passes, and every audit row names it)."""
    from ansinh.accounts.models import User

    return User.objects.system()
