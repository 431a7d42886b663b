"""`ansinh units …`: the command-line door into the administrative-unit services."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ansinh.console import AsUser, acting, command, out

app = typer.Typer()
units_app = typer.Typer(help="Đơn vị hành chính.", no_args_is_help=True)
app.add_typer(units_app, name="units")


@command(units_app, "load")
def units_load(
    province: Annotated[Optional[list[str]], typer.Option(help="Chỉ nạp tỉnh này (lặp lại được).")] = None,
) -> None:
    """Nạp đơn vị hành chính chính thức từ 1/7/2025 (34 tỉnh, 3.321 xã) từ gói vietnam-provinces."""
    from ansinh.units.services import units_load_official

    created = units_load_official(actor=acting(None), province_codes=set(province) if province else None)
    out.print(f"Đã nạp: {created['provinces']} tỉnh mới, {created['communes']} xã mới.")


@command(units_app, "load-mapping")
def units_load_mapping(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV/XLSX: old_code, new_code, share[, old_name]")],
    effective: Annotated[str, typer.Option(help="Ngày đơn vị cũ hết hiệu lực (YYYY-MM-DD).")] = "2025-07-01",
) -> None:
    """Nạp bảng chuyển đổi đơn vị cũ → mới (có tỷ lệ), để số liệu năm trước hiện trên đơn vị năm nay."""
    from ansinh.core.errors import ValidationFailed
    from ansinh.core.numbers import ISO_DAY_PATTERNS, parse_day
    from ansinh.units.services import units_load_mapping as load

    try:
        effective_on = parse_day(effective, patterns=ISO_DAY_PATTERNS)
    except ValueError:
        raise ValidationFailed(f"Ngày “{effective}” không hợp lệ: dùng YYYY-MM-DD.") from None
    counts = load(actor=acting(None), content=file.read_bytes(), filename=file.name, effective=effective_on)
    out.print(
        f"Đã nạp bảng chuyển đổi: {counts['old_units_created']} đơn vị cũ mới tạo, "
        f"{counts['links_created']} liên kết mới, {counts['links_updated']} liên kết cập nhật."
    )


@command(units_app, "add")
def units_add(
    parent: Annotated[str, typer.Option(help="Mã đơn vị cấp trên (xã hoặc tổ chức dịch vụ thu).")],
    code: Annotated[str, typer.Option(help="Mã đơn vị mới (duy nhất trong xã).")],
    name: Annotated[str, typer.Option(help="Tên đơn vị.")],
    kind: Annotated[str, typer.Option(help="village | collection_org | agent")] = "village",
    as_user: AsUser = None,
) -> None:
    """Thêm ấp/thôn, tổ chức dịch vụ thu hoặc nhân viên thu dưới một xã, để giao chỉ tiêu tới đó."""
    from ansinh.units.selectors import access_unit
    from ansinh.units.services import unit_add

    actor = acting(as_user)
    parent_unit = access_unit(actor=actor, code=parent)
    unit = unit_add(actor=actor, parent=parent_unit, code=code, name=name, kind=kind)
    out.print(f"Đã thêm {unit.get_kind_display().lower()} {unit.name} ({unit.code}).")
