"""Backups: the whole database and the data directory in one archive, and the way back.

One `.tar.gz` holds
    database.jsonl            every row of every table, one JSON object a line (model, then its columns)
    data/…                    the data directory as it is (Parquet datasets, manifests; temp files skipped)
    manifest.json             format version, An Sinh version, when, database engine, the migration state of
                              every app, rows per table, and the SHA-256 and size of every other member

Why JSON lines and not the engine's own dump: no external binary (`pg_dump`) is needed, the same code reads
and writes SQLite and PostgreSQL, and an archive made on one restores into the other. Django's `dumpdata`
would do most of it but rounds timestamps to the millisecond (its JSON encoder) and reloads row by row;
here each value is written exactly (`isoformat()` keeps microseconds, decimals as text, bytes as base64)
and rows go back in batches with raw inserts, so `auto_now` fields keep their stored value and the audit
log comes back unchanged, ids and all. Content types and permissions are not copied: migrations create
them, and a restore needs the same migration state; the rows that point at them are written with their
natural keys (app, model, codename), so ids that differ between databases do not matter.

A restore checks everything before it touches anything (checksums, format version, migration state, an
empty target unless `force`), then replaces every table's rows in one transaction and swaps the data
directory by renaming a sibling directory into place as the transaction's last step: if anything fails,
the database rolls back and the old data directory is put back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ansinh.accounts.models import SYSTEM_USERNAME, User
from ansinh.audit.services import audit_record
from ansinh.core.errors import PermissionDenied, ValidationFailed

#: Bumped when the archive's layout or the meaning of a member changes; a restore refuses any other.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
DATA = "data"
#: Made by migrations on every database: never copied, found again by natural key.
REGENERATED = ("contenttypes.contenttype", "auth.permission")
#: Not data: the dashboard cache's stamp stays as it is, and the restore's own writes give it a new token.
NOT_COPIED = ("targets.figuresstamp",)
BATCH = 1000

Progress = Callable[[str, float | None], None]


class BackupRefused(ValidationFailed):
    """An archive that cannot be restored here (damaged, another format, another schema, a full target)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    tables: dict[str, int]
    files: int
    data_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    archive: Path
    created_at: str
    tables: dict[str, int]
    files: int
    replaced: bool  # the target held data and `force` replaced it
    warnings: list[str] = field(default_factory=list)


def _quiet(label: str, fraction: float | None) -> None:
    pass


# ---------------------------------------------------------------------------------------------- models


def _models() -> list[type[models.Model]]:
    """Every table the backup copies, in a stable order (many-to-many link tables included)."""
    skipped = REGENERATED + NOT_COPIED
    chosen = [m for m in apps.get_models(include_auto_created=True) if m._meta.label_lower not in skipped]
    return sorted((m for m in chosen if not m._meta.proxy and m._meta.managed), key=lambda m: m._meta.label_lower)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _regenerated_target(field_: models.Field) -> str | None:
    related = getattr(field_, "related_model", None)
    if field_.is_relation and related is not None and related._meta.label_lower in REGENERATED:
        return related._meta.label_lower
    return None


