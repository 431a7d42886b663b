"""`ansinh`: the command line door into the same services the web pages and the API use.

Each command parses its own options, calls one service or selector, and prints the answer; domain errors
become a red message and a non-zero exit code in one place (`_domain_errors`), never a stack trace.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="An Sinh: kế hoạch thực hiện chỉ tiêu BHXH, BHYT, BHTN của tỉnh.", no_args_is_help=True)
units_app = typer.Typer(help="Đơn vị hành chính.", no_args_is_help=True)
import_app = typer.Typer(help="Nhập số liệu.", no_args_is_help=True)
targets_app = typer.Typer(help="Chỉ tiêu.", no_args_is_help=True)
users_app = typer.Typer(help="Tài khoản.", no_args_is_help=True)
app.add_typer(units_app, name="units")
app.add_typer(import_app, name="import")
app.add_typer(targets_app, name="targets")
app.add_typer(users_app, name="users")

out = Console()
err = Console(stderr=True)
AsUser = Annotated[Optional[str], typer.Option("--as", help="Chạy với quyền của tài khoản này (mặc định: quản trị hệ thống).")]


def _ready() -> None:
    """Set Django up once and bring the database schema up to date (a fresh clone needs no other step)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)


@contextmanager
def _domain_errors():
    """Turn a domain error into its message (and every bad row of a rejected file) and exit code 1."""
    from ansinh.core.errors import AnSinhError, ImportRejected

    try:
        yield
    except ImportRejected as rejected:
        err.print(f"[bold red]{rejected.message}[/]")
        for row in rejected.errors:
            err.print(f"  {row}")
        raise typer.Exit(1) from None
    except AnSinhError as error:
        err.print(f"[bold red]Lỗi:[/] {error.message}")
        raise typer.Exit(1) from None


def _actor(username: str | None):
    """The user a command acts as: `--as NAME`, or the system account that stands for the server operator."""
    from ansinh.accounts.models import User
    from ansinh.core.errors import NotFound

    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise NotFound(f"Không có tài khoản “{username}”.")
        return user
    user, created = User.objects.get_or_create(username="system", defaults={"is_superuser": True, "is_staff": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=False)


# ------------------------------------------------------------------------------------------------ demo


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Cổng web.")] = 8000,
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Mở máy chủ web sau khi nạp.")] = True,
) -> None:
    """Nạp dữ liệu mẫu Cần Thơ 2025 (kế hoạch 53/KH-UBND) vào SQLite dưới ./var rồi mở trang web."""
    with _domain_errors():
        _ready()
        from ansinh.demo.services import demo_load

        with _progress() as progress:
            task = progress.add_task("Chuẩn bị", total=None)

            def step(text: str) -> None:
                progress.update(task, description=text)
                progress.console.print(f"[green]✓[/] {text}")

            result = demo_load(password=os.environ.get("ANSINH_DEMO_PASSWORD"), step=step)
            progress.update(task, description="Xong")
    url = f"http://{host}:{port}/"
    from ansinh.core.formatting import format_int

    out.print(f"\n[bold]An Sinh[/] — Cần Thơ 2025: {format_int(result.actual_rows)} dòng số liệu, {result.users} tài khoản.")
    out.print(f"Địa chỉ: [link={url}]{url}[/link]")
    out.print("Đăng nhập: [bold]tinh[/] (quản trị cấp tỉnh), [bold]xa-<mã xã>[/] (biên tập cấp xã, ví dụ xa-31135)")
    source = "ngẫu nhiên, đặt ANSINH_DEMO_PASSWORD để cố định" if result.password_generated else "từ ANSINH_DEMO_PASSWORD"
    out.print(f"Mật khẩu ({source}): [bold]{result.password}[/]")
    if serve:
        _serve(host, port)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Cổng web.")] = 8000,
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe.")] = "127.0.0.1",
) -> None:
    """Mở máy chủ web (waitress) với cơ sở dữ liệu hiện có."""
    _ready()
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    from ansinh.wsgi import application

    out.print(f"Đang phục vụ tại http://{host}:{port}/ (Ctrl+C để dừng)")
    waitress_serve(application, host=host, port=port, threads=8, ident="ansinh")


