"""Who must be insured: the kinds of work of the person registry and the law's conditions, month by month.

Among the persons whose `labour_status` is `compulsory`, the laws do not list the same people for
compulsory BHXH and for unemployment insurance (BHTN): BHTN covers only work under a labour contract or a
contract of employment (hợp đồng làm việc) of a minimum length, not cán bộ, công chức, the armed forces,
household-business owners, domestic workers, nor working pensioners (Law on Employment 38/2013/QH13,
art. 43 cl. 1; 74/2025/QH15, art. 31 from 01/01/2026). What each law says is a set of dated rules in
`rules/data/rules.toml` (`bhxh.compulsory.*`, `bhtn.*`); `required_rules` reads them for each month of
a run, so the engine and the pandas reference receive plain values and stay free of the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from ansinh.core.periods import month_end
from ansinh.rules import rule_value

#: The values of `employment_kind` (docs/data.md). An empty value means "not known": the person is
#: counted as the laws' core case, a worker on an indefinite contract (what extracts without the column
#: gave before it existed).
CONTRACT_KINDS = ("contract_indefinite", "contract_fixed")  # always listed (a fixed term from a minimum length)
RULED_KINDS = ("official", "civil_servant", "armed_forces", "household_business", "domestic_worker")
EMPLOYMENT_KINDS = (*CONTRACT_KINDS, *RULED_KINDS, "none")
FIXED_TERM = "contract_fixed"

#: The schemes whose required population follows these rules, with the prefix of their rule codes.
SCHEMES = {"bhxh": "bhxh.compulsory", "bhtn": "bhtn"}


class SchemeRules(BaseModel):
    """Who one scheme lists in one month: the kinds of work, the shortest fixed-term contract, pensioners."""

    model_config = ConfigDict(frozen=True)

    kinds: frozenset[str]
    min_contract_months: int
    pensioners: bool


class RequiredRules(BaseModel):
    """What the laws say in one month, for compulsory BHXH and for BHTN."""

    model_config = ConfigDict(frozen=True)

    bhxh: SchemeRules
    bhtn: SchemeRules


Lookup = Callable[[str, date], Decimal]


def scheme_rules(prefix: str, day: date, value: Lookup = rule_value) -> SchemeRules:
    ruled = {kind for kind in RULED_KINDS if value(f"{prefix}.covers.{kind}", day) == 1}
    return SchemeRules(
        kinds=frozenset(CONTRACT_KINDS) | ruled,
        min_contract_months=int(value(f"{prefix}.min_contract_months", day)),
        pensioners=value(f"{prefix}.pensioners", day) == 1,
    )


def required_rules(months: Sequence[date], value: Lookup = rule_value) -> tuple[RequiredRules, ...]:
    """The rules of each month, as in force on its last day (a rule from the 15th holds for that month).

    `RuleNotInForce` names the rule and the day when a month lies before the rules' first entries."""
    found = []
    for month in months:
        day = month_end(month)
        found.append(RequiredRules(**{key: scheme_rules(prefix, day, value) for key, prefix in SCHEMES.items()}))
    return tuple(found)