def _encode(value: object) -> object:
    """A column value as JSON, exactly: no rounding of times or decimals."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def _decode(field_: models.Field, value: object) -> object:
    if value is None:
        return None
    if isinstance(field_, models.JSONField):
        return value
    if isinstance(field_, models.DurationField):
        return timedelta(seconds=value)
    return field_.to_python(value)


class _NaturalKeys:
    """Content types and permissions by natural key, both ways, for the rows that point at them."""

    def __init__(self) -> None:
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        self.ids = {
            "contenttypes.contenttype": {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()},
            "auth.permission": {
                p.pk: [p.codename, p.content_type.app_label, p.content_type.model]
                for p in Permission.objects.select_related("content_type")
            },
        }
        self.keys = {label: {tuple(k): pk for pk, k in table.items()} for label, table in self.ids.items()}

    def key(self, label: str, pk: int) -> list:
        return self.ids[label][pk]

    def pk(self, label: str, key: list) -> int:
        found = self.keys[label].get(tuple(key))
        if found is None:
            raise BackupRefused(f"Bản sao lưu nhắc tới {label} “{'.'.join(key)}” mà cơ sở dữ liệu này không có.")
        return found


# ------------------------------------------------------------------------------------------ migrations


def _migration_state() -> dict[str, list[str]]:
    """The migrations applied to the database, per app: a restore needs exactly the same."""
    state: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ansinh")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
        return "unknown"


# ------------------------------------------------------------------------------------------- the files


def _is_temporary(path: Path) -> bool:
    """Half-written files (`.ledger.parquet.123.tmp`) and hidden scratch files are never backed up."""
    return path.name.startswith(".") or path.suffix in (".tmp", ".part") or path.name.endswith("~")


def _data_files(directory: Path) -> list[Path]:
    """The data directory's regular files worth keeping, relative to it, in a stable order."""
    if not directory.is_dir():
        return []
    database = Path(str(settings.DATABASES["default"].get("NAME") or "")).resolve()
    skip = {database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")}
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink() and not _is_temporary(path) and path.resolve() not in skip:
                files.append(path.relative_to(directory))
    return files


class _Hashing:
    """A file object that hashes what is read through it (the tar member is read once, hashed on the way)."""

    def __init__(self, stream):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------------ make


def backup_make(*, actor: User, out: Path, progress: Progress | None = None) -> BackupResult:
    """Write one archive of the database and the data directory to `out` (a `.tar.gz`), audited.

    The archive is written under a temporary name beside `out` and renamed when complete, so a backup
    cut short never looks like a good one. Rows are streamed table by table, never all in memory.
    """
    say = progress or _quiet
    _require_admin(actor)
    out = Path(out)
    if out.is_dir():
        out = out / f"ansinh-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    if not out.parent.is_dir():
        raise ValidationFailed(f"Thư mục “{out.parent}” không tồn tại: tạo thư mục trước hoặc chọn đường dẫn khác.")
    data_dir = Path(settings.DATA_DIR)
    members: dict[str, dict] = {}
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".ansinh-backup-") as scratch:
            dump = Path(scratch) / DATABASE
            # One read transaction: every table is copied as of the same instant (on PostgreSQL that needs
            # REPEATABLE READ: under the default READ COMMITTED each query would see its own instant).
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if outermost and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                tables = _dump_database(dump, say)
                state = _migration_state()
            members[DATABASE] = {"sha256": _file_sha256(dump), "size": dump.stat().st_size}
            files = _data_files(data_dir)
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                say("Ghi cơ sở dữ liệu vào bản sao lưu", None)
                archive.add(dump, arcname=DATABASE, recursive=False)
                data_bytes = 0
                for index, relative in enumerate(files, start=1):
                    say(f"Sao chép thư mục dữ liệu ({index}/{len(files)}): {relative}", index / len(files))
                    name = f"{DATA}/{relative.as_posix()}"
                    members[name] = _add_file(archive, data_dir / relative, name)
                    data_bytes += members[name]["size"]
                manifest = {
                    "format_version": FORMAT_VERSION,
                    "ansinh_version": _version(),
                    "created_at": timezone.now().isoformat(),
                    "database_engine": connection.vendor,
                    "migrations": state,
                    "tables": tables,
                    "members": members,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    size, digest = out.stat().st_size, _file_sha256(out)
    with transaction.atomic():
        audit_record(actor=actor, action="backup.make", obj=None, file=str(out), size=size, sha256=digest,
                     rows=sum(tables.values()), files=len(files))
    return BackupResult(out, size, digest, tables, len(files), data_bytes)


def _dump_database(path: Path, say: Progress) -> dict[str, int]:
    naturals = _NaturalKeys()
    counts: dict[str, int] = {}
    chosen = _models()
    with path.open("w", encoding="utf-8") as stream:
        for index, model in enumerate(chosen, start=1):
            label = model._meta.label_lower
            say(f"Sao lưu bảng {label}", index / len(chosen))
            fields = _fields(model)
            links = {f.attname: _regenerated_target(f) for f in fields}
            count = 0
            for row in model._base_manager.order_by("pk").values_list(*(f.attname for f in fields)).iterator(chunk_size=2000):
                values = {}
                for f, value in zip(fields, row):
                    target = links[f.attname]
                    values[f.attname] = naturals.key(target, value) if target and value is not None else _encode(value)
                stream.write(json.dumps({"model": label, "fields": values}, ensure_ascii=False) + "\n")
                count += 1
            counts[label] = count
    return counts


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as stream:
        hashing = _Hashing(stream)
        archive.addfile(info, hashing)
    return {"sha256": hashing.digest.hexdigest(), "size": hashing.size}


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), int(timezone.now().timestamp()), 0o644
    archive.addfile(info, io.BytesIO(content))


def _require_admin(actor: User) -> None:
    """Backups hold everyone's data: only the server operator (its `system` account) or a province-wide admin."""
    if not actor.is_province_admin:
        raise PermissionDenied("Chỉ quản trị cấp tỉnh hoặc người vận hành máy chủ được sao lưu, phục hồi dữ liệu.")


# --------------------------------------------------------------------------------------------- restore


