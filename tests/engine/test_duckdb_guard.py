"""A guard against DuckDB's wrong `date_trunc` rewrite (duckdb/duckdb#19635, fixed by PR #19628).

DuckDB 1.4's optimizer turns `date_trunc('month', x) <= DATE '2025-01-01'` into
`x <= DATE '2025-02-01'`, so the first day of February passes a filter meant for January (the rewrite
should give `x < DATE '2025-02-01'`). DuckDB 1.5.0 no longer does this (checked: 1.4.4 and 1.4.5 have the
bug; 1.5.0, 1.5.6 and 2.0.1 do not).

`test_installed_duckdb_*` shows whether the DuckDB in use has the bug. The guard then scans the source of
every engine module (each module of `src/ansinh` that imports `ibis`) for a comparison of a truncated
date with a constant. On a DuckDB with the bug the guard fails if it finds one; on a fixed DuckDB the
scan still runs and its findings are only reported.

The scan is static, so it over-approximates on purpose: a value counts as truncated if it is a
`.truncate(...)`/`date_trunc` call, a local name bound to something truncated, or a column that some
`select`/`mutate` keyword of the same module defines from a truncation (`period=rows.period.truncate("M")`
taints `<anything>.period` in that module). A value counts as constant if it is built only from
literals, calls that make dates (`date(...)`, `ibis.date(...)`, `ibis.literal(...)`, functions annotated
`-> date`), parameters annotated `date`/`datetime`, and the engine's settings object (rule 7: one
validated settings object, whose fields become literals in the SQL).
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "ansinh"

# Modules the brief names as building Ibis expressions; the scan must reach each one that exists.
KNOWN_ENGINE_MODULES = ("coverage/engine.py", "employers/arrears.py", "employers/reconcile.py")

COMPARISON_METHODS = {"between", "le", "lt", "ge", "gt", "eq", "ne", "__le__", "__lt__", "__ge__", "__gt__"}
DATE_MAKERS = {"date", "datetime", "timedelta", "timestamp", "literal", "fromisoformat", "Timestamp", "interval"}
TABLE_METHODS = {
    "filter", "select", "mutate", "join", "semi_join", "anti_join", "left_join", "inner_join", "outer_join",
    "cross_join", "asof_join", "group_by", "aggregate", "order_by", "distinct", "union", "intersect",
    "difference", "drop", "rename", "relocate", "limit", "head", "cache", "sql", "to_pyarrow", "execute",
}
DATE_TYPES = {"date", "datetime", "dt.date", "dt.datetime", "int", "str"}


@dataclass(frozen=True)
class Finding:
    """One comparison of a truncated date with a constant: where it is and what it says."""

    path: str
    line: int
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source}"


# --- (a) the installed DuckDB ----------------------------------------------------------------------


def duckdb_has_trunc_bug() -> bool:
    """True if this DuckDB lets `date_trunc('month', d) <= DATE '2025-01-01'` through a February day."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t (d DATE)")
        con.execute("INSERT INTO t VALUES ('2025-01-01'), ('2025-01-31'), ('2025-02-01'), ('2025-02-15')")
        rows = con.execute("SELECT d FROM t WHERE date_trunc('month', d) <= DATE '2025-01-01' ORDER BY d").fetchall()
    finally:
        con.close()
    return [row[0] for row in rows] != [dt.date(2025, 1, 1), dt.date(2025, 1, 31)]


def test_installed_duckdb_keeps_truncated_months_apart():
    """Only January's rows are in January: fails on DuckDB 1.4.x, passes from 1.5.0 on."""
    assert not duckdb_has_trunc_bug(), (
        f"DuckDB {duckdb.__version__} rewrites date_trunc('month', d) <= DATE '2025-01-01' wrongly "
        "(duckdb/duckdb#19635); upgrade to DuckDB >= 1.5.0"
    )


def test_truncated_date_comes_back_as_a_date():
    """DuckDB 1.5 made `date_trunc` return a TIMESTAMP even for a DATE (duckdb/duckdb#20120); Ibis 12 still
    calls it a date and casts the result to the schema it declares, so engine results keep their dates."""
    from ansinh.engine import backends

    con = backends.connect("duckdb")
    table = con.create_table("guard_days", {"d": [dt.date(2025, 1, 15)]}, temp=True)
    result = con.to_pyarrow(table.select(p=table.d.truncate("M")))
    assert str(result.schema.field("p").type) == "date32[day]"
    assert result.column("p").to_pylist() == [dt.date(2025, 1, 1)]


# --- (b) the source scanner ------------------------------------------------------------------------