@app.command()
def migrate() -> None:
    """Cập nhật cấu trúc cơ sở dữ liệu (SQLite hoặc PostgreSQL theo DATABASE_URL)."""
    _ready()
    out.print("[green]Cơ sở dữ liệu đã ở phiên bản mới nhất.[/]")


# ----------------------------------------------------------------------------------------------- units


@units_app.command("load")
def units_load(
    province: Annotated[Optional[list[str]], typer.Option(help="Chỉ nạp tỉnh này (lặp lại được).")] = None,
) -> None:
    """Nạp đơn vị hành chính chính thức từ 1/7/2025 (34 tỉnh, 3.321 xã) từ gói vietnam-provinces."""
    with _domain_errors():
        _ready()
        from ansinh.core.services import units_load_official

        created = units_load_official(actor=_actor(None), province_codes=set(province) if province else None)
    out.print(f"Đã nạp: {created['provinces']} tỉnh mới, {created['communes']} xã mới.")


@units_app.command("load-mapping")
def units_load_mapping(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV/XLSX: old_code, new_code, share[, old_name]")],
    effective: Annotated[str, typer.Option(help="Ngày đơn vị cũ hết hiệu lực (YYYY-MM-DD).")] = "2025-07-01",
) -> None:
    """Nạp bảng chuyển đổi đơn vị cũ → mới (có tỷ lệ), để số liệu năm trước hiện trên đơn vị năm nay."""
    with _domain_errors():
        _ready()
        from ansinh.core.errors import ValidationFailed
        from ansinh.core.services import units_load_mapping as load

        try:
            effective_on = date.fromisoformat(effective)
        except ValueError:
            raise ValidationFailed(f"Ngày “{effective}” không hợp lệ: dùng YYYY-MM-DD.") from None
        counts = load(actor=_actor(None), content=file.read_bytes(), filename=file.name, effective=effective_on)
    out.print(
        f"Đã nạp bảng chuyển đổi: {counts['old_units_created']} đơn vị cũ mới tạo, "
        f"{counts['links_created']} liên kết mới, {counts['links_updated']} liên kết cập nhật."
    )


@units_app.command("add")
def units_add(
    parent: Annotated[str, typer.Option(help="Mã đơn vị cấp trên (xã hoặc tổ chức dịch vụ thu).")],
    code: Annotated[str, typer.Option(help="Mã đơn vị mới (duy nhất trong xã).")],
    name: Annotated[str, typer.Option(help="Tên đơn vị.")],
    kind: Annotated[str, typer.Option(help="village | collection_org | agent")] = "village",
    as_user: AsUser = None,
) -> None:
    """Thêm ấp/thôn, tổ chức dịch vụ thu hoặc nhân viên thu dưới một xã, để giao chỉ tiêu tới đó."""
    with _domain_errors():
        _ready()
        from ansinh.accounts.selectors import access_unit
        from ansinh.core.services import unit_add

        actor = _actor(as_user)
        parent_unit = access_unit(actor=actor, code=parent)
        unit = unit_add(actor=actor, parent=parent_unit, code=code, name=name, kind=kind)
    out.print(f"Đã thêm {unit.get_kind_display().lower()} {unit.name} ({unit.code}).")


# ------------------------------------------------------------------------------------------ attainment