def backup_restore(*, actor: User, archive: Path, force: bool = False, progress: Progress | None = None) -> RestoreResult:
    """Put the database and the data directory back as the archive holds them; audited after the restore.

    Refuses, changing nothing: a damaged archive (a checksum or the compression fails), another format
    version, a database at another migration state, and a database or data directory that already holds
    data unless `force`. The rows are replaced in one transaction; the data directory is swapped by rename.
    `actor` (a province-wide admin) is checked before anything is read; see `_restore` for who the audit
    row names afterwards.
    """
    _require_admin(actor)
    return _restore(archive=archive, force=force, progress=progress, by=actor.username)


def backup_restore_as_operator(*, archive: Path, force: bool = False, progress: Progress | None = None) -> RestoreResult:
    """`backup_restore` by the server's operator (`ansinh restore` without `--as`): the one write that
    takes no actor, by design.

    The operator's actor is the `system` account, but a restore into an empty database must find it
    empty: `User.objects.system()` would create that account (and its audit row) first and the restore
    would then refuse the target as not empty, or need `--force` to wipe a database that held nothing.
    So no account is looked up or created before the restore; the restore's audit row is written
    afterwards by the restored `system` account (created then, audited, if the archive has none).
    """
    return _restore(archive=archive, force=force, progress=progress, by=SYSTEM_USERNAME)


def _restore(*, archive: Path, force: bool, progress: Progress | None, by: str) -> RestoreResult:
    """The restore itself, then its audit row. The row's actor must exist in the restored database: the
    account named `by` as the archive holds it, or the operator's `system` account when the archive does
    not know that name (`by` keeps the name of who ran it either way)."""
    say = progress or _quiet
    archive = Path(archive)
    if not archive.is_file():
        raise ValidationFailed(f"Không có tệp sao lưu “{archive}”.")
    data_dir = Path(settings.DATA_DIR)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the data directory: the swap below is then a rename on one file system.
    with tempfile.TemporaryDirectory(dir=data_dir.parent, prefix=f".{data_dir.name}-restore-") as scratch:
        unpacked = Path(scratch) / "archive"
        say(f"Giải nén và kiểm tra {archive.name}", None)
        manifest = _unpack(archive, unpacked)
        _check_manifest(manifest, unpacked, archive)
        replaced = _check_target(data_dir, force)
        undo = None
        try:
            with transaction.atomic():
                _load_database(unpacked / DATABASE, manifest["tables"], say)
                say("Thay thư mục dữ liệu", None)
                # The last step inside the transaction: if the commit fails, the rename is undone below.
                undo = _swap_data_dir(unpacked / DATA, data_dir, Path(scratch) / "old-data")
        except BaseException:
            if undo is not None:
                undo()
            raise
        # Committed: the old data directory (moved into the scratch directory) is deleted with it.
    with transaction.atomic():
        restored_actor = User.objects.filter(username=by).first() or User.objects.system()
        audit_record(actor=restored_actor, action="backup.restore", obj=None, file=str(archive), by=by,
                     created_at=manifest["created_at"], engine=manifest["database_engine"], forced=replaced,
                     rows=sum(manifest["tables"].values()))
    files = sum(1 for name in manifest["members"] if name.startswith(f"{DATA}/"))
    return RestoreResult(archive, manifest["created_at"], manifest["tables"], files, replaced)


def _damaged(archive: Path, why: str) -> BackupRefused:
    return BackupRefused(f"Tệp sao lưu “{archive.name}” bị hỏng ({why}): không phục hồi gì. Hãy dùng một bản sao lưu khác.")


def _unpack(archive: Path, into: Path) -> dict:
    """Extract safely (no absolute paths, no links, nothing outside `into`) and read the manifest."""
    into.mkdir()
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _damaged(archive, f"không giải nén được: {error}") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _damaged(archive, "thiếu manifest.json") from None
    except (ValueError, UnicodeDecodeError):
        raise _damaged(archive, "manifest.json không đọc được") from None
    if not isinstance(manifest, dict):
        raise _damaged(archive, "manifest.json không đúng dạng")
    return manifest


