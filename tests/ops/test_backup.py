"""`ansinh backup` / `ansinh restore`: a round trip gives back every row and every file, and a restore that
cannot be done (damaged archive, other format, other schema, full target without --force) changes nothing.

Run on the session's Cần Thơ demo (units, plan, targets, ten months of actuals, users, audit log) with a
few Parquet files in a temporary data directory; on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.ops import backup as backup_module
from ansinh.ops.backup import BackupRefused, backup_make, backup_restore, backup_restore_as_operator
from ansinh.core.errors import PermissionDenied
from ansinh.targets.models import Actual, Target

pytestmark = pytest.mark.django_db
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(settings, tmp_path):
    """A data directory with a few Parquet files, a nested folder, and a half-written temp file."""
    directory = tmp_path / "var" / "data"
    (directory / "employers").mkdir(parents=True)
    (directory / "extract").mkdir()
    pq.write_table(pa.table({"unit_code": ["TA0001A", "TA0002B"], "workers": [12, 40]}), directory / "employers" / "units.parquet")
    pq.write_table(pa.table({"person_id": list(range(1000)), "name": [f"Nguyễn Văn {i}" for i in range(1000)]}),
                   directory / "extract" / "persons.parquet")
    (directory / "extract" / "manifest.json").write_text('{"persons": 1000}', encoding="utf-8")
    (directory / "employers" / ".ledger.parquet.4242.tmp").write_bytes(b"half written")
    settings.DATA_DIR = directory
    return directory


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder / "ansinh.tar.gz"


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the backup copies, by model, in primary-key order."""
    rows = {}
    for model in backup_module._models():
        names = [f.attname for f in model._meta.local_concrete_fields]
        rows[model._meta.label_lower] = list(model._base_manager.order_by("pk").values_list(*names))
    return rows


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _kept_files(directory: Path) -> dict[str, bytes]:
    return {name: content for name, content in _files(directory).items() if not name.endswith(".tmp")}


# ---------------------------------------------------------------------------------------------- round trip


def test_round_trip_gives_back_every_row_and_every_file_byte_for_byte(data_dir, out, admin_user):
    # A timestamp with microseconds and a JSON detail: what Django's dumpdata would round.
    AuditEvent.objects.create(actor=admin_user, action="test.marker", detail={"a": [1, "ă"], "b": None})
    before, files = _snapshot(), _kept_files(data_dir)
    assert sum(len(r) for r in before.values()) > 10_000 and before["audit.auditevent"]

    made = backup_make(actor=admin_user, out=out)

    assert made.path == out and out.exists() and made.files == 3
    assert made.tables["targets.actual"] == Actual.objects.count()
    with tarfile.open(out) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    assert "data/employers/.ledger.parquet.4242.tmp" not in names  # half-written files are never copied
    assert set(manifest["members"]) == {"database.jsonl", "data/employers/units.parquet", "data/extract/persons.parquet",
                                        "data/extract/manifest.json"}
    assert manifest["format_version"] == backup_module.FORMAT_VERSION
    assert manifest["database_engine"] == connection.vendor
    assert "targets" in manifest["migrations"] and "0002_target_version" in manifest["migrations"]["targets"]
    assert manifest["tables"]["audit.auditevent"] == len(before["audit.auditevent"])
    made_row = AuditEvent.objects.get(action="backup.make")
    assert made_row.actor == admin_user and made_row.detail["sha256"] == made.sha256

    # Everything changes after the backup: rows edited, added, deleted; a file replaced, one added.
    Actual.objects.filter(pk=Actual.objects.order_by("pk").first().pk).update(value=1)
    Target.objects.filter(indicator="bhyt.participants").delete()
    User.objects.create_user("moi", password="mat-khau-moi-1", org_unit=admin_user.org_unit, role=User.Role.VIEWER)
    (data_dir / "employers" / "units.parquet").write_bytes(b"changed")
    (data_dir / "employers" / "tax.parquet").write_bytes(b"new")

    from ansinh.targets.cache import figures_stamp

    stamp_before = figures_stamp()
    restored = backup_restore(actor=admin_user, archive=out, force=True)

    assert restored.replaced and restored.files == 3
    assert figures_stamp() not in (None, stamp_before), "dashboards computed before the restore are not reused"
    after = _snapshot()
    restore_rows = after["audit.auditevent"][len(before["audit.auditevent"]):]
    after["audit.auditevent"] = after["audit.auditevent"][: len(before["audit.auditevent"])]
    for label in before:
        assert after[label] == before[label], label  # ids, timestamps (to the microsecond), JSON, decimals
    action = [f.attname for f in AuditEvent._meta.local_concrete_fields].index("action")
    assert [row[action] for row in restore_rows] == ["backup.restore"]  # written after the restore, once
    restore_row = AuditEvent.objects.get(action="backup.restore")
    assert restore_row.actor == admin_user and restore_row.detail["forced"] is True
    assert _files(data_dir) == files  # byte for byte; the temp file and the new file are gone
    # New rows get fresh ids after the restore (the sequences follow the restored ids on PostgreSQL).
    assert AuditEvent.objects.create(action="test.after").pk > restore_row.pk


