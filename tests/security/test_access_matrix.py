"""Every web page and every API route, as every role: allowed or denied, as the access rules say.

The rules are written once below (`WEB` and `API`), route by route. A route that has no rule fails
`test_every_route_has_a_rule`, so a new page or endpoint cannot ship without someone deciding who may use
it. "Denied" is 401/403 (or the log-in page for a stranger); "allowed" is any other answer but a server
error — a 404 for an empty data directory or a 422 for a missing body still means the door was open.

The roles (docs/security.md): the province administrator, a province viewer, the editor and a viewer of
Phường Ninh Kiều (31135), an agency officer (Sở Y tế), an auditor, and a stranger (not logged in).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from ansinh.accounts.models import User
from ansinh.accounts.services import token_issue

PASSWORD = "demo-password-123"
ROLES = ("province_admin", "province_viewer", "commune_editor", "commune_viewer", "agency", "auditor", "stranger")
EVERYONE = frozenset(ROLES) - {"stranger"}
STAFF = frozenset({"province_admin", "province_viewer", "commune_editor", "commune_viewer"})  # sees people
PROVINCE_STAFF = frozenset({"province_admin", "province_viewer"})
EDITORS = frozenset({"province_admin", "commune_editor"})
ADMIN = frozenset({"province_admin"})
NOBODY = frozenset()
PUBLIC = frozenset(ROLES)


@dataclass(frozen=True)
class Case:
    url: str  # with {placeholders} filled from the fixtures' ids
    allowed: frozenset
    method: str = "GET"
    data: dict | None = None


# ---------------------------------------------------------------------------------------------- the rules

WEB: dict[str, list[Case]] = {
    "accounts:login": [Case("/accounts/login/", PUBLIC)],
    "accounts:logout": [Case("/accounts/logout/", EVERYONE, "POST")],  # a stranger is sent to the log-in page
    "accounts:audit": [Case("/accounts/audit/", frozenset({"province_admin", "auditor"}))],
    # The code step of a log-in: without a password just accepted, everyone is sent back to the log-in page.
    "accounts:login_code": [Case("/accounts/login/code/", EVERYONE)],
    "accounts:two_factor": [Case("/accounts/two-factor/", ADMIN)],
    "set_language": [Case("/i18n/setlang/", PUBLIC, "POST", {"language": "en"})],
    "targets:dashboard": [Case("/", EVERYONE)],
    "targets:unit": [Case("/units/31135/", EVERYONE), Case("/units/31120/", EVERYONE - {"commune_editor", "commune_viewer"})],
    "targets:unit_children": [Case("/units/92/children/", PROVINCE_STAFF | {"agency", "auditor"})],
    "targets:unit_export": [Case("/units/31135/export.xlsx", EVERYONE)],
    "targets:plans": [Case("/plans/", EVERYONE)],
    "targets:plan": [Case("/plans/{plan}/", EVERYONE)],
    # A commune's target is set by the province (the parent), never by the commune itself.
    "targets:plan_allocate": [
        Case("/plans/{plan}/allocate/", ADMIN, "POST", {"indicator": "bhyt.participants", "unit": "92", "method": "proportional"}),
        # A commune splits its own target among its villages and collection organizations.
        Case("/plans/{plan}/allocate/", EDITORS, "POST", {"indicator": "bhyt.participants", "unit": "31135", "method": "proportional"}),
    ],
    "targets:target_override": [Case("/plans/{plan}/targets/{target}/override/", ADMIN, "POST", {"value": "1"})],
    "targets:target_lock": [Case("/plans/{plan}/targets/{target}/lock/", ADMIN, "POST", {"locked": "1"})],
    "targets:import": [Case("/import/", EDITORS)],
    "coverage:lists": [Case("/coverage/31135/", STAFF), Case("/coverage/31120/", PROVINCE_STAFF)],
    "coverage:table": [Case("/coverage/31135/table/", STAFF)],
    "coverage:export": [Case("/coverage/31135/export.xlsx", STAFF)],
    "employers:home": [Case("/employers/", EVERYONE)],
    "employers:check": [Case("/employers/check/", EVERYONE)],
    "employers:letters": [Case("/employers/letters.docx?month=2025-10", ADMIN)],  # BHXH issues the letters
    "employers:offenders": [Case("/employers/offenders.xlsx", EVERYONE)],
    "employers:inspection": [Case("/employers/inspection.xlsx", EVERYONE)],
    "employers:employer": [Case("/employers/units/TA0001A/", EVERYONE)],
    "employers:item_status": [Case("/employers/items/{item}/status/", EDITORS, "POST", {"status": "contacted"})],
    "employers:item_match": [Case("/employers/items/{item}/match/", EDITORS, "POST", {"decision": "confirmed"})],
    "employers:overview": [Case("/employers/31135/", EVERYONE)],
    "employers:worklist": [Case("/employers/31135/worklist/", EVERYONE), Case("/employers/31120/worklist/", EVERYONE - {"commune_editor", "commune_viewer"})],
    "employers:worklist_table": [Case("/employers/31135/worklist/table/", EVERYONE)],
    "tasks:mine": [Case("/tasks/", EVERYONE)],
    "tasks:duties": [Case("/tasks/all/", EVERYONE)],
    "tasks:plan": [Case("/tasks/plans/{plan}/", EVERYONE)],
    "tasks:submit": [
        Case("/tasks/occurrences/{commune_duty}/submit/", EDITORS, "POST", {"note": "Quý I"}),
        Case("/tasks/occurrences/{agency_duty}/submit/", {"province_admin", "agency"}, "POST", {"note": "Đã làm"}),
    ],
    "tasks:attachment": [Case("/tasks/occurrences/{commune_duty}/file/", {"province_admin", "province_viewer", "commune_editor", "commune_viewer"})],
    "plans:read": [Case("/plans/read/", EVERYONE)],
    "plans:draft": [Case("/plans/drafts/{draft}/", ADMIN)],
    "reports:list": [Case("/reports/", EVERYONE)],
    "reports:make": [Case("/reports/make/", EDITORS, "POST", {"plan": "{plan}", "period": "2025-Q3"})],
    "reports:docx": [Case("/reports/{report}/report.docx", PROVINCE_STAFF | {"agency", "auditor"})],
    "reports:xlsx": [Case("/reports/{report}/annex.xlsx", PROVINCE_STAFF | {"agency", "auditor"})],
    "rules:params": [Case("/rules/", ADMIN), Case("/rules/?on=2025-04-30", ADMIN)],  # the legal figures, for administrators
}

API: dict[str, list[Case]] = {
    "POST /api/v1/auth/token": [Case("/api/v1/auth/token", PUBLIC, "POST", {"username": "tinh", "password": PASSWORD})],
    "DELETE /api/v1/auth/token": [Case("/api/v1/auth/token", EVERYONE, "DELETE")],
    "GET /api/v1/auth/me": [Case("/api/v1/auth/me", EVERYONE)],
    "GET /api/v1/units": [Case("/api/v1/units", EVERYONE)],
    "GET /api/v1/units/{code}": [Case("/api/v1/units/31135", EVERYONE), Case("/api/v1/units/31120", EVERYONE - {"commune_editor", "commune_viewer"})],
    "GET /api/v1/units/{code}/children": [Case("/api/v1/units/92/children", PROVINCE_STAFF | {"agency", "auditor"})],
    "POST /api/v1/coverage/compute": [Case("/api/v1/coverage/compute", ADMIN, "POST", {})],
    "GET /api/v1/coverage/runs/latest": [Case("/api/v1/coverage/runs/latest", EVERYONE)],
    "GET /api/v1/coverage/communes/{code}/lists/{kind}.xlsx": [Case("/api/v1/coverage/communes/31135/lists/households.xlsx", STAFF)],
    "GET /api/v1/coverage/communes/{code}/lists/{kind}": [
        Case("/api/v1/coverage/communes/31135/lists/households", STAFF),
        Case("/api/v1/coverage/communes/31120/lists/households", PROVINCE_STAFF),
    ],
    "POST /api/v1/employers/import/{dataset}": [Case("/api/v1/employers/import/units", ADMIN, "POST", {"file": ("units.csv", b"ma_dv\n")})],
    "POST /api/v1/employers/reconcile": [Case("/api/v1/employers/reconcile", ADMIN, "POST", {})],
    "GET /api/v1/employers/worklists/{code}": [Case("/api/v1/employers/worklists/31135", EVERYONE)],
    "POST /api/v1/employers/worklist/{item_id}/status": [Case("/api/v1/employers/worklist/{item}/status", EDITORS, "POST", {"status": "contacted", "note": ""})],
    "POST /api/v1/employers/worklist/{item_id}/decision": [Case("/api/v1/employers/worklist/{item}/decision", EDITORS, "POST", {"confirmed": True, "note": ""})],
    "GET /api/v1/employers/arrears": [Case("/api/v1/employers/arrears", EVERYONE)],
    "GET /api/v1/employers/units/{unit_code}/arrears": [Case("/api/v1/employers/units/TA0001A/arrears", EVERYONE)],
    "GET /api/v1/employers/check/{tax_code}": [Case("/api/v1/employers/check/1800000018", EVERYONE)],
    "GET /api/v1/employers/letters/{month}.docx": [Case("/api/v1/employers/letters/2025-10.docx", ADMIN)],
    "GET /api/v1/employers/offenders/{quarter}.xlsx": [Case("/api/v1/employers/offenders/2025-Q3.xlsx", EVERYONE)],
    "GET /api/v1/tasks/plans/{plan_id}": [Case("/api/v1/tasks/plans/{plan}", EVERYONE)],
    "GET /api/v1/tasks/open": [Case("/api/v1/tasks/open", EVERYONE)],
    "GET /api/v1/tasks/occurrences": [Case("/api/v1/tasks/occurrences", EVERYONE)],
    "POST /api/v1/tasks/occurrences/{occurrence_id}/submit": [
        Case("/api/v1/tasks/occurrences/{commune_duty}/submit", EDITORS, "POST", {"note": "Quý I"}),
        Case("/api/v1/tasks/occurrences/{agency_duty}/submit", {"province_admin", "agency"}, "POST", {"note": "Đã làm"}),
    ],
    "GET /api/v1/tasks/plans/{plan_id}/timeliness": [Case("/api/v1/tasks/plans/{plan}/timeliness", EVERYONE)],
    "POST /api/v1/plans/read": [Case("/api/v1/plans/read", EDITORS, "POST", {"file": ("kh.txt", "Số: 1/KH-UBND\nKẾ HOẠCH".encode())})],
    "GET /api/v1/plans/drafts/{draft_id}": [Case("/api/v1/plans/drafts/{draft}", ADMIN)],
    "POST /api/v1/plans/drafts/{draft_id}/save": [Case("/api/v1/plans/drafts/{draft}/save", ADMIN, "POST", {})],
    "GET /api/v1/reports": [Case("/api/v1/reports", EVERYONE)],
    "POST /api/v1/reports": [Case("/api/v1/reports", EDITORS, "POST", {"plan_id": "{plan}", "period": "2025-Q3"})],
    "GET /api/v1/reports/{report_id}": [Case("/api/v1/reports/{report}", PROVINCE_STAFF | {"agency", "auditor"})],
    "GET /api/v1/reports/{report_id}/report.docx": [Case("/api/v1/reports/{report}/report.docx", PROVINCE_STAFF | {"agency", "auditor"})],
    "GET /api/v1/reports/{report_id}/annex.xlsx": [Case("/api/v1/reports/{report}/annex.xlsx", PROVINCE_STAFF | {"agency", "auditor"})],
    "GET /api/v1/indicators": [Case("/api/v1/indicators", EVERYONE)],
    "GET /api/v1/measures": [Case("/api/v1/measures", EVERYONE)],
    "GET /api/v1/plans": [Case("/api/v1/plans", EVERYONE)],
    "GET /api/v1/plans/{id}": [Case("/api/v1/plans/{plan}", EVERYONE)],
    "GET /api/v1/plans/{id}/targets": [Case("/api/v1/plans/{plan}/targets", EVERYONE)],
    "POST /api/v1/plans/{id}/allocate": [Case("/api/v1/plans/{plan}/allocate", ADMIN, "POST", {"indicator": "bhyt.participants", "parent": "92", "method": "proportional"})],
    "POST /api/v1/targets/{id}/override": [Case("/api/v1/targets/{target}/override", ADMIN, "POST", {"value": 1})],
    "POST /api/v1/targets/{id}/lock": [Case("/api/v1/targets/{target}/lock", ADMIN, "POST", {"locked": True})],
    "POST /api/v1/actuals/import": [Case("/api/v1/actuals/import", EDITORS, "POST", {"file": ("a.csv", b"unit_code,period,measure,value\n")})],
    "GET /api/v1/attainment": [Case("/api/v1/attainment?unit=31135", EVERYONE)],
    "GET /api/v1/rules": [Case("/api/v1/rules?on=2025-10-31", EVERYONE)],  # the law's figures are public
}
#: Not pages of ours: the API's own docs and schema (open without logging in, see tests/accounts).
UNRULED = {"api:api-root", "api:openapi-json", "api:openapi-view"}


# ----------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def people(province):
    """One user per role (the demo's `tinh` and `xa-31135`, and new ones), each with a bearer token."""
    from ansinh.units.models import OrgUnit
    from ansinh.tasks.models import Agency
    from ansinh.tasks.services import agencies_ensure

    agencies_ensure(province=province)
    ninh_kieu = OrgUnit.objects.get(code="31135", valid_to__isnull=True)
    made = {
        "province_viewer": (province, User.Role.VIEWER), "commune_viewer": (ninh_kieu, User.Role.VIEWER),
        "agency": (province, User.Role.AGENCY), "auditor": (province, User.Role.AUDITOR),
    }
    users = {"province_admin": User.objects.get(username="tinh"), "commune_editor": User.objects.get(username="xa-31135")}
    for role, (unit, kind) in made.items():
        users[role] = User.objects.create_user(f"matrix-{role}", password=PASSWORD, org_unit=unit, role=kind)
    Agency.objects.get(code="so-y-te").members.add(users["agency"])
    tokens = {role: token_issue(username=user.username, password=PASSWORD)[0] for role, user in users.items()}
    return users, tokens


@pytest.fixture
def ids(plan, admin_user, tmp_path, settings, operator):
    """The objects the routes name: a commune target, a worklist item, two duties, a draft, a report."""
    from ansinh.employers.models import WorkItem
    from ansinh.plans.models import PlanDraft
    from ansinh.reports.models import Report
    from ansinh.targets.models import Target
    from ansinh.tasks.models import Agency
    from ansinh.tasks.services import DueRule, task_create

    settings.DATA_DIR = tmp_path  # no person-level or employer data: pages answer "no data", not 5xx
    target = Target.objects.filter(plan=plan, unit__code="31135").first()
    commune = target.unit
    item = WorkItem.objects.create(kind="uncertain", key="tax:1800000018", commune=commune, name="Công ty Ninh Kiều",
                                   tax_code="1800000018", unit_code="TA0001A", detail={"score": 90},
                                   first_found=date(2025, 10, 5), last_found=date(2025, 11, 5))
    communes = task_create(actor=operator, plan=plan, text="Báo cáo quý", lead=Agency.objects.get(code="ubnd-xa"),
                           rule=DueRule(recurrence="quarterly", day=15, offset_months=3))
    health = task_create(actor=operator, plan=plan, text="Kiểm tra khám chữa bệnh BHYT", lead=Agency.objects.get(code="so-y-te"),
                         rule=DueRule(due_on=date(2025, 12, 31)))
    draft = PlanDraft.objects.create(file_name="x.txt", source_text="x", data={"targets": [], "assignments": []}, created_by=admin_user)
    report = Report.objects.create(plan=plan, unit=plan.scope_unit, period="2025-Q3", kind="quarter", docx_name="r.docx",
                                   docx_size=2, docx=b"PK", xlsx_name="a.xlsx", xlsx_size=2, xlsx=b"PK")
    return {
        "plan": plan.pk, "target": target.pk, "item": item.pk, "draft": draft.pk, "report": report.pk,
        "commune_duty": communes.occurrences.get(agency__code="ubnd-31135", period_start=date(2025, 10, 1)).pk,  # the plan dates 27/08: Q4 is its first quarter
        "agency_duty": health.occurrences.get().pk,
    }


# ---------------------------------------------------------------------------------------------- the tests


def _web_routes() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}"

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith("api:")}


