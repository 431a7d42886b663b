"""`ansinh employers …` and `ansinh params …`: the command-line door into the employer services.

Registered by `ansinh.cli` (which owns the shared helpers: Django set-up, the acting user, error exits).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh import cli as base

employers_app = typer.Typer(help="Đơn vị sử dụng lao động: đối chiếu, nợ đóng, đôn đốc.", no_args_is_help=True)
params_app = typer.Typer(help="Tham số nghiệp vụ có ngày hiệu lực (lãi suất, ngưỡng).", no_args_is_help=True)
DATASETS_HELP = "units (đơn vị BHXH) | tax (Thuế) | changes (biến động ĐKKD) | zones (KCN/KKT) | unions (công đoàn) | ledger (sổ thu)"


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    from ansinh.core.errors import ValidationFailed
    from ansinh.employers.importers import CellError, day

    try:
        return day(text)
    except CellError:
        raise ValidationFailed(f"{option} “{text}”: ngày phải viết dd/mm/yyyy hoặc YYYY-MM-DD.") from None


@employers_app.command("import")
def employers_import(
    dataset: Annotated[str, typer.Argument(help=DATASETS_HELP)],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tệp CSV/XLSX như cơ quan gửi đến.")],
    mapping: Annotated[Optional[list[str]], typer.Option("--map", help="Tên cột trong tệp=tên trường, ví dụ \"Tên NNT=name\".")] = None,
    as_user: base.AsUser = None,
) -> None:
    """Nhập một danh sách. Một dòng lỗi thì cả tệp bị từ chối; nhập lại cùng tệp không thay đổi gì."""
    with base._domain_errors():
        base._ready()
        from ansinh.core.tabular import parse_mapping
        from ansinh.employers.services import employers_import as run

        with base._progress() as progress:
            progress.add_task(f"Kiểm tra và nhập {file.name}", total=None)
            outcome = run(actor=base._actor(as_user), dataset=dataset, content=file.read_bytes(), filename=file.name,
                          mapping=parse_mapping(mapping or []))
    if outcome.unchanged:
        base.out.print(f"Không có gì thay đổi: {outcome.rows} dòng đã có sẵn như trong tệp.")
    else:
        base.out.print(f"Đã nhập {outcome.rows} dòng: {outcome.added} mới, {outcome.changed} thay đổi, {outcome.removed} bỏ đi.")
    for warning in outcome.warnings:
        base.out.print(f"[yellow]Lưu ý:[/] {warning}")


@employers_app.command("reconcile")
def employers_reconcile(
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    as_user: base.AsUser = None,
) -> None:
    """Đối chiếu danh sách Thuế, KCN, Công đoàn với đơn vị BHXH; cập nhật danh sách việc của các xã."""
    with base._domain_errors():
        base._ready()
        from ansinh.employers.services import employers_reconcile as run

        with base._steps() as step:
            outcome = run(actor=base._actor(as_user), progress=step)
    if as_json:
        typer.echo(json.dumps({"counts": outcome.counts, "created": outcome.created, "reopened": outcome.reopened,
                               "closed": outcome.closed, "seconds": round(outcome.run.seconds, 3)}, ensure_ascii=False))
        return
    from ansinh.employers.models import WorkItem

    table = Table("Kết quả", "Số", title="Đối chiếu đơn vị sử dụng lao động")
    table.add_row("Bản ghi ngoài (Thuế, KCN, Công đoàn)", _n(outcome.counts["records"]))
    table.add_row("Đơn vị BHXH", _n(outcome.counts["units"]))
    table.add_row("Đã khớp", _n(outcome.counts["matched"]))
    for kind in WorkItem.Kind:
        table.add_row(kind.label, _n(outcome.counts[kind.value]))
    base.out.print(table)
    base.out.print(f"Danh sách việc: {outcome.created} mục mới, {outcome.reopened} mở lại, {outcome.closed} đã xong "
                   f"({_seconds(outcome.run.seconds)}).")


def _n(value: int) -> str:
    from ansinh.core.formatting import format_int

    return format_int(value)


def _seconds(value: float) -> str:
    from ansinh.core.formatting import format_decimal

    return f"{format_decimal(value, 1)} giây"


# -------------------------------------------------------------------------------------------- params


@params_app.command("list")
def params_list(on: Annotated[Optional[str], typer.Option(help="Ngày cần xem (dd/mm/yyyy); mặc định hôm nay.")] = None) -> None:
    """Các tham số nghiệp vụ và giá trị có hiệu lực vào một ngày."""
    with base._domain_errors():
        base._ready()
        from django.utils import timezone

        from ansinh.employers.parameters import LABELS, parameters_in_force

        day = _day(on, "--on") or timezone.localdate()
        values = parameters_in_force(day)
    table = Table("Mã", "Giá trị", "Ý nghĩa", title=f"Tham số có hiệu lực ngày {day:%d/%m/%Y}")
    for code, label in LABELS.items():
        table.add_row(code, str(values.get(code, "–")), label)
    base.out.print(table)


@params_app.command("set")
def params_set(
    code: Annotated[str, typer.Argument(help="Mã tham số (xem `ansinh params list`).")],
    value: Annotated[str, typer.Argument(help="Giá trị, dấu chấm thập phân: 0.0003")],
    valid_from: Annotated[str, typer.Option("--from", help="Ngày có hiệu lực, dd/mm/yyyy.")],
    basis: Annotated[str, typer.Option(help="Căn cứ pháp lý: văn bản, điều.")],
    as_user: base.AsUser = None,
) -> None:
    """Đặt giá trị một tham số từ một ngày (theo văn bản mới); giá trị cũ vẫn dùng cho trước ngày đó."""
    with base._domain_errors():
        base._ready()
        from ansinh.employers.services import parameter_set

        row = parameter_set(actor=base._actor(as_user), code=code, value=value, valid_from=_day(valid_from, "--from"), basis=basis)
    base.out.print(f"Đã đặt {row.code} = {row.value} từ {row.valid_from:%d/%m/%Y} ({row.basis}).")
