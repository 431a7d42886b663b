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
