"""The dated rules registry: values on both sides of the 1/7/2025 reform, the clear error before any rule,
an officer's row taking over from its date, and a data file that cannot hold contradictions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.rules import RuleNotInForce, rule_in_force, rule_method, rule_value
from ansinh.rules.registry import codes, parse, shipped
from ansinh.rules.services import rule_set

pytestmark = pytest.mark.django_db
BEFORE, AFTER = date(2025, 4, 30), date(2025, 10, 31)


def test_the_charge_and_the_deadline_change_on_1_july_2025():
    assert rule_method("charge.method", BEFORE) == "interest_2x_fund_rate"
    assert rule_method("charge.method", date(2025, 6, 30)) == "interest_2x_fund_rate"
    assert rule_method("charge.method", date(2025, 7, 1)) == "daily_rate"
    assert rule_method("deadline.monthly", BEFORE) == "end_of_same_month"
    assert rule_method("deadline.monthly", AFTER) == "end_of_following_month"
    assert rule_value("charge.interest_multiple", BEFORE) == 2
    assert rule_value("charge.interest_min_days", BEFORE) == 30
    assert rule_value("employers.late_daily_rate", AFTER) == Decimal("0.0003")
    assert rule_value("employers.evasion_after_days", AFTER) == 60


def test_the_old_regime_s_figures_end_with_it():
    for code in ("charge.interest_multiple", "charge.interest_min_days", "charge.fund_rate"):
        with pytest.raises(RuleNotInForce):
            rule_value(code, AFTER)
    for code in ("employers.late_daily_rate", "employers.evasion_after_days"):
        with pytest.raises(RuleNotInForce):
            rule_value(code, BEFORE)


def test_an_answer_carries_its_basis_and_dates():
    old = rule_in_force("charge.method", BEFORE)
    new = rule_in_force("charge.method", AFTER)

    assert (old.valid_from, old.valid_to) == (date(2016, 1, 1), date(2025, 6, 30))
    assert "58/2014/QH13, Điều 122 khoản 3" in old.basis and "595/QĐ-BHXH, Điều 43" in old.basis
    assert (new.valid_from, new.valid_to, new.basis) == (date(2025, 7, 1), None, "Luật BHXH số 41/2024/QH15, Điều 40")
    assert new.source == "shipped" and "0,03%" in new.method_label


@pytest.mark.parametrize(
    ("code", "day", "value"),
    [
        ("salary.base", date(2024, 6, 30), 1_800_000),
        ("salary.base", date(2024, 7, 1), 2_340_000),
        ("salary.base", date(2026, 7, 1), 2_530_000),
        ("wage.region_1", date(2025, 12, 31), 4_960_000),
        ("wage.region_1", date(2026, 1, 1), 5_310_000),
        ("wage.region_4", date(2024, 7, 1), 3_450_000),
        ("wage.region_4", date(2026, 1, 1), 3_700_000),
        ("poverty.rural", date(2025, 1, 1), 1_500_000),
        ("bhyt.rate", AFTER, Decimal("4.5")),
        ("bhyt.household_2", AFTER, 70),
        ("bhyt.household_5", AFTER, 40),
        ("rate.retirement_employer", BEFORE, 14),
        ("rate.retirement_employer", AFTER, 14),
        ("rate.bhtn_employee", AFTER, 1),
        ("voluntary.support_poor", BEFORE, 30),
        ("voluntary.support_poor", AFTER, 50),
        ("voluntary.support_other", AFTER, 20),
        ("age.retire_men_months", date(2025, 6, 1), 735),
        ("age.retire_women_months", date(2025, 6, 1), 680),
        ("age.retire_men_months", date(2030, 1, 1), 744),
        ("age.retire_women_months", date(2040, 1, 1), 720),
    ],
)
def test_the_figures_of_issue_13_on_their_days(code, day, value):
    assert rule_value(code, day) == value


def test_the_working_age_roadmap_matches_the_coverage_engine():
    from ansinh.coverage.engine import working_age_limits

    for year in range(2021, 2040):
        limits = working_age_limits(year)
        day = date(year, 6, 30)
        assert (rule_value("age.retire_men_months", day), rule_value("age.retire_women_months", day)) == (limits["M"], limits["F"])


def test_a_day_before_any_rule_is_a_clear_error_naming_the_rule():
    with pytest.raises(RuleNotInForce) as caught:
        rule_value("salary.base", date(2020, 1, 1))

    assert isinstance(caught.value, NotFound)
    assert caught.value.message == (
        "Tham số “salary.base” (Lương cơ sở (mức tham chiếu)) chưa có giá trị hiệu lực ngày 01/01/2020: "
        "thêm bằng “ansinh params set salary.base GIÁ_TRỊ --from dd/mm/yyyy --basis …”."
    )


def test_an_unknown_code_and_a_method_asked_as_a_number_are_errors():
    with pytest.raises(ValidationFailed, match="Không có tham số “salary.bass”"):
        rule_value("salary.bass", AFTER)
    with pytest.raises(ValidationFailed, match="là một cách tính"):
        rule_value("deadline.monthly", AFTER)
    with pytest.raises(ValidationFailed, match="là một con số"):
        rule_method("salary.base", AFTER)


def test_an_officer_s_row_overrides_from_its_date(admin_user):
    row = rule_set(actor=admin_user, code="salary.base", value="2.600.000".replace(".", ""), valid_from=date(2026, 1, 1),
                   basis="Nghị định 999/2025/NĐ-CP")

    assert row.value == 2_600_000
    assert rule_value("salary.base", date(2025, 12, 31)) == 2_340_000
    found = rule_in_force("salary.base", date(2026, 1, 1))
    assert (found.value, found.source, found.basis) == (2_600_000, "officer", "Nghị định 999/2025/NĐ-CP")
    assert rule_value("salary.base", date(2026, 7, 1)) == 2_530_000  # the shipped rule from a later day still takes over


def test_an_officer_s_row_fills_a_day_with_no_rule(admin_user):
    rule_set(actor=admin_user, code="employers.late_daily_rate", value="0.0003", valid_from=date(2016, 1, 1), basis="Luật BHXH số 58/2014/QH13")

    assert rule_value("employers.late_daily_rate", BEFORE) == Decimal("0.0003")


def test_only_the_province_sets_rules_and_methods_are_not_numbers(admin_user, commune_editor):
    with pytest.raises(PermissionDenied):
        rule_set(actor=commune_editor, code="salary.base", value="1", valid_from=AFTER, basis="x")
    with pytest.raises(ValidationFailed, match="là một cách tính"):
        rule_set(actor=admin_user, code="deadline.monthly", value="1", valid_from=AFTER, basis="x")
    with pytest.raises(ValidationFailed, match="không phải là số"):
        rule_set(actor=admin_user, code="salary.base", value="NaN", valid_from=AFTER, basis="x")


def test_every_entry_has_a_basis_and_the_verify_marks_are_kept():
    registry = shipped()
    assert len(registry.rules) == len(codes()) >= 40
    assert all(e.basis for r in registry.rules.values() for e in r.entries)
    assert rule_in_force("charge.fund_rate", BEFORE).verify
    assert rule_in_force("salary.base", date(2026, 7, 1)).verify
    assert not rule_in_force("salary.base", AFTER).verify


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"from": date(2025, 1, 1), "value": "1", "method": "m", "basis": "b"}], "exactly one of value or method"),
        ([{"from": date(2025, 1, 1), "basis": "b"}], "exactly one of value or method"),
        ([{"from": date(2025, 1, 1), "value": "x", "basis": "b"}], "not a number"),
        ([{"from": date(2025, 1, 1), "value": "1", "basis": " "}], "no legal basis"),
        ([{"from": date(2025, 1, 1), "method": "nope", "basis": "b"}], "unknown method"),
        ([{"from": date(2025, 1, 1), "to": date(2024, 1, 1), "value": "1", "basis": "b"}], "ends before it starts"),
        ([{"from": date(2025, 1, 1), "to": date(2025, 12, 31), "value": "1", "basis": "b"},
          {"from": date(2025, 6, 1), "value": "2", "basis": "b"}], "overlapping"),
    ],
)
def test_a_bad_data_file_is_refused(entries, message):
    with pytest.raises(ValueError, match=message):
        parse({"methods": {"m": "M"}, "rule": [{"code": "x", "label": "X", "unit": "u", "entries": entries}]}, "test")


def test_shipped_rule_value_reads_the_file_alone():
    """For the tools that run without a database: the shipped figure, the law's change on its day."""
    from ansinh.rules import shipped_rule_value

    assert shipped_rule_value("bhtn.min_contract_months", date(2025, 12, 31)) == 3
    assert shipped_rule_value("bhtn.min_contract_months", date(2026, 1, 1)) == 1
    with pytest.raises(RuleNotInForce, match="bhtn.min_contract_months"):
        shipped_rule_value("bhtn.min_contract_months", date(2014, 12, 31))
