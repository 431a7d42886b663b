"""Two officers editing the same allocation do not silently overwrite each other (optimistic locking).

Each door reads a target's `version` with the page (hidden field) or the API answer and sends it back; a
save made from a page read before a colleague's save is refused (409, a Vietnamese message naming who
changed it and when), and nothing is written.
"""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.core.errors import Conflict
from ansinh.targets import selectors
from ansinh.targets.indicators import INDICATORS
from ansinh.targets.models import Target
from ansinh.targets.services import target_allocate, target_lock, target_override

pytestmark = pytest.mark.django_db

FINAL = date(2025, 12, 20)
PROVINCE_PERSONS = 3_095_954


@pytest.fixture
def colleague(province):
    """A second editor of the province: the officer who saves first."""
    user = User.objects.create_user("tinh-2", password="colleague-pass-1", org_unit=province, role=User.Role.EDITOR)
    user.first_name = "Nguyễn Thị Lan"
    user.save()
    return user


def _target(plan, code: str) -> Target:
    return Target.objects.select_related("unit").get(plan=plan, indicator="bhyt.participants", unit__code=code)


def _final(plan) -> dict[str, int]:
    targets = Target.objects.filter(plan=plan, indicator="bhyt.participants", unit__parent__code="92").select_related("unit")
    return {t.unit.code: int(t.milestones.get(due_on=FINAL).value) for t in targets}


# --------------------------------------------------------------------------------------------- service


def test_every_write_bumps_the_version_and_notes_who(plan, admin_user):
    target = _target(plan, "31135")
    sibling = _target(plan, "31120")
    version, sibling_version = target.version, sibling.version
    target_override(actor=admin_user, target=target, value=int(target.milestones.get(due_on=FINAL).value) - 10,
                    due_on=FINAL, expected_version=version)
    target.refresh_from_db()
    sibling.refresh_from_db()
    assert target.version == version + 1 and target.updated_by == admin_user and target.updated_at is not None
    assert sibling.version == sibling_version + 1  # re-balanced too: a page showing it is stale now
    target_lock(actor=admin_user, target=target, locked=True, expected_version=target.version)
    assert Target.objects.get(pk=target.pk).version == version + 2


def test_second_officer_saving_from_a_stale_page_is_refused_and_nothing_changes(plan, admin_user, colleague):
    first, second = _target(plan, "31135"), _target(plan, "31120")
    read_at = {t.pk: t.version for t in (first, second)}  # both officers opened the editor now
    target_override(actor=colleague, target=first, value=int(first.milestones.get(due_on=FINAL).value) - 100,
                    due_on=FINAL, expected_version=read_at[first.pk])
    after_first = _final(plan)
    audits = AuditEvent.objects.count()

    with pytest.raises(Conflict) as refused:
        target_override(actor=admin_user, target=second, value=int(second.milestones.get(due_on=FINAL).value) + 100,
                        due_on=FINAL, expected_version=read_at[second.pk])

    message = refused.value.message
    assert refused.value.status_code == 409
    assert "đã có người sửa" in message and "Nguyễn Thị Lan" in message and "tải lại" in message
    assert " lúc " in message and "/" in message  # when: hh:mm dd/mm/yyyy
    assert _final(plan) == after_first
    assert AuditEvent.objects.count() == audits
    assert sum(after_first.values()) == PROVINCE_PERSONS


def test_without_an_expected_version_the_last_write_wins_as_before(plan, admin_user, colleague):
    target = _target(plan, "31135")
    target_override(actor=colleague, target=target, value=27_000, due_on=FINAL)
    target_override(actor=admin_user, target=target, value=26_000, due_on=FINAL)
    assert _final(plan)["31135"] == 26_000


def test_a_stale_lock_is_refused_by_the_conditional_update(plan, admin_user, colleague):
    target = _target(plan, "31135")
    stale = target.version
    target_lock(actor=colleague, target=target, locked=True, expected_version=stale)
    with pytest.raises(Conflict, match="tải lại"):
        target_lock(actor=admin_user, target=_target(plan, "31135"), locked=False, expected_version=stale)
    assert Target.objects.get(pk=target.pk).locked


def test_a_resplit_from_a_stale_editor_is_refused(plan, province, admin_user, colleague):
    table = selectors.allocation_table(plan=plan, indicator=INDICATORS["bhyt.participants"], parent=province)
    target = _target(plan, "31135")
    target_override(actor=colleague, target=target, value=27_000, due_on=FINAL, expected_version=target.version)
    with pytest.raises(Conflict, match="đã có người sửa"):
        target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=province, method="gap",
                        expected_stamp=table.stamp)
    assert _final(plan)["31135"] == 27_000
    fresh = selectors.allocation_table(plan=plan, indicator=INDICATORS["bhyt.participants"], parent=province)
    assert fresh.stamp != table.stamp
    target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=province, method="gap",
                    expected_stamp=fresh.stamp)


