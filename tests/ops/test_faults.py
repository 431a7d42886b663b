"""Imports killed midway (SIGKILL, as a power cut or an OOM killer would) leave everything as it was.

A real `ansinh` process imports a big file into a file-based SQLite database in a temporary
ANSINH_VAR_DIR; the test waits until the import is inside its write transaction (it holds SQLite's write
lock: another connection's `BEGIN IMMEDIATE` fails at once) or, for the employer ledger, until the new
Parquet file is being written, kills it, and checks that the database rows and the dataset file are exactly
those of before: all-or-nothing also holds when "nothing" is a killed process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSINH = str(Path(sys.executable).with_name("ansinh"))  # the console script of this environment
#: The steering tables an import writes; each is compared row by row before and after the kill.
TABLES = ("targets_actual", "targets_importbatch", "targets_actualrevision", "accounts_auditevent",
          "employers_employerimport", "accounts_user")
COMMUNES_92 = 103

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SETUP = textwrap.dedent("""
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from ansinh.units.services import units_load_official
    from ansinh.employers.services import employers_import
    from ansinh.targets.services import actuals_import
    from ansinh.units.models import OrgUnit
    from ansinh.accounts.models import User

    operator = User.objects.system()  # as the CLI's first run does
    units_load_official(actor=operator, province_codes={"92"})
    communes = sorted(OrgUnit.objects.filter(kind="commune", code__startswith="3").values_list("code", flat=True))
    rows = "\\n".join(f"{c},2025-01,population,{10000 + i}" for i, c in enumerate(communes))
    actuals_import(actor=operator, content=("unit_code,period,measure,value\\n" + rows + "\\n").encode(), filename="old.csv")
    ledger = "unit_code,period,amount_due,amount_paid,paid_on\\nTA00001A,2025-01,5000000,,\\nTA00002A,2025-01,7000000,,\\n"
    employers_import(actor=operator, dataset="ledger", content=ledger.encode(), filename="old-ledger.csv")
""")


@pytest.fixture(scope="module")
def var(tmp_path_factory) -> Path:
    """A migrated SQLite database with Cần Thơ's communes, one month of actuals and a small ledger."""
    directory = tmp_path_factory.mktemp("faults") / "var"
    env = _env(directory)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, cwd=ROOT)
    return directory


def _env(var: Path) -> dict[str, str]:
    env = {**os.environ, "ANSINH_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "ansinh.settings", "COLUMNS": "200"}
    for name in ("DATABASE_URL", "ANSINH_DATA_DIR"):
        env.pop(name, None)  # a file-based SQLite under ANSINH_VAR_DIR, whatever the suite runs on
    return env


def _database(var: Path) -> Path:
    return var / "ansinh.sqlite3"


def _tables(var: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(_database(var)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}


def _writing(database: Path) -> bool:
    """True while another connection holds the write lock (is inside a write transaction)."""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()  # closing rolls our empty transaction back
    return False


def _kill_when(process: subprocess.Popen, ready, *, pause: float, limit: float = 25, may_finish: bool = False) -> bool:
    """SIGKILL the process as soon as `ready()` is true and return True; if it ended first, fail (then
    nothing was tested) — or, with `may_finish`, return False: a step that lasts a few milliseconds can be
    missed by the watcher on a loaded machine, and the caller then checks the finished state instead."""
    deadline = time.monotonic() + limit
    while not ready():
        time.sleep(pause)
        if process.poll() is not None:
            output = process.communicate()
            if may_finish and process.returncode == 0:
                return False
            pytest.fail(f"the import ended (status {process.returncode}) before it could be killed midway: {output}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import never reached the point to kill it")
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL  # it was still running: killed, not finished
    return True


def test_actuals_import_killed_inside_its_transaction_leaves_the_database_as_before(var, tmp_path):
    # 103 communes × 20 years × 12 months of populations: ~25.000 rows, some of them changes to stored values.
    lines = ["unit_code,period,measure,value"]
    with sqlite3.connect(_database(var)) as db:
        communes = [c for (c,) in db.execute("SELECT code FROM core_orgunit WHERE kind = 'commune' ORDER BY code")]
    assert len(communes) == COMMUNES_92
    for index, code in enumerate(communes):
        lines += [f"{code},{year}-{month:02d},population,{20000 + index}" for year in range(2006, 2026) for month in range(1, 13)]
    big = tmp_path / "actuals-big.csv"
    big.write_text("\n".join(lines) + "\n")
    before = _tables(var)
    assert len(before["targets_actual"]) == COMMUNES_92 and len(before["targets_importbatch"]) == 1

    process = subprocess.Popen([ANSINH, "import", "actuals", str(big)], env=_env(var), cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _kill_when(process, lambda: _writing(_database(var)), pause=0.002)

    assert _tables(var) == before  # no actual, no batch, no revision, no audit row: exactly as before


def test_ledger_import_killed_midway_leaves_the_dataset_file_whole(var, tmp_path):
    """Killed inside the transaction, and killed while the new Parquet file is being written."""
    ledger = var / "data" / "employers" / "ledger.parquet"
    old = ledger.read_bytes()
    assert pq.read_table(ledger).num_rows == 2
    big = tmp_path / "ledger-big.csv"
    rows = (f"TA{unit:05d}A,2024-{month:02d},{(unit % 9 + 1) * 1_000_000},," for unit in range(1_500) for month in range(1, 13))
    big.write_text("unit_code,period,amount_due,amount_paid,paid_on\n" + "\n".join(rows) + "\n")
    before = _tables(var)

    def temporary() -> list[Path]:
        return [Path(e.path) for e in os.scandir(ledger.parent) if e.name.startswith(".ledger.parquet.") and e.name.endswith(".tmp")]

    for when in ("transaction", "file"):
        ready = (lambda: _writing(_database(var))) if when == "transaction" else (lambda: bool(temporary()))
        process = subprocess.Popen([ANSINH, "employers", "import", "ledger", str(big)], env=_env(var), cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # The file is written in a few milliseconds: watched without a pause; the lock probe every 2 ms.
        if not _kill_when(process, ready, pause=0.002 if when == "transaction" else 0, may_finish=True):
            # Finished before the watcher saw the moment: then it finished whole, file and import row alike.
            assert pq.read_table(ledger).num_rows == 2 + 1_500 * 12 and not temporary(), when
            assert _tables(var) != before, when
            return
        assert _tables(var) == before, when
        left = temporary()
        if when == "file" and not left:  # killed between the rename and the commit: the whole new file
            assert pq.read_table(ledger).num_rows == 2 + 1_500 * 12
        else:  # killed before the rename: the old file, untouched; the half-written one under its temp name
            assert ledger.read_bytes() == old, when
        for path in left:
            path.unlink()  # a stale temp file is never read (and `ansinh backup` skips it)
