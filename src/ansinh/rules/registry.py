"""The dated rules registry: every legal figure the product uses, with the days it holds and its basis.

The shipped rules are `data/rules.toml` (read once, checked at start by `RulesConfig.ready`); officers'
rows (`models.Parameter`, written by `ansinh params set`) add to them and take precedence from their own
date. A figure asked for on a day no rule covers is a `RuleNotInForce` naming the rule and the day — the
product never falls back on a silent default, because a wrong figure on a signed letter is a legal error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.formatting import format_date

DATA_FILE = Path(__file__).resolve().parent / "data" / "rules.toml"
VERIFY = "(verify)"


class RuleNotInForce(NotFound):
    """No rule holds on the day asked: the message names the rule and the day, and how to add one."""


@dataclass(frozen=True)
class Entry:
    """One dated value (or method) of a rule, from the shipped file or an officer's row."""

    valid_from: date
    valid_to: date | None
    value: Decimal | None
    method: str | None
    basis: str
    source: str = "shipped"  # or "officer"

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    unit: str
    entries: tuple[Entry, ...]

    @property
    def is_method(self) -> bool:
        return any(e.method for e in self.entries)


@dataclass(frozen=True)
class RuleInForce:
    """What a rule says on a day: its value or method, the dates of the entry, and its legal basis."""

    code: str
    label: str
    unit: str
    on: date
    value: Decimal | None
    method: str | None
    method_label: str
    valid_from: date
    valid_to: date | None
    basis: str
    source: str

    @property
    def verify(self) -> bool:
        return VERIFY in self.basis or VERIFY in self.label


@dataclass(frozen=True)
class Registry:
    rules: dict[str, Rule]
    methods: dict[str, str]


# ------------------------------------------------------------------------------------------ the file


@cache
def shipped() -> Registry:
    """The shipped rules, read and checked once (a bad file stops the product at start, not mid-report)."""
    return parse(tomllib.loads(DATA_FILE.read_text(encoding="utf-8")), DATA_FILE.name)


def parse(data: dict, source: str) -> Registry:
    methods = dict(data.get("methods", {}))
    rules: dict[str, Rule] = {}
    for raw in data.get("rule", []):
        code = raw["code"]
        if code in rules:
            raise ValueError(f"{source}: rule {code} is listed twice")
        entries = tuple(sorted((_entry(code, e, methods, source) for e in raw["entries"]), key=lambda e: e.valid_from))
        for earlier, later in zip(entries, entries[1:]):
            if earlier.valid_from == later.valid_from or (earlier.valid_to and earlier.valid_to >= later.valid_from):
                raise ValueError(f"{source}: rule {code} has overlapping entries from {earlier.valid_from} and {later.valid_from}")
        rules[code] = Rule(code, raw["label"], raw["unit"], entries)
    return Registry(rules, methods)


def _entry(code: str, raw: dict, methods: dict[str, str], source: str) -> Entry:
    value, method = raw.get("value"), raw.get("method")
    if (value is None) == (method is None):
        raise ValueError(f"{source}: rule {code} from {raw['from']} needs exactly one of value or method")
    if method is not None and method not in methods:
        raise ValueError(f"{source}: rule {code} names an unknown method {method}")
    if not isinstance(raw["from"], date) or not isinstance(raw.get("to", raw["from"]), date):
        raise ValueError(f"{source}: rule {code} has a date that is not a TOML date")
    if raw.get("to") and raw["to"] < raw["from"]:
        raise ValueError(f"{source}: rule {code} ends before it starts ({raw['from']})")
    if not raw.get("basis", "").strip():
        raise ValueError(f"{source}: rule {code} from {raw['from']} has no legal basis")
    try:
        number = Decimal(value) if value is not None else None
    except InvalidOperation:
        raise ValueError(f"{source}: rule {code} has a value that is not a number: {value!r}") from None
    return Entry(raw["from"], raw.get("to"), number, method, raw["basis"].strip())


# ------------------------------------------------------------------------------------------ look-ups


def rule(code: str) -> Rule:
    """A rule by code; an unknown code is a clear error (a typo must not read as "no value")."""
    try:
        return shipped().rules[code]
    except KeyError:
        raise ValidationFailed(f"Không có tham số “{code}”: xem danh sách bằng “ansinh params list”.") from None


def _officer_entries(code: str, on: date) -> list[Entry]:
    from ansinh.rules.models import Parameter

    return [
        Entry(p.valid_from, None, p.value, None, p.basis, "officer")
        for p in Parameter.objects.filter(code=code, valid_from__lte=on)
    ]


def find_in_force(code: str, on: date) -> RuleInForce | None:
    """The entry holding on `on`: the latest-starting one, an officer's row winning a tie; None if none."""
    found = rule(code)
    candidates = [e for e in found.entries if e.holds_on(on)] + _officer_entries(code, on)
    if not candidates:
        return None
    entry = max(candidates, key=lambda e: (e.valid_from, e.source == "officer"))
    methods = shipped().methods
    return RuleInForce(
        code=code, label=found.label, unit=found.unit, on=on, value=entry.value, method=entry.method,
        method_label=methods.get(entry.method or "", ""), valid_from=entry.valid_from, valid_to=entry.valid_to,
        basis=entry.basis, source=entry.source,
    )


def rule_in_force(code: str, on: date) -> RuleInForce:
    """What rule `code` says on `on`, or `RuleNotInForce` naming the rule (code and label) and the day."""
    found = find_in_force(code, on)
    if found is None:
        label = rule(code).label
        raise RuleNotInForce(
            f"Tham số “{code}” ({label}) chưa có giá trị hiệu lực ngày {format_date(on)}: "
            f"thêm bằng “ansinh params set {code} GIÁ_TRỊ --from dd/mm/yyyy --basis …”."
        )
    return found


def rule_value(code: str, on: date) -> Decimal:
    """The number rule `code` sets on `on` (a method rule asked for a number is a programming error)."""
    found = rule_in_force(code, on)
    if found.value is None:
        raise ValidationFailed(f"Tham số “{code}” là một cách tính ({found.method}), không phải một con số.")
    return found.value


def shipped_rule_value(code: str, on: date) -> Decimal:
    """The number the shipped file alone sets on `on`, officers' rows aside: for the tools that run without
    a database (the engine benchmark on synthetic data). Everything that signs or stores uses `rule_value`."""
    entries = [e for e in rule(code).entries if e.holds_on(on)]
    if not entries or entries[-1].value is None:
        raise RuleNotInForce(f"Tham số “{code}” chưa có giá trị hiệu lực ngày {format_date(on)} trong tệp quy định.")
    return entries[-1].value


def rule_method(code: str, on: date) -> str:
    """The method name rule `code` sets on `on` (e.g. the deadline regime)."""
    found = rule_in_force(code, on)
    if found.method is None:
        raise ValidationFailed(f"Tham số “{code}” là một con số, không phải một cách tính.")
    return found.method


def codes() -> list[str]:
    return list(shipped().rules)
