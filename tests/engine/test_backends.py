"""The engine room's connections: DuckDB's memory budget and the engine names a door may give."""

from __future__ import annotations

import pytest

from ansinh.core.errors import ValidationFailed
from ansinh.engine import backends


def _duckdb_setting(con, name: str) -> str:
    return con.raw_sql(f"SELECT current_setting('{name}')").fetchone()[0]


def test_duckdb_memory_is_capped_by_default_and_can_be_changed(monkeypatch):
    """The cap is what keeps 14 million persons under 4 GiB; DuckDB reports it in its own units."""
    monkeypatch.delenv("ANSINH_DUCKDB_MEMORY", raising=False)
    assert _duckdb_setting(backends.connect("duckdb"), "memory_limit") == "1.8 GiB"  # 2GB = 2·10⁹ bytes
    monkeypatch.setenv("ANSINH_DUCKDB_MEMORY", "1500MB")
    assert _duckdb_setting(backends.connect("duckdb"), "memory_limit") == "1.3 GiB"
    monkeypatch.setenv("ANSINH_DUCKDB_MEMORY", "a lot")
    with pytest.raises(ValidationFailed, match="a lot"):
        backends.connect("duckdb")


def test_an_unknown_engine_is_a_clear_error():
    assert backends.check_engine("pyspark") == "pyspark"
    with pytest.raises(ValidationFailed, match="oracle"):
        backends.check_engine("oracle")
