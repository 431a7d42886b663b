"""docs/rules.md's table, made from the shipped data file, so the page cannot fall behind the rules.

`uv run python -m ansinh.rules.docs > docs/rules.md` rewrites the page; `tests/rules/test_docs.py` checks it.
"""

from __future__ import annotations

from ansinh.rules.registry import Entry, shipped

HEADER = """# Legal rules (Tham số pháp lý)

Every legal figure An Sinh uses is a dated rule: a value (or a method of computation) that holds from a
day (`from`, inclusive) until the day before the rule's next entry, or until `to` when given, with its
legal basis. They ship with the product in `src/ansinh/rules/data/rules.toml`; officers add later values
with `ansinh params set CODE VALUE --from dd/mm/yyyy --basis "…"` (province administrators; audited),
which take precedence from their own date. `ansinh params list --on DATE`, the API
`GET /api/v1/rules?on=YYYY-MM-DD` and the administrators' page "Tham số pháp lý" (`/rules/`) show what holds
on a day. A figure needed on a day no rule covers is an error naming the rule and the day; there is no
silent default. "(verify)" marks a figure seen only in secondary sources: check it against the legal text
and correct it with `ansinh params set`.

This page is generated from the data file (`uv run python -m ansinh.rules.docs > docs/rules.md`).

"""


def _value(entry: Entry, methods: dict[str, str]) -> str:
    if entry.method:
        return f"`{entry.method}`: {methods[entry.method]}"
    return format(entry.value.normalize(), "f")


def _dates(entry: Entry) -> str:
    start = f"{entry.valid_from:%d/%m/%Y}"
    return f"{start} – {entry.valid_to:%d/%m/%Y}" if entry.valid_to else f"from {start}"


def rules_markdown() -> str:
    """The whole page: the header, then one table row per rule entry, grouped by rule."""
    registry = shipped()
    lines = [HEADER.rstrip("\n"), "", "| code | meaning | unit | value or method | in force | basis |", "| --- | --- | --- | --- | --- | --- |"]
    for rule in registry.rules.values():
        for index, entry in enumerate(rule.entries):
            code, label = (f"`{rule.code}`", rule.label) if index == 0 else ("", "")
            lines.append(f"| {code} | {label} | {rule.unit if index == 0 else ''} | {_value(entry, registry.methods)} | {_dates(entry)} | {entry.basis} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - writes the page
    print(rules_markdown(), end="")
