"""`ansinh attainment`, `ansinh import actuals` and `ansinh targets …`: the door into targets and actuals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh.console import AsUser, acting, command, out, progress_bar

app = typer.Typer()
import_app = typer.Typer(help="Nhập số liệu.", no_args_is_help=True)
targets_app = typer.Typer(help="Chỉ tiêu.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(targets_app, name="targets")


@command(app)
def attainment(
    unit: Annotated[str, typer.Option(help="Mã đơn vị (92 = Cần Thơ, 31135 = Phường Ninh Kiều).")],
    children: Annotated[bool, typer.Option("--children", help="Một dòng cho mỗi đơn vị trực thuộc.")] = False,
    indicator: Annotated[Optional[str], typer.Option(help="Mã chỉ số, ví dụ bhyt.coverage.")] = None,
    period: Annotated[Optional[str], typer.Option(help="YYYY hoặc YYYY-MM (mặc định: tháng mới nhất có số liệu).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In mảng JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Kết quả thực hiện so với chỉ tiêu: thực hiện, chỉ tiêu, % đạt, còn thiếu, xếp hạng, dự báo."""
    rows = _attainment_rows(unit, children, indicator, period, acting(as_user))
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    _print_attainment(rows)


def _attainment_rows(unit_code, children, indicator, period, actor):
    from ansinh.units.selectors import access_unit
    from ansinh.core.periods import Period
    from ansinh.targets.indicators import indicator_get
    from ansinh.targets.attainment_rows import attainment_report

    return attainment_report(
        actor=actor, unit=access_unit(actor=actor, code=unit_code), children=children,
        period=Period.parse(period) if period else None, indicator=indicator_get(indicator) if indicator else None,
    )


def _print_attainment(rows) -> None:
    from ansinh.core.formatting import format_int, format_percent

    table = Table("Đơn vị", "Chỉ số", "Kỳ", "Thực hiện", "Chỉ tiêu", "% đạt", "Còn thiếu", "Hạng", "Tình trạng")
    for row in rows:
        shown = format_int if row.indicator.kind.value == "count" else format_percent
        table.add_row(
            f"{row.unit_name} ({row.unit_code})", row.indicator.code, row.period, shown(row.actual), shown(row.target),
            format_percent(row.attainment_pct), format_int(row.gap),
            f"{row.rank}/{row.rank_of}" if row.rank else "–", row.status.label,
        )
    out.print(table)


# ---------------------------------------------------------------------------------------------- import


@command(import_app, "actuals")
def import_actuals(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV/XLSX: unit_code, period, measure, value")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra, không lưu.")] = False,
    as_user: AsUser = None,
) -> None:
    """Nhập số liệu thực hiện hằng tháng. Một dòng lỗi thì cả tệp bị từ chối, liệt kê mọi dòng lỗi."""
    from ansinh.targets.services import actuals_import

    with progress_bar() as progress:
        progress.add_task(f"Kiểm tra và nhập {file.name}", total=None)
        result = actuals_import(actor=acting(as_user), content=file.read_bytes(), filename=file.name, dry_run=dry_run)
    verb = "Kiểm tra xong (chưa lưu)" if result.dry_run else "Đã nhập"
    out.print(f"{verb}: {result.rows} dòng — {result.created} mới, {result.updated} thay đổi, {result.unchanged} không đổi.")


# --------------------------------------------------------------------------------------------- targets


@command(targets_app, "allocate")
def targets_allocate(
    plan: Annotated[str, typer.Option(help="Số kế hoạch, ví dụ 53/KH-UBND.")],
    indicator: Annotated[str, typer.Option(help="Mã chỉ số, ví dụ bhyt.participants.")],
    parent: Annotated[str, typer.Option(help="Mã đơn vị cấp trên có chỉ tiêu.")],
    method: Annotated[str, typer.Option(help="proportional | gap | growth")] = "proportional",
    as_user: AsUser = None,
) -> None:
    """Phân bổ (giao) chỉ tiêu của đơn vị cấp trên cho các đơn vị trực thuộc."""
    from ansinh.units.selectors import access_unit
    from ansinh.core.formatting import format_int
    from ansinh.targets.selectors import access_plan_by_number
    from ansinh.targets.services import target_allocate

    actor = acting(as_user)
    parent_unit = access_unit(actor=actor, code=parent)
    chosen = access_plan_by_number(actor=actor, number=plan, unit=parent_unit)
    targets = target_allocate(actor=actor, plan=chosen, indicator=indicator, parent=parent_unit, method=method)
    final = [t.milestones.order_by("due_on").last() for t in targets]
    total = sum(int(m.value) for m in final if m)
    out.print(f"Đã phân bổ {targets[0].indicator} cho {len(targets)} đơn vị; tổng mốc cuối: {format_int(total)}.")
