"""The dashboard cache: a result is reused while the figures are unchanged, and never once they change.

The stamp is moved by database triggers, so these tests write the way every kind of writer does: the
import service, the ORM's save, bulk and queryset updates, deletes, and the tables besides actuals.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import F

from ansinh.units.models import OrgUnit, UnitSuccession
from ansinh.core.periods import Period
from ansinh.targets import cache
from ansinh.targets.attainment_rows import attainment_for_children
from ansinh.targets.cache import figures_stamp, missing_triggers, remember
from ansinh.targets.indicators import INDICATORS
from ansinh.targets.models import Actual, Milestone, Target
from ansinh.targets.services import actuals_import

pytestmark = pytest.mark.django_db

OCTOBER = date(2025, 10, 1)


def _actual(measure: str = "bhyt.participants", unit: str = "31135") -> Actual:
    return Actual.objects.get(unit__code=unit, unit__valid_to__isnull=True, period=OCTOBER, measure=measure)


def _rename_commune() -> None:
    OrgUnit.objects.filter(code="31135", valid_to__isnull=True).update(name="Phường Ninh Kiều (mới)")


def _add_succession() -> None:
    old = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True).exclude(code="31135").first()
    UnitSuccession.objects.update_or_create(
        predecessor=old, successor=OrgUnit.objects.get(code="31135", valid_to__isnull=True), defaults={"share": "0.5"}
    )


def _save_one_actual() -> None:
    actual = _actual()
    actual.value -= 1
    actual.save()


def _bulk_update_actuals() -> None:
    actual = _actual()
    actual.value -= 2
    Actual.objects.bulk_update([actual], ["value"])


WRITES = {
    "actuals: queryset update": lambda: Actual.objects.filter(pk=_actual().pk).update(value=F("value") - 1),
    "actuals: save": _save_one_actual,
    "actuals: bulk update": _bulk_update_actuals,
    "actuals: delete": lambda: _actual("bhxh.voluntary.participants").delete(),
    "milestones: value": lambda: Milestone.objects.filter(pk=Milestone.objects.first().pk).update(value=F("value") + 1),
    "targets: delete": lambda: Target.objects.filter(pk=Target.objects.filter(unit__code="31135").first().pk).delete(),
    "plans: date": lambda: Target.objects.first().plan.__class__.objects.update(issued_on=date(2025, 3, 2)),
    "units: rename": _rename_commune,
    "units: succession": _add_succession,
}


def test_every_watched_table_has_its_triggers():
    """SQLite drops a table's triggers when a migration rebuilds it: this fails until they are back."""
    assert missing_triggers(connection) == []


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_any_write_to_the_figures_moves_the_stamp(write):
    before = figures_stamp()
    WRITES[write]()
    assert figures_stamp() not in (None, before)


def test_reading_leaves_the_stamp_alone(admin_client):
    before = figures_stamp()
    assert admin_client.get("/units/92/?period=2025-10").status_code == 200
    assert figures_stamp() == before


def test_remember_reuses_a_result_until_the_figures_change():
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert remember("test", ("a",), compute) == 1
    assert remember("test", ("a",), compute) == 1, "the same parts under the same figures are reused"
    assert remember("test", ("b",), compute) == 2, "other parts are another result"
    _save_one_actual()
    assert remember("test", ("a",), compute) == 3, "a changed figure is computed again"


def test_cached_rows_cannot_be_changed_by_a_caller(province, admin_user):
    rows = attainment_for_children(
        actor=admin_user, unit=province, period=Period.parse("2025-10"), indicator=INDICATORS["bhyt.coverage"],
        children=list(province.children.filter(valid_to__isnull=True).order_by("code")),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        rows[0].rank = 99


def _row_html(html: str, code: str) -> str:
    return re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)


def _vn(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def test_the_dashboard_shows_an_import_at_once(admin_client, admin_user):
    """Warm the cache, import a new figure, and the same page shows it on the next request."""
    url = "/units/92/?period=2025-10&indicator=bhyt.participants"
    old = _actual().value
    assert _vn(old) in _row_html(admin_client.get(url).content.decode(), "31135")
    new = old - 1234
    actuals_import(actor=admin_user, content=f"unit_code,period,measure,value\n31135,2025-10,bhyt.participants,{new}\n".encode(),
                   filename="thang-10.csv")
    row = _row_html(admin_client.get(url).content.decode(), "31135")
    assert _vn(new) in row and _vn(old) not in row


def test_without_its_triggers_the_cache_reuses_nothing(monkeypatch, caplog):
    """A stamp no trigger moves would lie: the cache then computes every time and says why in the log."""
    monkeypatch.setattr(cache, "_checked", {})
    cache.drop_triggers(connection)
    try:
        with caplog.at_level(logging.ERROR, logger="ansinh.targets.cache"):
            assert figures_stamp() is None
        assert "Thiếu trigger" in caplog.text
        calls = []
        remember("test", ("a",), lambda: calls.append(1))
        remember("test", ("a",), lambda: calls.append(1))
        assert len(calls) == 2
    finally:
        cache.create_triggers(connection)
        monkeypatch.setattr(cache, "_checked", {})
    assert missing_triggers(connection) == []