def _check_manifest(manifest: dict, unpacked: Path, archive: Path) -> None:
    found = manifest.get("format_version")
    if found != FORMAT_VERSION:
        raise BackupRefused(
            f"Bản sao lưu “{archive.name}” có định dạng phiên bản {found}, phiên bản An Sinh này chỉ đọc định dạng "
            f"{FORMAT_VERSION}: hãy phục hồi bằng phiên bản An Sinh {manifest.get('ansinh_version', '?')} đã tạo ra nó."
        )
    members = manifest.get("members") or {}
    if DATABASE not in members or not all(k in manifest for k in ("tables", "migrations", "created_at")):
        raise _damaged(archive, "manifest.json thiếu thông tin")
    present = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(members):
        extra = sorted(present - set(members)) + sorted(set(members) - present)
        raise _damaged(archive, f"danh sách tệp không khớp manifest: {', '.join(extra[:5])}")
    for name, expected in members.items():
        if _file_sha256(unpacked / name) != expected.get("sha256"):
            raise _damaged(archive, f"mã kiểm tra SHA-256 của {name} không khớp")
    here = _migration_state()
    if manifest["migrations"] != here:
        differ = sorted(a for a in set(here) | set(manifest["migrations"]) if here.get(a) != manifest["migrations"].get(a))
        raise BackupRefused(
            f"Cơ sở dữ liệu này ở trạng thái cấu trúc (migration) khác bản sao lưu ở các ứng dụng: {', '.join(differ)}. "
            f"Hãy dùng phiên bản An Sinh {manifest.get('ansinh_version', '?')} đã tạo bản sao lưu, hoặc đưa cơ sở dữ liệu "
            "về đúng trạng thái đó, rồi phục hồi lại."
        )


def _target_rows() -> dict[str, int]:
    """Rows already in the database, per table; the `system` account every command creates does not count."""
    counts = {}
    for model in _models():
        rows = model._base_manager.all()
        if model is User:
            rows = rows.exclude(username="system")
        if n := rows.count():
            counts[model._meta.label_lower] = n
    return counts


def _check_target(data_dir: Path, force: bool) -> bool:
    rows, files = _target_rows(), _data_files(data_dir)
    if not rows and not files:
        return False
    if force:
        return True
    held = []
    if rows:
        held.append(f"cơ sở dữ liệu có {sum(rows.values())} dòng ở {len(rows)} bảng")
    if files:
        held.append(f"thư mục dữ liệu {data_dir} có {len(files)} tệp")
    raise BackupRefused(
        f"Nơi phục hồi không trống ({'; '.join(held)}): phục hồi sẽ xoá và thay toàn bộ. "
        "Nếu đúng ý muốn, chạy lại với --force."
    )


def _rows(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def _load_database(path: Path, tables: dict[str, int], say: Progress) -> None:
    """Empty every table, then insert the archive's rows as they were (ids, timestamps), in batches."""
    chosen = {m._meta.label_lower: m for m in _models()}
    unknown = sorted(set(tables) - set(chosen))
    if unknown:
        raise BackupRefused(f"Bản sao lưu có bảng mà phiên bản này không có: {', '.join(unknown)}.")
    say("Xoá dữ liệu hiện có", None)
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED on both
        # engines), so the order of deletes and inserts inside the transaction does not matter.
        for model in reversed(list(chosen.values())):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    naturals = _NaturalKeys()
    total, done = max(1, sum(tables.values())), 0
    batch: list[models.Model] = []
    current: type[models.Model] | None = None
    fields: list[models.Field] = []
    links: dict[str, str | None] = {}

    def flush() -> None:
        if batch:
            size = connection.ops.bulk_batch_size(fields, batch) or len(batch)
            for start in range(0, len(batch), size):
                current._base_manager._insert(batch[start:start + size], fields=fields, raw=True)
            batch.clear()

    for row in _rows(path):
        label = row["model"]
        if current is None or label != current._meta.label_lower:
            flush()
            current = chosen[label]
            fields = _fields(current)
            links = {f.attname: _regenerated_target(f) for f in fields}
            say(f"Phục hồi bảng {label}", done / total)
        values = row["fields"]
        instance = current()
        for f in fields:
            value = values.get(f.attname)
            target = links[f.attname]
            setattr(instance, f.attname, naturals.pk(target, value) if target and value is not None else _decode(f, value))
        batch.append(instance)
        done += 1
        if len(batch) >= BATCH:
            flush()
    flush()
    _check_counts(tables)
    statements = connection.ops.sequence_reset_sql(no_style(), list(chosen.values()))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _check_counts(tables: dict[str, int]) -> None:
    for model in _models():
        label = model._meta.label_lower
        if model._base_manager.count() != tables.get(label, 0):
            raise BackupRefused(f"Số dòng của bảng {label} sau khi phục hồi không khớp manifest: đã huỷ phục hồi.")


def _swap_data_dir(restored: Path, data_dir: Path, old: Path) -> Callable[[], None]:
    """Rename the unpacked data into place, the old directory aside to `old`; answer how to undo it."""
    restored.mkdir(exist_ok=True)
    had_old = data_dir.exists()
    if had_old:
        os.replace(data_dir, old)
    try:
        os.replace(restored, data_dir)
    except OSError:
        if had_old:
            os.replace(old, data_dir)
        raise

    def undo() -> None:
        shutil.rmtree(data_dir, ignore_errors=True)
        if had_old:
            os.replace(old, data_dir)

    return undo