# ------------------------------------------------------------------------------------------------- web


def _override(client, plan, target: Target, value: int, version: int):
    return client.post(
        f"/plans/{plan.pk}/targets/{target.pk}/override/",
        {"value": str(value), "due_on": FINAL.isoformat(), "unit": "92", "indicator": "bhyt.participants",
         "version": str(version)},
        HTTP_HX_REQUEST="true",
    )


def test_the_editor_sends_back_each_targets_version(admin_client, plan):
    html = admin_client.get(f"/plans/{plan.pk}/", {"unit": "92", "indicator": "bhyt.participants"}).content.decode()
    target = _target(plan, "31135")
    assert f'name="version" value="{target.version}"' in html
    table = selectors.allocation_table(plan=plan, indicator=INDICATORS["bhyt.participants"], parent=plan.scope_unit)
    assert f'name="stamp" value="{table.stamp}"' in html


def test_two_officers_on_the_page_the_second_gets_a_conflict_and_the_fresh_table(client, admin_user, colleague, plan):
    first, second = _target(plan, "31135"), _target(plan, "31120")
    versions = {t.pk: t.version for t in (first, second)}
    client.force_login(colleague)
    assert _override(client, plan, first, 27_000, versions[first.pk]).status_code == 200
    after_first = _final(plan)

    client.force_login(admin_user)
    response = _override(client, plan, second, after_first["31120"] + 100, versions[second.pk])

    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="allocation-conflict"' in html and "đã có người sửa" in html and "tải lại" in html
    assert 'id="allocation"' in html  # the editor as it is now, with the new versions to retry from
    assert f'name="version" value="{_target(plan, "31120").version}"' in html
    assert _final(plan) == after_first


def test_a_plain_form_post_gets_the_whole_page_with_the_conflict(admin_client, plan, colleague):
    target = _target(plan, "31135")
    stale = target.version
    target_override(actor=colleague, target=target, value=27_000, due_on=FINAL)
    response = admin_client.post(
        f"/plans/{plan.pk}/targets/{target.pk}/lock/",
        {"locked": "1", "unit": "92", "indicator": "bhyt.participants", "version": str(stale)},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "đã có người sửa" in html and "<html" in html
    assert not Target.objects.get(pk=target.pk).locked


def test_a_stale_resplit_through_the_page_is_refused(admin_client, plan, colleague):
    table = selectors.allocation_table(plan=plan, indicator=INDICATORS["bhyt.participants"], parent=plan.scope_unit)
    target = _target(plan, "31135")
    target_override(actor=colleague, target=target, value=27_000, due_on=FINAL)
    response = admin_client.post(
        f"/plans/{plan.pk}/allocate/",
        {"indicator": "bhyt.participants", "method": "gap", "unit": "92", "stamp": table.stamp}, HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409 and "đã có người sửa" in response.content.decode()
    assert _final(plan)["31135"] == 27_000


# ------------------------------------------------------------------------------------------------- API


def test_api_answers_409_on_a_stale_expected_version(admin_client, plan, colleague):
    target = _target(plan, "31135")
    listed = admin_client.get(f"/api/v1/plans/{plan.pk}/targets", {"unit": "31135", "indicator": "bhyt.participants"}).json()
    read = listed["items"][0]
    assert read["version"] == target.version
    target_override(actor=colleague, target=target, value=27_000, due_on=FINAL)

    answer = admin_client.post(
        f"/api/v1/targets/{target.pk}/override",
        {"value": 26_000, "due_on": FINAL.isoformat(), "expected_version": read["version"]}, content_type="application/json",
    )
    assert answer.status_code == 409
    assert "đã có người sửa" in answer.json()["detail"]
    assert _final(plan)["31135"] == 27_000

    lock = admin_client.post(f"/api/v1/targets/{target.pk}/lock", {"locked": True, "expected_version": read["version"]},
                             content_type="application/json")
    assert lock.status_code == 409

    fresh = _target(plan, "31135").version
    answer = admin_client.post(
        f"/api/v1/targets/{target.pk}/override",
        {"value": 26_000, "due_on": FINAL.isoformat(), "expected_version": fresh}, content_type="application/json",
    )
    assert answer.status_code == 200
    mine = next(t for t in answer.json() if t["unit"] == "31135")
    assert mine["version"] == fresh + 1 and mine["updated_at"]