def _api_routes() -> set[str]:
    from ansinh.api import api

    schema = api.get_openapi_schema(path_prefix="/api/")
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def test_every_route_has_a_rule():
    assert sorted(_web_routes() - set(WEB) - UNRULED) == [], "pages without an access rule: add them to WEB"
    assert sorted(_api_routes() - set(API)) == [], "API routes without an access rule: add them to API"
    assert sorted(set(WEB) - _web_routes()) == [] and sorted(set(API) - _api_routes()) == [], "rules for routes that are gone"


def _fill(value, ids):
    if isinstance(value, tuple):
        return value
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def _denied(response, role: str, api: bool) -> bool:
    if role == "stranger" and not api:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code in (401, 403)


def _call(client, case: Case, ids: dict, role: str, people, api: bool):
    users, tokens = people
    client.logout()
    headers = {}
    if role != "stranger":
        if api:
            headers["Authorization"] = f"Bearer {tokens[role]}"
        else:
            client.force_login(users[role])
    url, data = _fill(case.url, ids), _fill(case.data, ids)
    if case.method == "GET":
        return client.get(url, headers=headers)
    if data and "file" in data:  # an upload: multipart, with the file the route expects
        name, content = data["file"]
        return client.post(url, {**data, "file": SimpleUploadedFile(name, content)}, headers=headers)
    if api and case.method == "POST" and data is not None:
        return client.post(url, json.dumps(data), content_type="application/json", headers=headers)
    return client.generic(case.method, url, data=urlencode(data or {}), content_type="application/x-www-form-urlencoded", headers=headers)


def _check(client, name: str, cases: list[Case], ids, people, api: bool):
    wrong = []
    for case in cases:
        for role in ROLES:
            response = _call(client, case, ids, role, people, api)
            assert response.status_code < 500, f"{name} as {role}: {response.status_code}"
            expected_denied = role not in case.allowed
            if _denied(response, role, api) != expected_denied:
                wrong.append(f"{case.method} {_fill(case.url, ids)} as {role}: {response.status_code} "
                             f"({'should be denied' if expected_denied else 'should be allowed'})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(WEB))
def test_page_access(client, name, people, ids):
    _check(client, name, WEB[name], ids, people, api=False)


@pytest.mark.parametrize("name", sorted(API))
def test_api_access(client, name, people, ids):
    _check(client, name, API[name], ids, people, api=True)