@app.command()
def attainment(
    unit: Annotated[str, typer.Option(help="Mã đơn vị (92 = Cần Thơ, 31135 = Phường Ninh Kiều).")],
    children: Annotated[bool, typer.Option("--children", help="Một dòng cho mỗi đơn vị trực thuộc.")] = False,
    indicator: Annotated[Optional[str], typer.Option(help="Mã chỉ số, ví dụ bhyt.coverage.")] = None,
    period: Annotated[Optional[str], typer.Option(help="YYYY hoặc YYYY-MM (mặc định: tháng mới nhất có số liệu).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In mảng JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Kết quả thực hiện so với chỉ tiêu: thực hiện, chỉ tiêu, % đạt, còn thiếu, xếp hạng, dự báo."""
    with _domain_errors():
        _ready()
        rows = _attainment_rows(unit, children, indicator, period, _actor(as_user))
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    _print_attainment(rows)


def _attainment_rows(unit_code, children, indicator, period, actor):
    from ansinh.accounts.selectors import access_unit
    from ansinh.core.periods import Period
    from ansinh.targets.indicators import indicator_get
    from ansinh.targets.selectors import attainment_report

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


@import_app.command("actuals")
def import_actuals(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV/XLSX: unit_code, period, measure, value")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra, không lưu.")] = False,
    as_user: AsUser = None,
) -> None:
    """Nhập số liệu thực hiện hằng tháng. Một dòng lỗi thì cả tệp bị từ chối, liệt kê mọi dòng lỗi."""
    with _domain_errors():
        _ready()
        from ansinh.targets.services import actuals_import

        with _progress() as progress:
            progress.add_task(f"Kiểm tra và nhập {file.name}", total=None)
            result = actuals_import(actor=_actor(as_user), content=file.read_bytes(), filename=file.name, dry_run=dry_run)
    verb = "Kiểm tra xong (chưa lưu)" if result.dry_run else "Đã nhập"
    out.print(f"{verb}: {result.rows} dòng — {result.created} mới, {result.updated} thay đổi, {result.unchanged} không đổi.")


# --------------------------------------------------------------------------------------------- targets


@targets_app.command("allocate")
def targets_allocate(
    plan: Annotated[str, typer.Option(help="Số kế hoạch, ví dụ 53/KH-UBND.")],
    indicator: Annotated[str, typer.Option(help="Mã chỉ số, ví dụ bhyt.participants.")],
    parent: Annotated[str, typer.Option(help="Mã đơn vị cấp trên có chỉ tiêu.")],
    method: Annotated[str, typer.Option(help="proportional | gap | growth")] = "proportional",
    as_user: AsUser = None,
) -> None:
    """Phân bổ (giao) chỉ tiêu của đơn vị cấp trên cho các đơn vị trực thuộc."""
    with _domain_errors():
        _ready()
        from ansinh.accounts.selectors import access_unit
        from ansinh.core.formatting import format_int
        from ansinh.targets.selectors import access_plan_by_number
        from ansinh.targets.services import target_allocate

        actor = _actor(as_user)
        parent_unit = access_unit(actor=actor, code=parent)
        chosen = access_plan_by_number(actor=actor, number=plan, unit=parent_unit)
        targets = target_allocate(actor=actor, plan=chosen, indicator=indicator, parent=parent_unit, method=method)
    final = [t.milestones.order_by("due_on").last() for t in targets]
    total = sum(int(m.value) for m in final if m)
    out.print(f"Đã phân bổ {targets[0].indicator} cho {len(targets)} đơn vị; tổng mốc cuối: {format_int(total)}.")


# ----------------------------------------------------------------------------------------------- users


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập.")],
    unit: Annotated[str, typer.Option(help="Mã đơn vị của người dùng (phạm vi được xem).")],
    role: Annotated[str, typer.Option(help="admin | editor | viewer")] = "viewer",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Tạo (hoặc cập nhật) một tài khoản gắn với một đơn vị và vai trò."""
    with _domain_errors():
        _ready()
        from ansinh.accounts.services import user_set

        user = user_set(actor=_actor(None), username=username, unit_code=unit, role=role, password=password)
    out.print(f"Tài khoản {user.username}: {user.get_role_display()} — {user.org_unit}.")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
