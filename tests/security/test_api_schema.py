"""schemathesis against the API's own OpenAPI document: no request, however odd, gets a server error.

Every operation of /api/openapi.json is called through Django's WSGI application in this process (no
network server), authenticated as the demo province administrator, with requests schemathesis derives
from the schema: valid ones, and invalid ones (wrong types, missing fields, odd strings, random file
uploads). Each test runs in a transaction that is rolled back, so the writing routes may be called too;
the data directory is a fresh temporary one. The budget is small and derandomized, so CI sees the same
requests on every run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from ansinh.api import api

#: Requests per operation in the fuzzing phase (the schema's examples and the coverage phase's boundary
#: cases come on top); CI runs the whole module in about a minute. ANSINH_FUZZ_EXAMPLES=200 digs deeper.
MAX_EXAMPLES = int(os.environ.get("ANSINH_FUZZ_EXAMPLES", "12"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


def _application(environ, start_response):
    """Django's WSGI application, without closing the test's database connection when a request starts or
    ends (Django's own test client does the same), so every request sees the test's transaction. On
    PostgreSQL the check at the start would close it: a connection inside the test's transaction is not in
    autocommit mode, which Django takes for an unusable one."""
    from ansinh.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return [body]


@pytest.fixture
def bearer(db, settings, tmp_path):
    """The demo province administrator's token, and a data directory of this test's own holding the tiny
    person extract of Ninh Kiều and three employers with a ledger, so the routes reach past "no data yet"."""
    from ansinh.accounts.services import token_issue
    from ansinh.employers import storage
    from tests.coverage.conftest import AS_OF, _ninh_kieu_rows
    from tests.coverage.factories import frames, write_parquet
    from tests.employers.test_views import _ledger, _units

    settings.DATA_DIR = write_parquet(tmp_path, *frames(*_ninh_kieu_rows()), as_of=AS_OF)
    storage.dataset_write("units", _units())
    storage.dataset_write("ledger", _ledger())
    key, _ = token_issue(username="tinh", password="demo-password-123")
    return {"Authorization": f"Bearer {key}"}


#: Spark starts a JVM per run, far beyond this module's budget; the engines are compared in tests/coverage.
COMPUTE = "POST /api/v1/coverage/compute"


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case, bearer):
    if case.operation.label == COMPUTE and isinstance(case.body, dict) and case.body.get("engine") == "pyspark":
        case.body["engine"] = "duckdb"
    case.call_and_validate(
        app=_application, headers=bearer,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


def test_a_huge_horizon_of_open_duties_is_refused_not_a_server_error(client, bearer):
    """Found by schemathesis: `within_days=10**20` overflowed the date arithmetic (500); now bounded (422)."""
    answer = client.get("/api/v1/tasks/open", {"within_days": 10**20}, headers=bearer)
    assert answer.status_code == 422
    assert client.get("/api/v1/tasks/open", {"within_days": 366}, headers=bearer).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/units", "/api/v1/plans/{plan}/targets"])
@pytest.mark.parametrize("parameter", ["offset", "limit"])
def test_pages_beyond_64_bits_are_refused_not_a_server_error(client, bearer, plan, path, parameter):
    """Found by schemathesis: `offset=1595288529681674141696` reached SQLite (500); now bounded (422)."""
    answer = client.get(path.format(plan=plan.pk), {parameter: 2**70}, headers=bearer)
    assert answer.status_code == 422