def test_restore_into_a_full_target_needs_force_and_changes_nothing(data_dir, out, admin_user):
    backup_make(actor=admin_user, out=out)
    before, files = _snapshot(), _files(data_dir)
    with pytest.raises(BackupRefused, match="không trống.*--force") as refused:
        backup_restore(actor=admin_user, archive=out, force=False)
    assert refused.value.status_code == 422
    assert _snapshot() == before and _files(data_dir) == files


def test_restore_into_an_empty_target_needs_no_force(data_dir, out, admin_user, settings, tmp_path, operator):
    before = _snapshot()
    backup_make(actor=operator, out=out)
    for model in reversed(backup_module._models()):
        model._base_manager.all()._raw_delete(connection.alias)
    settings.DATA_DIR = tmp_path / "empty" / "data"  # does not exist yet

    restored = backup_restore_as_operator(archive=out, force=False)  # no account is created before it

    assert not restored.replaced
    after = _snapshot()
    assert after["targets.actual"] == before["targets.actual"]
    assert after["audit.auditevent"][:-1] == before["audit.auditevent"]
    assert _kept_files(settings.DATA_DIR) == _kept_files(data_dir)
    restore_row = AuditEvent.objects.order_by("pk").last()
    assert restore_row.detail["by"] == "system" and restore_row.actor.username == "system"  # the restored account


def test_a_restore_by_an_account_the_archive_does_not_know_is_recorded_as_the_operators(data_dir, out, admin_user, province):
    backup_make(actor=admin_user, out=out)
    newcomer = User.objects.create_user("quan-tri-moi", password="mat-khau-moi-1", org_unit=province, role=User.Role.ADMIN)

    backup_restore(actor=newcomer, archive=out, force=True)

    row = AuditEvent.objects.get(action="backup.restore")
    assert not User.objects.filter(username="quan-tri-moi").exists()  # the restored database never had them
    assert row.actor.username == "system" and row.detail["by"] == "quan-tri-moi"  # a real actor, and who ran it


# ------------------------------------------------------------------------------------------------ refusals


