"""The coverage services end to end: a generated province becomes the communes' monthly actuals."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ansinh.audit.models import AuditEvent
from ansinh.core.errors import ValidationFailed
from ansinh.coverage.models import CoverageRun
from ansinh.coverage.services import coverage_compute, extract_read
from ansinh.demo.services import demo_persons
from ansinh.targets.models import Actual


def test_demo_persons_moves_the_dashboard(settings, tmp_path, province):
    """2.000 generated persons replace the synthetic actuals of January–October 2025 with their counts."""
    settings.DATA_DIR = tmp_path
    before = Actual.objects.get(unit__code="31135", period=date(2025, 10, 1), measure="population").value
    result = demo_persons(persons=2_000)
    assert extract_read().as_of == date(2025, 10, 31)
    assert result.run.months == 10 and result.run.first_month == date(2025, 1, 1)
    registry_rows = json.loads((tmp_path / "manifest.json").read_text())["files"]["persons.parquet"]
    kept_out = sum(p.rows for p in result.engine.problems if p.rule.startswith("person."))
    assert kept_out > 0 and result.engine.persons == registry_rows - kept_out
    october = Actual.objects.filter(period=date(2025, 10, 1), unit__parent=province)
    population = sum(a.value for a in october.filter(measure="population"))
    insured = sum(a.value for a in october.filter(measure="bhyt.participants"))
    assert 1_900 <= population <= 2_000  # the generated people, less the bad rows kept out
    assert 0.93 <= insured / population <= 0.97  # calibrated near the plan's 96,11%
    after = Actual.objects.get(unit__code="31135", period=date(2025, 10, 1), measure="population").value
    assert after != before and after < 100
    assert CoverageRun.objects.filter(pk=result.run.pk, dry_run=False, persons=result.engine.persons).exists()
    assert AuditEvent.objects.get(action="coverage.compute").actor.username == "system"  # the demo is the operator
    assert result.run.actor.username == "system"


def test_a_year_too_far_from_the_extract_is_refused(db, settings, tmp_path, operator):
    settings.DATA_DIR = tmp_path
    demo_persons(persons=300)
    with pytest.raises(ValidationFailed, match="quá xa"):
        coverage_compute(actor=operator, year=2020)
    with pytest.raises(ValidationFailed, match="2026"):
        coverage_compute(actor=operator, year=2026)


def test_an_unknown_engine_is_a_clear_error(db, settings, tmp_path, monkeypatch, operator):
    settings.DATA_DIR = tmp_path
    demo_persons(persons=300)
    monkeypatch.setenv("ANSINH_ENGINE", "oracle")
    with pytest.raises(ValidationFailed, match="oracle"):
        coverage_compute(actor=operator)


def test_the_dashboards_bhtn_figures_agree_on_a_generated_province(settings, tmp_path, province):
    """BHTN required, participants and coverage of the required, as the dashboard shows them for the
    province, come from the same counts, and the law puts BHTN required below compulsory BHXH required."""
    from ansinh.core.periods import Period
    from ansinh.targets.attainment_rows import attainment_rows
    from ansinh.targets.indicators import indicator_get

    settings.DATA_DIR = tmp_path
    demo_persons(persons=6_000)
    october = Actual.objects.filter(period=date(2025, 10, 1), unit__parent=province)
    stored = {m: sum(a.value for a in october.filter(measure=m)) for m in (
        "bhxh.compulsory.required", "bhtn.required", "bhtn.participants", "bhxh.compulsory.participants",
    )}
    # Civil servants, household businesses, domestic workers, working pensioners, short contracts.
    assert 0.85 * stored["bhxh.compulsory.required"] <= stored["bhtn.required"] < stored["bhxh.compulsory.required"]
    assert stored["bhtn.participants"] <= stored["bhtn.required"]
    per_commune = {a.unit_id: a.value for a in october.filter(measure="bhtn.participants")}
    required = {a.unit_id: a.value for a in october.filter(measure="bhtn.required")}
    assert sum(per_commune[u] > required.get(u, 0) for u in per_commune) <= len(per_commune) // 20  # mostly within

    period = Period.parse("2025-10")
    (rate,) = attainment_rows(units=[province], indicator=indicator_get("bhtn.required_coverage"), period=period)
    (participants,) = attainment_rows(units=[province], indicator=indicator_get("bhtn.participants"), period=period)
    assert rate.numerator == participants.actual == stored["bhtn.participants"]
    assert rate.denominator == stored["bhtn.required"]
    assert rate.actual == pytest.approx(100 * stored["bhtn.participants"] / stored["bhtn.required"])