#: Methods that take a number out of a date: comparing those is month arithmetic, not a truncated date.
PART_METHODS = {"year", "month", "day", "quarter", "day_of_year", "week_of_year", "epoch_seconds"}


def _dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, '' for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else ""
    return ""


def _is_truncate_call(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in {"truncate", "date_trunc"}:
            return True
        if isinstance(func, ast.Name) and func.id == "date_trunc":
            return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and "date_trunc" in node.value.lower()


def _truncated_columns(tree: ast.AST) -> set[str]:
    """Columns a `select`/`mutate`/`aggregate` keyword defines from a truncation, anywhere in the module."""
    columns = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg and any(_is_truncate_call(sub) for sub in ast.walk(keyword.value)):
                    columns.add(keyword.arg)
    return columns


def _date_functions(trees: list[ast.AST]) -> set[str]:
    """Names of functions annotated to return a date: their result is a Python value, a literal in SQL."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
                if ast.unparse(node.returns).split("|")[0].strip() in {"date", "datetime", "dt.date"}:
                    names.add(node.name)
    return names


class _Scope:
    """What one function knows: which local names hold truncated values and which hold constants."""

    def __init__(self, func: ast.AST | None, columns: set[str], date_functions: set[str]):
        self.columns = columns
        self.date_functions = date_functions
        self.truncated: set[str] = set()
        self.constant: set[str] = set()
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = func.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                note = ast.unparse(arg.annotation) if getattr(arg, "annotation", None) is not None else ""
                note = note.replace("None", "").replace("|", "").strip()
                if note in DATE_TYPES or note.endswith("Settings") or note.endswith("Rules"):
                    self.constant.add(arg.arg)

    def learn(self, body: ast.AST) -> None:
        """Follow assignments until nothing new is learnt (a name may be bound from a later-bound one)."""
        assigns = [n for n in ast.walk(body) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.NamedExpr))]
        changed = True
        while changed:
            changed = False
            for node in assigns:
                value = node.value
                if value is None:
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)}
                if self.is_truncated(value) and not names <= self.truncated:
                    self.truncated |= names
                    changed = True
                elif self.is_constant(value) and not names <= self.constant:
                    self.constant |= names
                    changed = True

    def is_truncated(self, node: ast.AST) -> bool:
        """A date value that is, or is built from, a truncation. Tables built from one are not (a filter,
        join or select only carries the column along), nor are booleans (a comparison is not a date)."""
        if _is_truncate_call(node):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.truncated
        if isinstance(node, ast.Attribute) and node.attr in self.columns:
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value in self.columns:
            return True
        if isinstance(node, (ast.Compare, ast.BoolOp, ast.Lambda)):
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TABLE_METHODS:
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PART_METHODS:
            return False  # a month or year number: month arithmetic is the safe form
        return any(self.is_truncated(child) for child in ast.iter_child_nodes(node))

    def is_constant(self, node: ast.AST) -> bool:
        """Built only of literals, date-making calls, date parameters and the settings object."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.constant
        if isinstance(node, ast.Attribute):
            return self.is_constant(node.value)
        if isinstance(node, (ast.BinOp,)):
            return self.is_constant(node.left) and self.is_constant(node.right)
        if isinstance(node, ast.UnaryOp):
            return self.is_constant(node.operand)
        if isinstance(node, (ast.Tuple, ast.List)):
            return all(self.is_constant(e) for e in node.elts)
        if isinstance(node, ast.Call):
            args = [*node.args, *(k.value for k in node.keywords)]
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            maker = name in DATE_MAKERS or name in self.date_functions
            method_of_constant = isinstance(func, ast.Attribute) and self.is_constant(func.value)
            return (maker or method_of_constant) and all(self.is_constant(a) for a in args)
        return False

    def finding(self, node: ast.AST) -> bool:
        """A comparison (or a comparing method call) with a truncated side and a constant side."""
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            return any(
                (self.is_truncated(a) and self.is_constant(b)) or (self.is_truncated(b) and self.is_constant(a))
                for a, b in zip(sides, sides[1:])
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in COMPARISON_METHODS:
            args = [*node.args, *(k.value for k in node.keywords)]
            return bool(args) and self.is_truncated(node.func.value) and all(self.is_constant(a) for a in args)
        return False


def scan_source(source: str, path: str = "<string>", date_functions: set[str] = frozenset()) -> list[Finding]:
    """Every comparison of a truncated date with a constant in one module's source."""
    tree = ast.parse(source)
    columns = _truncated_columns(tree)
    date_functions = set(date_functions) | _date_functions([tree])
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    found: dict[tuple[int, int], Finding] = {}
    for func in [None, *funcs]:
        scope = _Scope(func, columns, date_functions)
        body = func if func is not None else ast.Module(body=[s for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))], type_ignores=[])
        scope.learn(body)
        for node in ast.walk(body):
            if scope.finding(node) and (node.lineno, node.col_offset) not in found:
                found[node.lineno, node.col_offset] = Finding(path, node.lineno, ast.unparse(node))
    return [found[key] for key in sorted(found)]