def _rewrite(source: Path, target: Path, change) -> Path:
    """Copy an archive member by member, letting `change(name, content)` alter the content."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            content = change(member.name, old.extractfile(member).read())
            member.size = len(content)
            new.addfile(member, io.BytesIO(content))
    return target


def _refused_and_unchanged(archive: Path, match: str, data_dir: Path) -> BackupRefused:
    before, files = _snapshot(), _files(data_dir)
    with pytest.raises(BackupRefused, match=match) as refused:
        backup_restore_as_operator(archive=archive, force=True)
    assert _snapshot() == before and _files(data_dir) == files
    return refused.value


def test_a_damaged_archive_is_refused(data_dir, out, admin_user, tmp_path):
    backup_make(actor=admin_user, out=out)

    def flip(name: str, content: bytes) -> bytes:
        if name == "data/extract/persons.parquet":
            return content[:100] + bytes([content[100] ^ 0xFF]) + content[101:]
        return content

    error = _refused_and_unchanged(_rewrite(out, tmp_path / "flipped.tar.gz", flip), "bị hỏng.*SHA-256.*persons.parquet", data_dir)
    assert "không phục hồi gì" in error.message

    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    _refused_and_unchanged(cut, "bị hỏng", data_dir)

    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(gzip.compress(b"not a tar at all" * 100))
    _refused_and_unchanged(garbage, "bị hỏng", data_dir)


def test_another_format_version_is_refused(data_dir, out, admin_user, tmp_path):
    backup_make(actor=admin_user, out=out)

    def bump(name: str, content: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["format_version"] = 99
            return json.dumps(manifest).encode()
        return content

    _refused_and_unchanged(_rewrite(out, tmp_path / "v99.tar.gz", bump), "định dạng phiên bản 99", data_dir)


def test_a_database_at_another_migration_state_is_refused(data_dir, out, admin_user, tmp_path):
    backup_make(actor=admin_user, out=out)

    def older(name: str, content: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(content)
            manifest["migrations"]["targets"].remove("0002_target_version")
            return json.dumps(manifest).encode()
        return content

    error = _refused_and_unchanged(_rewrite(out, tmp_path / "old.tar.gz", older), "migration.*targets", data_dir)
    assert "phiên bản An Sinh" in error.message


def test_a_restore_that_fails_halfway_leaves_the_database_and_the_files_as_they_were(data_dir, out, admin_user, monkeypatch):
    backup_make(actor=admin_user, out=out)
    Actual.objects.filter(pk=Actual.objects.order_by("pk").first().pk).update(value=7)  # differs from the archive
    (data_dir / "employers" / "units.parquet").write_bytes(b"changed since")
    before, files = _snapshot(), _files(data_dir)

    def broken(tables):  # every table emptied and refilled by now: then the check fails
        assert Actual.objects.order_by("pk").first().value != 7
        raise BackupRefused("hỏng giữa chừng")

    monkeypatch.setattr(backup_module, "_check_counts", broken)
    with pytest.raises(BackupRefused, match="giữa chừng"):
        backup_restore(actor=admin_user, archive=out, force=True)
    assert _snapshot() == before and _files(data_dir) == files
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(".")]  # no unpacked copy left behind


def test_only_a_province_administrator_may_back_up(commune_editor, out, data_dir):
    with pytest.raises(PermissionDenied):
        backup_make(actor=commune_editor, out=out)
    assert not out.exists()


# --------------------------------------------------------------------------------------------------- CLI


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setattr(console.out, "_width", 300)  # rich reads its width from here; undone after
    monkeypatch.setattr(console.err, "_width", 300)


def test_cli_backup_then_restore(data_dir, out, wide):
    made = runner.invoke(cli.app, ["backup", str(out)])
    assert made.exit_code == 0, made.output
    assert "Đã sao lưu vào" in made.stdout and "SHA-256" in made.stdout
    before = _snapshot()

    refused = runner.invoke(cli.app, ["restore", str(out)])
    assert refused.exit_code == 1 and "--force" in refused.stderr and "Traceback" not in refused.output

    done = runner.invoke(cli.app, ["restore", str(out), "--force"])
    assert done.exit_code == 0, done.output
    assert "Đã phục hồi" in done.stdout
    after = _snapshot()
    assert after["targets.actual"] == before["targets.actual"]
    assert AuditEvent.objects.filter(action="backup.restore").count() == 1


def test_cli_backup_into_a_folder_names_the_file(data_dir, out, wide):
    result = runner.invoke(cli.app, ["backup", str(out.parent)])
    assert result.exit_code == 0, result.output
    made = list(out.parent.glob("ansinh-*.tar.gz"))
    assert len(made) == 1 and not list(out.parent.glob(".*"))  # no temporary file left beside it


# ------------------------------------------------------------------------------------------ across engines


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
                    reason="restores an archive made on SQLite into PostgreSQL (needs DATABASE_URL)")
def test_an_archive_made_on_sqlite_restores_into_postgresql(tmp_path, settings):
    """The JSON-lines dump is the same on both engines: a SQLite deployment can move to PostgreSQL."""
    var = tmp_path / "sqlite-var"
    env = {**os.environ, "ANSINH_VAR_DIR": str(var), "COLUMNS": "200"}
    env.pop("DATABASE_URL")
    env.pop("ANSINH_DATA_DIR", None)
    ansinh = [str(Path(sys.executable).with_name("ansinh"))]  # the console script of this environment
    subprocess.run([*ansinh, "migrate"], env=env, check=True, capture_output=True, cwd=ROOT)  # no command migrates silently
    subprocess.run([*ansinh, "units", "load", "--province", "92"], env=env, check=True, capture_output=True, cwd=ROOT)
    (var / "data" / "employers").mkdir(parents=True)
    pq.write_table(pa.table({"unit_code": ["TA0001A"]}), var / "data" / "employers" / "units.parquet")
    archive = tmp_path / "from-sqlite.tar.gz"
    subprocess.run([*ansinh, "backup", str(archive)], env=env, check=True, capture_output=True, cwd=ROOT)
    settings.DATA_DIR = tmp_path / "pg-data"
    highest = {m: m._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in backup_module._models()}

    try:
        restored = backup_restore_as_operator(archive=archive, force=True)
        _check_sqlite_archive_restored(archive, restored, settings.DATA_DIR, var)
    finally:
        _keep_sequences_ahead(highest)


def _keep_sequences_ahead(highest: dict) -> None:
    """PostgreSQL sequences are outside transactions: the restore moved them back to the small archive's ids,
    and the rollback at the end of the test will not. Put them past the session's rows again."""
    with connection.cursor() as cursor:
        for model, pk in highest.items():
            if pk and isinstance(model._meta.pk, (models.AutoField, models.BigAutoField)):
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [model._meta.db_table, model._meta.pk.column, pk])


def _check_sqlite_archive_restored(archive: Path, restored, data_dir: Path, var: Path) -> None:
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database_engine"] == "sqlite" and connection.vendor == "postgresql"
    counts = {m._meta.label_lower: m._base_manager.count() for m in backup_module._models()}
    counts["audit.auditevent"] -= 1  # the restore's own row
    assert counts == manifest["tables"] == restored.tables
    assert (data_dir / "employers" / "units.parquet").read_bytes() == (var / "data" / "employers" / "units.parquet").read_bytes()
    newest = AuditEvent.objects.exclude(action="backup.restore").order_by("-at").first()
    assert timezone.now() - newest.at < timedelta(minutes=5)
