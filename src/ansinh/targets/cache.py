"""Dashboards computed once per state of the figures, and reused until a figure changes.

A province dashboard reads thousands of figures and ranks a hundred communes on a dozen indicators: a
quarter of a second of work that fifty officers would otherwise repeat for the same answer. `remember`
keeps such a result in the server process under the figures stamp (`FiguresStamp`), a token that database
triggers replace on every insert, update or delete in the tables a dashboard reads. A result is therefore
reused exactly as long as the figures it came from are unchanged, whoever changed them (a service, an
import, the admin site, a fixture), and every server process sees a change at once: the stamp is read from
the database on each use, before the figures.

Results are kept as they are, not pickled (unpickling a dashboard's thousand rows cost more than the page),
so they are shared by concurrent requests and must be immutable: frozen dataclasses, tuples, frozensets.
The keys hold only ids and codes, never personal data; callers put the units the user may see into the key,
so two users with different scopes never share an entry.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

log = logging.getLogger(__name__)

#: The tables whose changes a dashboard must see.
WATCHED_TABLES = (
    "targets_actual", "targets_target", "targets_milestone", "targets_plan", "core_orgunit", "core_unitsuccession",
)
STAMP_TABLE = "targets_figuresstamp"
#: Results kept per process, least recently used out first. The largest, a province's communes ranked on
#: ten indicators, hold about 2 MB (103 communes; most entries are one table or one page's HTML, a tenth of
#: that), so a process keeps at most about 130 MB. Entries of an old stamp are never asked for again and
#: age out.
MAX_ENTRIES = 64
_EVENTS = ("insert", "update", "delete")
_MISSING = object()
T = TypeVar("T")


# ------------------------------------------------------------------------------- the stamp's triggers


def _trigger_names(table: str, vendor: str) -> list[str]:
    """PostgreSQL has one statement trigger per table; SQLite one row trigger per table and event."""
    if vendor == "postgresql":
        return [f"{table}_stamp"]
    return [f"{table}_stamp_{event}" for event in _EVENTS]


def create_triggers(db) -> None:
    """Create (or re-create) the triggers that move the stamp, on every watched table of this database."""
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION ansinh_figures_changed() RETURNS trigger AS $$ BEGIN "
                f"UPDATE {STAMP_TABLE} SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; "
                "RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            for table in WATCHED_TABLES:
                (name,) = _trigger_names(table, db.vendor)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION ansinh_figures_changed()"
                )
        elif db.vendor == "sqlite":
            for table in WATCHED_TABLES:
                for event, name in zip(_EVENTS, _trigger_names(table, db.vendor), strict=True):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} BEGIN "
                        f"UPDATE {STAMP_TABLE} SET token = lower(hex(randomblob(16))) WHERE id = 1; END"
                    )


def drop_triggers(db) -> None:
    with db.cursor() as cursor:
        for table in WATCHED_TABLES:
            for name in _trigger_names(table, db.vendor):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if db.vendor == "postgresql" else f"DROP TRIGGER IF EXISTS {name}")


def missing_triggers(db) -> list[str]:
    """Triggers that should exist and do not (SQLite drops a table's triggers when a migration rebuilds it)."""
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        elif db.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return []
        present = {name for (name,) in cursor.fetchall()}
    return [name for table in WATCHED_TABLES for name in _trigger_names(table, db.vendor) if name not in present]


# ------------------------------------------------------------------------------------------ the cache

_checked: dict[tuple[str, str], bool] = {}


def _triggers_in_place() -> bool:
    """Checked once per process and database: without its triggers the stamp would lie, so nothing is reused."""
    key = (connection.alias, str(connection.settings_dict.get("NAME")))
    if key not in _checked:
        missing = missing_triggers(connection)
        if missing:
            log.error("Thiếu trigger dấu số liệu (%s): trang tổng quan sẽ tính lại mỗi lần, không dùng bộ nhớ đệm.", ", ".join(missing))
        _checked[key] = not missing
    return _checked[key]


def figures_stamp() -> str | None:
    """The current token, or None when nothing may be reused.

    A flush (a test's, or a restore's) empties the stamp's table too; the row then comes back with a fresh
    random token, which no cached result can carry.
    """
    from ansinh.targets.models import FiguresStamp

    if not _triggers_in_place():
        return None
    stamp, _ = FiguresStamp.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(16)})
    return stamp.token


_entries: OrderedDict[tuple, object] = OrderedDict()
_computing: dict[tuple, threading.Lock] = {}
_lock = threading.Lock()


def remember(namespace: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or the result it gave for the same parts while the figures have not changed since.

    `parts` must name every input besides the figures (unit ids, indicator codes, period). The result is
    shared with later callers: it must be immutable. When fifty officers open the same page right after
    the figures changed, one computes and the others wait for its result instead of all computing it.
    """
    stamp = figures_stamp()
    if stamp is None:
        return compute()
    key = (namespace, stamp, connection.alias, parts)
    found = _kept(key)
    if found is not _MISSING:
        return found
    with _lock:
        computing = _computing.setdefault(key, threading.Lock())
    with computing:
        found = _kept(key)
        if found is not _MISSING:
            return found
        try:
            value = compute()
            with _lock:
                _entries[key] = value
                while len(_entries) > MAX_ENTRIES:
                    _entries.popitem(last=False)
        finally:
            with _lock:
                _computing.pop(key, None)
    return value


def _kept(key: tuple):
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    return _MISSING


def forget_all() -> None:
    """Drop every kept result (tests that compare a cold and a warm computation)."""
    with _lock:
        _entries.clear()