def engine_modules() -> list[Path]:
    """Every module of src/ansinh that imports ibis: the ones that build engine expressions."""
    modules = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "ibis" or name.startswith("ibis.") for name in names):
                modules.append(path)
                break
    return modules


def scan_engine() -> list[Finding]:
    modules = engine_modules()
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts]
    date_functions = _date_functions(trees)
    findings = []
    for path in modules:
        findings += scan_source(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)), date_functions)
    return findings


def test_scan_reaches_every_engine_module():
    found = {str(p.relative_to(SRC)) for p in engine_modules()}
    expected = {m for m in KNOWN_ENGINE_MODULES if (SRC / m).exists()}
    assert expected <= found, expected - found


def test_engine_has_no_truncated_date_compared_with_a_constant():
    """The guard: no engine expression compares a truncated date with a constant (month arithmetic,
    year × 12 + month, is the safe form). Kept on every DuckDB, not only on one with the bug: the pin may
    move, and the rule costs nothing to keep."""
    findings = scan_engine()
    assert not findings, (
        f"truncated dates compared with constants (DuckDB {duckdb.__version__}"
        f"{' has' if duckdb_has_trunc_bug() else ' fixed'} duckdb/duckdb#19635):\n" + "\n".join(map(str, findings))
    )


# --- the scanner finds what it is meant to find -----------------------------------------------------

CAUGHT = {
    "direct ibis.date": "t.d.truncate('M') <= ibis.date(2025, 1, 1)",
    "reversed, datetime.date": "date(2025, 1, 1) >= t.d.truncate('M')",
    "ibis.literal": "t.d.truncate('M') < ibis.literal(date(2025, 1, 1))",
    "plain string": "t.d.truncate('M') == '2025-01-01'",
    "through a name": "first = t.d.truncate('M')\nfirst <= date(2025, 1, 1)",
    "through a derived name": "first = t.d.truncate('M')\nlow = ibis.least(first, t.e)\nlow <= date(2025, 1, 1)",
    "date parameter": "def f(t, as_of: date):\n    return t.d.truncate('M') <= as_of",
    "settings field": "def f(t, settings: CoverageSettings):\n    return t.d.truncate('M') <= settings.first_month",
    "date-returning helper": (
        "def end(s) -> date:\n    return s\n"
        "def f(t, day: date):\n    return t.d.truncate('M') <= end(day.replace(day=1))"
    ),
    "truncated column": "rows = t.select(period=t.period.truncate('M'))\nrows.filter(rows.period <= date(2025, 1, 1))",
    "between": "t.d.truncate('M').between(date(2025, 1, 1), date(2025, 3, 1))",
    "sql text": "\"date_trunc('month', d)\" <= '2025-01-01'",
}

LEFT_ALONE = {
    "no truncation": "t.d <= date(2025, 1, 1)",
    "two columns": "t.d.truncate('M') == u.e",
    "truncated vs column": "first = t.d.truncate('M')\nfirst <= t.last_month",
    "truncation not compared": "t.select(period=t.d.truncate('M'))",
    "table carrying a truncated column": (
        "rows = t.select(period=t.d.truncate('M'))\nn = rows.filter(rows.amount > 0).count()\nn > 3"
    ),
    "month arithmetic on a truncated column": (
        "rows = t.select(period=t.d.truncate('M'))\n(rows.period.year() == 2025) & (rows.period.month() <= 10)"
    ),
}


@pytest.mark.parametrize("source", CAUGHT.values(), ids=CAUGHT.keys())
def test_scanner_finds_a_truncated_date_compared_with_a_constant(source):
    assert scan_source(source), source


@pytest.mark.parametrize("source", LEFT_ALONE.values(), ids=LEFT_ALONE.keys())
def test_scanner_leaves_other_comparisons_alone(source):
    assert not scan_source(source), source


def test_guard_would_fail_on_such_engine_code(monkeypatch):
    """With such a comparison in the engine, the guard fails (shown by faking the scan)."""
    monkeypatch.setattr(
        __name__ + ".scan_engine", lambda: scan_source("t.d.truncate('M') <= ibis.date(2025, 1, 1)", "fake.py")
    )
    with pytest.raises(AssertionError, match="19635"):
        test_engine_has_no_truncated_date_compared_with_a_constant()
