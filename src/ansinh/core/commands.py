"""`ansinh backup` and `ansinh restore`: the command-line door into `ansinh.core.backup`.

Registered by `ansinh.cli` (which owns the shared helpers: Django set-up, the acting user, error exits).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ansinh import cli as base


@contextmanager
def _bar():
    """A service's `progress(label, fraction)` callback drawn as one rich bar (a spinner when no fraction)."""
    with base._progress() as progress:
        task = progress.add_task("Chuẩn bị", total=None)

        def advance(label: str, fraction: float | None) -> None:
            if fraction is None:
                progress.update(task, description=label, total=None)
            else:
                progress.update(task, description=label, total=100, completed=round(fraction * 100))

        yield advance
        progress.update(task, description="Xong", total=100, completed=100)


def backup(
    out: Annotated[Path, typer.Argument(help="Tệp .tar.gz cần ghi, hoặc một thư mục (tên tệp theo ngày giờ).")] = Path("."),
    as_user: base.AsUser = None,
) -> None:
    """Sao lưu cơ sở dữ liệu và thư mục dữ liệu vào một tệp .tar.gz (có manifest và mã kiểm tra SHA-256)."""
    with base._domain_errors():
        base._ready()
        from ansinh.core.backup import backup_make
        from ansinh.core.formatting import format_int

        with _bar() as advance:
            result = backup_make(actor=base._actor(as_user), out=out, progress=advance)
    base.out.print(
        f"Đã sao lưu vào {result.path} ({format_int(result.size)} byte): {format_int(sum(result.tables.values()))} dòng "
        f"ở {len(result.tables)} bảng, {format_int(result.files)} tệp dữ liệu. SHA-256: {result.sha256}"
    )


def restore(
    archive: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tệp sao lưu do `ansinh backup` tạo ra.")],
    force: Annotated[bool, typer.Option("--force", help="Xoá và thay dữ liệu đang có (mặc định: chỉ phục hồi vào nơi trống).")] = False,
    as_user: base.AsUser = None,
) -> None:
    """Phục hồi cơ sở dữ liệu và thư mục dữ liệu từ một bản sao lưu; kiểm tra trước, lỗi thì không thay đổi gì."""
    with base._domain_errors():
        base._ready()
        from ansinh.core.backup import backup_restore
        from ansinh.core.formatting import format_int

        # Without --as the operator restores: no `system` account is created first (the target stays empty).
        actor = base._actor(as_user) if as_user else None
        with _bar() as advance:
            result = backup_restore(actor=actor, archive=archive, force=force, progress=advance)
    replaced = " (đã thay dữ liệu cũ)" if result.replaced else ""
    base.out.print(
        f"Đã phục hồi bản sao lưu lúc {result.created_at}{replaced}: {format_int(sum(result.tables.values()))} dòng "
        f"ở {len(result.tables)} bảng, {format_int(result.files)} tệp dữ liệu."
    )
