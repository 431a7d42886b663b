"""Reads of the rules registry for the three doors: every rule and what it says on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ansinh.rules.registry import RuleInForce, find_in_force, shipped


@dataclass(frozen=True)
class RuleRow:
    """One line of the list: the rule, and what it says on the day (None: nothing in force then)."""

    code: str
    label: str
    unit: str
    in_force: RuleInForce | None

    @property
    def shown(self) -> str:
        return shown(self)


def rules_on(on: date) -> list[RuleRow]:
    """Every rule, in the data file's order, with its entry in force on `on` (or none)."""
    return [RuleRow(r.code, r.label, r.unit, find_in_force(r.code, on)) for r in shipped().rules.values()]


def plain(value) -> str:
    """0.000500 → "0.0005", 60.000000 → "60": a value as an officer would write it."""
    return format(value.normalize(), "f")


def shown(row: RuleRow) -> str:
    """The value as a Vietnamese reader writes it (2.340.000; 0,0003), or the method's name, or "–"."""
    from ansinh.core.formatting import format_int

    rule = row.in_force
    if rule is None:
        return "–"
    if rule.value is None:
        return rule.method or ""
    text = plain(rule.value)
    if "." not in text:
        return format_int(int(text))
    whole, fraction = text.split(".")
    return f"{format_int(int(whole))},{fraction}"
