"""`ansinh`: the command line door into the same services the web pages and the API use.

Each command parses its own options, calls one service or selector, and prints the answer; domain errors
become a red message and a non-zero exit code in one place (`_domain_errors`), never a stack trace.
"""

from __future__ import annotations

import json
import os
import sys
import time
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
coverage_app = typer.Typer(help="Bao phủ: tính từ dữ liệu cá nhân, danh sách cần vận động.", no_args_is_help=True)
app.add_typer(units_app, name="units")
app.add_typer(import_app, name="import")
app.add_typer(targets_app, name="targets")
app.add_typer(users_app, name="users")
app.add_typer(coverage_app, name="coverage")
bench_app = typer.Typer(help="Đo hiệu năng.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

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
    persons: Annotated[
        int | None,
        typer.Option(min=1, help="Cũng sinh dữ liệu cá nhân cho N người và tính số liệu 2025 từ đó (3221261 = cả thành phố)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên của dữ liệu cá nhân.")] = 2025,
    employers: Annotated[bool, typer.Option("--employers/--no-employers", help="Cũng nạp danh sách doanh nghiệp, sổ thu và đối chiếu.")] = True,
) -> None:
    """Nạp dữ liệu mẫu Cần Thơ 2025 (kế hoạch 53/KH-UBND) vào SQLite dưới ./var rồi mở trang web."""
    with _domain_errors():
        _ready()
        from ansinh.demo.services import demo_employers, demo_load, demo_persons, demo_tasks

        with _progress() as progress:
            task = progress.add_task("Chuẩn bị", total=None)

            def step(text: str) -> None:
                progress.update(task, description=text, total=None)
                progress.console.print(f"[green]✓[/] {text}")

            def advance(label: str, fraction: float) -> None:
                progress.update(task, description=label, total=100, completed=round(fraction * 100))

            result = demo_load(password=os.environ.get("ANSINH_DEMO_PASSWORD"), step=step)
            computed = None
            if persons:
                computed = demo_persons(persons=persons, seed=seed, progress=advance, step=step)
            reconciled = demo_employers(step=step) if employers else None
            tasks = demo_tasks(step=step)
            progress.update(task, description="Xong")
        if computed is not None:
            from ansinh.core.formatting import format_int as _fmt

            out.print(
                f"Dữ liệu cá nhân: {_fmt(computed.engine.persons)} người hợp lệ, "
                f"{_fmt(computed.imported.rows)} số liệu tháng tính lại từ dữ liệu cá nhân."
            )
        if reconciled is not None:
            from ansinh.core.formatting import format_int as _fmt

            counts = reconciled.counts
            out.print(
                f"Doanh nghiệp: {_fmt(reconciled.imported['units'])} đơn vị BHXH, {_fmt(reconciled.imported['tax'])} người nộp thuế, "
                f"sổ thu {_fmt(reconciled.imported['ledger'])} dòng; đối chiếu: {_fmt(counts['unregistered'])} chưa đăng ký, "
                f"{_fmt(counts['under_declared'])} đóng thiếu lao động, {_fmt(counts['closed_active'])} đã giải thể/tạm ngừng, "
                f"{_fmt(counts['uncertain'])} cần xác nhận."
            )
    from ansinh.core.formatting import format_int

    out.print(
        f"Nhiệm vụ: {format_int(tasks.tasks)} nhiệm vụ đọc từ văn bản kế hoạch, {format_int(tasks.occurrences)} kỳ phải nộp, "
        f"{format_int(tasks.handed_in)} kỳ đã nộp đến 31/10/2025."
    )
    url = f"http://{host}:{port}/"

    out.print(f"\n[bold]An Sinh[/] — Cần Thơ 2025: {format_int(result.actual_rows)} dòng số liệu, {result.users} tài khoản.")
    out.print(f"Địa chỉ: [link={url}]{url}[/link]")
    out.print("Đăng nhập: [bold]tinh[/] (quản trị cấp tỉnh), [bold]xa-<mã xã>[/] (biên tập cấp xã, ví dụ xa-31135)")
    source = "ngẫu nhiên, đặt ANSINH_DEMO_PASSWORD để cố định" if result.password_generated else "từ ANSINH_DEMO_PASSWORD"
    out.print(f"Mật khẩu ({source}): [bold]{result.password}[/]")
    if serve:
        _serve(host, port)


@app.command()
def generate(
    persons: Annotated[int, typer.Option(min=1, help="Số người của tỉnh (14000000 ≈ TP. Hồ Chí Minh).")],
    province: Annotated[str, typer.Option(help="Mã tỉnh 2 chữ số (92 Cần Thơ, 79 TP. Hồ Chí Minh…).")] = "92",
    seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")] = 2025,
    as_of: Annotated[str, typer.Option("--as-of", help="Ngày trích xuất dữ liệu (YYYY-MM-DD).")] = "2025-10-31",
    out_dir: Annotated[Path | None, typer.Option("--out", help="Thư mục ghi (mặc định ANSINH_DATA_DIR).")] = None,
) -> None:
    """Sinh dữ liệu cá nhân mẫu của cả một tỉnh (Parquet): người, thẻ BHYT, quá trình đóng BHXH."""
    day = _day_option(as_of, "--as-of")
    with _domain_errors():
        _ready()
        from ansinh.coverage.services import extract_generate

        with _progress() as progress:
            task = progress.add_task("Chuẩn bị", total=100)

            def advance(label: str, fraction: float) -> None:
                progress.update(task, description=label, completed=round(fraction * 100))

            started = time.perf_counter()
            manifest = extract_generate(persons=persons, province=province, seed=seed, as_of=day, directory=out_dir, progress=advance)
    from ansinh.core.formatting import format_decimal, format_int

    files = ", ".join(f"{name}: {format_int(rows)} dòng" for name, rows in manifest.files.items())
    seconds = format_decimal(time.perf_counter() - started, 1)
    out.print(f"Đã sinh {format_int(manifest.persons)} người trong {seconds} s ({files}).")


@bench_app.command("coverage")
def bench_coverage(
    persons: Annotated[int, typer.Option(min=1, help="Số người (14000000 ≈ TP. Hồ Chí Minh).")] = 2_000_000,
    province: Annotated[str, typer.Option(help="Mã tỉnh 2 chữ số (79: TP. Hồ Chí Minh, 168 xã phường).")] = "92",
    seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên.")] = 2025,
    engine: Annotated[str, typer.Option(help="duckdb hoặc pyspark.")] = "duckdb",
    pandas: Annotated[bool, typer.Option("--pandas/--no-pandas", help="Chạy bản pandas để so sánh.")] = True,
    data_dir: Annotated[Path | None, typer.Option(help="Thư mục dữ liệu (mặc định ANSINH_VAR_DIR/bench/<tỉnh>-<số người>-<hạt giống>).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Đo máy tính toán bao phủ 12 tháng so với bản pandas trên cùng dữ liệu: thời gian, bộ nhớ, kết quả giống nhau."""
    if engine not in ("duckdb", "pyspark"):
        err.print(f"[red]--engine phải là duckdb hoặc pyspark, không phải “{engine}”.[/]")
        raise typer.Exit(1)
    _ready()
    from django.conf import settings

    from ansinh.coverage.bench import bench_coverage as run_bench

    directory = data_dir or Path(settings.VAR_DIR) / "bench" / f"{province}-{persons}-{seed}"
    say = (lambda _: None) if as_json else (lambda text: err.print(f"[green]•[/] {text}"))
    with _domain_errors():
        result = run_bench(persons=persons, province=province, seed=seed, engine=engine, directory=directory, pandas=pandas, say=say)
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    _print_bench(result)


def _print_bench(result) -> None:
    from ansinh.core.formatting import format_decimal, format_int

    table = Table(title=f"Bao phủ 12 tháng, {format_int(result.persons)} người, {result.communes} xã ({result.engine})")
    table.add_column("")
    table.add_column("máy tính toán", justify="right")
    table.add_column("pandas", justify="right")
    table.add_row("thời gian (s)", format_decimal(result.engine_seconds), format_decimal(result.pandas_seconds))
    table.add_row(
        "bộ nhớ đỉnh (MiB)", format_int(result.engine_peak_mib),
        "–" if result.pandas_peak_mib is None else format_int(result.pandas_peak_mib),
    )
    out.print(table)
    out.print(f"Thẻ BHYT: {format_int(result.cards)} · quá trình BHXH: {format_int(result.spans)} · dòng kết quả: {format_int(result.rows)}")
    if result.speedup is not None:
        verdict = "[green]giống hệt[/]" if result.identical else "[red]KHÁC NHAU[/]"
        out.print(f"Nhanh hơn pandas: [bold]{format_decimal(result.speedup, 1)}×[/] · kết quả: {verdict}")
    if result.identical is False:
        raise typer.Exit(1)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Cổng web.")] = 8000,
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(min=1, max=64, help="Số luồng phục vụ đồng thời.")] = 8,
) -> None:
    """Mở máy chủ web (waitress) với cơ sở dữ liệu hiện có."""
    _ready()
    _serve(host, port, threads)


def _serve(host: str, port: int, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from ansinh.wsgi import application

    out.print(f"Đang phục vụ tại http://{host}:{port}/ (Ctrl+C để dừng)")
    waitress_serve(application, host=host, port=port, threads=threads, ident="ansinh")


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


# -------------------------------------------------------------------------------------------- coverage

KIND_HELP = "households (hộ có người chưa có thẻ BHYT) | expiring (thẻ sắp hết hạn) | lapsed (dừng đóng BHXH tự nguyện)"


@coverage_app.command("compute")
def coverage_compute(
    year: Annotated[Optional[int], typer.Option(help="Năm cần tính (mặc định: năm của dữ liệu, đến tháng dữ liệu).")] = None,
    engine: Annotated[Optional[str], typer.Option(help="duckdb | pyspark (mặc định: ANSINH_ENGINE, hoặc duckdb).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Tính riêng và đo thời gian từng bước.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Tính và đếm, không lưu số liệu thực hiện.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    as_user: AsUser = None,
) -> None:
    """Đếm người tham gia BHYT, BHXH, BHTN từng xã, từng tháng từ dữ liệu cá nhân; lưu làm số liệu thực hiện."""
    with _domain_errors():
        _ready()
        from ansinh.core.errors import ValidationFailed
        from ansinh.coverage.services import coverage_compute as compute
        from ansinh.engine.backends import ENGINES

        if engine is not None and engine not in ENGINES:
            raise ValidationFailed(f"--engine “{engine}” không có: chọn {' hoặc '.join(ENGINES)}.")
        actor = _actor(as_user)
        with _steps() as step:
            result = compute(actor=actor, year=year, engine=engine, debug=debug, dry_run=dry_run, progress=step)
    if as_json:
        from ansinh.coverage.api import run_out

        timings = [{"step": name, "seconds": round(seconds, 3)} for name, seconds in result.engine.timings]
        _echo_api_json(run_out(result.run, result.imported), timings=timings)
        return
    _print_run(result, debug=debug)


def _echo_api_json(schema, **extra) -> None:
    """Print an API schema exactly as the API answers it (the same encoder for dates and times)."""
    from ninja.responses import NinjaJSONEncoder

    typer.echo(json.dumps({**schema.model_dump(), **extra}, cls=NinjaJSONEncoder, ensure_ascii=False, indent=2))


@contextmanager
def _steps():
    """A pipeline's `ansinh.engine.progress.Progress` drawn as a list of steps: each new label ticks the
    one before it off; a fraction, when the step knows one, fills the bar (a spinner otherwise)."""
    with _progress() as progress:
        task = progress.add_task("Chuẩn bị", total=None)
        started: list[str] = []

        def step(label: str, fraction: float | None = None, /) -> None:
            if started and started[-1] != label:
                progress.console.print(f"[green]✓[/] {started[-1]}")
            if not started or started[-1] != label:
                started.append(label)
            if fraction is None:
                progress.update(task, description=label, total=None)
            else:
                progress.update(task, description=label, total=100, completed=round(fraction * 100))

        yield step
        if started:
            progress.console.print(f"[green]✓[/] {started[-1]}")
        progress.update(task, description="Xong")


def _print_run(result, *, debug: bool) -> None:
    from ansinh.core.formatting import format_date, format_decimal, format_int
    from ansinh.coverage.rules import rule_label

    run, imported = result.run, result.imported
    last = result.engine.settings.month_list[-1]
    out.print(
        f"[bold]Bao phủ {run.first_month:%m/%Y}–{last:%m/%Y}[/] ({run.months} tháng) từ dữ liệu ngày "
        f"{format_date(run.data_as_of)}: {format_int(run.persons)} người được tính, "
        f"{format_decimal(run.seconds, 1)} giây ({run.engine})."
    )
    verb = "Chạy thử (chưa lưu)" if imported.dry_run else "Số liệu thực hiện đã ghi"
    out.print(
        f"{verb}: {format_int(imported.rows)} dòng — {format_int(imported.created)} mới, "
        f"{format_int(imported.updated)} thay đổi, {format_int(imported.unchanged)} không đổi."
    )
    if run.problems:
        table = Table("Dòng bị loại", "Quy tắc", "Số dòng", "Ví dụ (số định danh đã che)", title="Dòng không tính được")
        for problem in run.problems:
            rows, examples = format_int(problem["rows"]), ", ".join(problem["examples"])
            table.add_row(rule_label(problem["rule"]), problem["rule"], rows, examples)
        out.print(table)
    else:
        out.print("Không có dòng nào bị loại.")
    if debug:
        table = Table("Bước", "Giây", title="Thời gian từng bước")
        for name, seconds in result.engine.timings:
            table.add_row(name, format_decimal(seconds, 3))
        out.print(table)


@coverage_app.command("list")
def coverage_list(
    kind: Annotated[str, typer.Argument(metavar="KIND", help=KIND_HELP)],
    commune: Annotated[str, typer.Option(help="Mã xã/phường, ví dụ 31135 (Phường Ninh Kiều).")],
    day: Annotated[Optional[str], typer.Option(help="Ngày xét, YYYY-MM-DD (mặc định: ngày của dữ liệu).")] = None,
    village: Annotated[Optional[str], typer.Option(help="Chỉ ấp/khu vực này.")] = None,
    days: Annotated[int, typer.Option(help="expiring: thẻ hết hạn trong bao nhiêu ngày tới.")] = 30,
    page: Annotated[int, typer.Option(help="Trang.")] = 1,
    per_page: Annotated[int, typer.Option(help="Số dòng mỗi trang (1–500).")] = 25,
    as_json: Annotated[bool, typer.Option("--json", help="In trang dạng JSON (như API).")] = False,
    xlsx: Annotated[
        Optional[Path], typer.Option("--xlsx", help="Ghi cả danh sách vào tệp Excel này (thư mục: tên tệp theo danh sách).")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Danh sách cần vận động của một xã: hộ có người chưa có thẻ BHYT, thẻ sắp hết hạn, người dừng đóng BHXH TN."""
    with _domain_errors():
        _ready()
        from ansinh.core.errors import ValidationFailed
        from ansinh.coverage.selectors import LISTS, list_page

        if kind not in LISTS:
            raise ValidationFailed(f"KIND “{kind}” không có: chọn {' | '.join(LISTS)}.")
        if xlsx is not None and as_json:
            raise ValidationFailed("Chọn một trong --json và --xlsx.")
        on = _day_option(day, "--day")
        arguments = {"actor": _actor(as_user), "kind": kind, "code": commune, "day": on, "village": village, "days": days}
        if xlsx is not None:
            from ansinh.coverage.exports import list_filename, list_xlsx

            content = list_xlsx(**arguments)
            if xlsx.is_dir():
                xlsx = xlsx / list_filename(**arguments)
        else:
            result = list_page(**arguments, page=page, per_page=per_page)
    if xlsx is not None:
        xlsx.write_bytes(content)
        out.print(f"Đã ghi danh sách vào {xlsx}.")
    elif as_json:
        from ansinh.coverage.api import PageOut

        _echo_api_json(PageOut.from_orm(result))
    else:
        _print_list(result)


def _day_option(value: str | None, option: str) -> date | None:
    from ansinh.core.errors import ValidationFailed

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"{option} “{value}” không phải ngày hợp lệ: dùng YYYY-MM-DD, ví dụ 2025-10-31.") from None


PERSON_HEADERS = ("Họ và tên", "Số định danh", "Giới tính", "Năm sinh", "Ấp/khu vực", "Hộ")


def _person_cells(row: dict) -> list[str]:
    born = str(row["birth_year"] or "–")
    return [row["full_name"], row["id_masked"], row["gender"], born, row["village"] or "", row["household_id"] or ""]


def _print_list(page) -> None:
    """Households: one line per missing person (the household's cells on its first line); else one per person."""
    from ansinh.core.formatting import format_date, format_int
    from ansinh.coverage.selectors import LISTS

    where = f", {page.village}" if page.village else ""
    commune = f"{page.commune.name} ({page.commune.code}){where}"
    out.print(f"[bold]{LISTS[page.kind].title}[/] — {commune}, ngày {format_date(page.day)}")
    if page.kind == "households":
        table = Table("Hộ", "Ấp/khu vực", "Thành viên", "Chưa có thẻ", *PERSON_HEADERS[:4])
        for household in page.rows:
            head = [household["household_id"], household["village"] or "", str(household["members"])]
            head.append(str(household["uninsured"]))
            for index, member in enumerate(household["missing"]):
                table.add_row(*(head if index == 0 else [""] * len(head)), *_person_cells(member)[:4])
            table.add_section()
        counted = "hộ"
    elif page.kind == "expiring":
        table = Table(*PERSON_HEADERS, "Nhóm", "Hết hạn", "Còn (ngày)")
        for row in page.rows:
            table.add_row(*_person_cells(row), row["bhyt_group"], format_date(row["valid_to"]), str(row["days_left"]))
        counted = "người"
    else:
        table = Table(*PERSON_HEADERS, "Tháng đóng cuối", "Đã dừng (tháng)")
        for row in page.rows:
            table.add_row(*_person_cells(row), f"{row['last_month']:%m/%Y}", str(row["months_since"]))
        counted = "người"
    if page.rows:
        out.print(table)
    out.print(f"Trang {page.page}/{page.pages} — tổng {format_int(page.total)} {counted}.")


# ----------------------------------------------------------------------------------------------- users


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập.")],
    unit: Annotated[str, typer.Option(help="Mã đơn vị của người dùng (phạm vi được xem).")],
    role: Annotated[str, typer.Option(help="admin | editor | viewer | agency (cán bộ sở, ngành) | auditor (kiểm tra nhật ký)")] = "viewer",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Tạo (hoặc cập nhật) một tài khoản gắn với một đơn vị và vai trò."""
    with _domain_errors():
        _ready()
        from ansinh.accounts.services import user_set

        user = user_set(actor=_actor(None), username=username, unit_code=unit, role=role, password=password)
    out.print(f"Tài khoản {user.username}: {user.get_role_display()} — {user.org_unit}.")


@users_app.command("reset-two-factor")
def users_reset_two_factor(username: Annotated[str, typer.Argument(help="Tên đăng nhập.")]) -> None:
    """Tắt xác thực hai bước của một tài khoản (mất điện thoại); người đó bật lại với mã bí mật mới."""
    with _domain_errors():
        _ready()
        from ansinh.accounts.twofactor import totp_reset

        user = totp_reset(actor=_actor(None), username=username)
    out.print(f"Đã tắt xác thực hai bước của {user.username}; lần đăng nhập sau chỉ cần mật khẩu.")


# The employer commands live beside their app; they use the helpers above, so they are registered last.
from ansinh.employers.commands import bench_employers, employers_app, params_app  # noqa: E402

app.add_typer(employers_app, name="employers")
app.add_typer(params_app, name="params")

from ansinh.plans.commands import plans_app  # noqa: E402
from ansinh.tasks.commands import tasks_app  # noqa: E402

app.add_typer(plans_app, name="plans")
app.add_typer(tasks_app, name="tasks")
from ansinh.reports.commands import reports_app  # noqa: E402

app.add_typer(reports_app, name="reports")
bench_app.command("employers")(bench_employers)


@bench_app.command("web")
def bench_web(
    users: Annotated[int, typer.Option(min=1, max=500, help="Số người dùng đồng thời.")] = 50,
    seconds: Annotated[float, typer.Option(min=5, max=600, help="Thời gian đo (giây).")] = 30,
    think: Annotated[float, typer.Option(min=0, max=30, help="Thời gian đọc trang trung bình giữa hai lần bấm (giây).")] = 2.0,
    ramp: Annotated[float | None, typer.Option(min=0, max=120, help="Người dùng vào dần trong bấy nhiêu giây (mặc định: bằng thời gian đọc trang).")] = None,
    warmup: Annotated[float, typer.Option(min=0, max=120, help="Số giây khởi động đầu tiên, báo riêng (máy chủ mới tính mỗi trang một lần).")] = 5.0,
    username: Annotated[str, typer.Option(help="Tài khoản đăng nhập (mặc định: tinh của bản mẫu).")] = "tinh",
    threads: Annotated[int, typer.Option(min=1, max=64, help="Số luồng của máy chủ.")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Đo tải trang tổng quan và API: N người dùng trên máy này (127.0.0.1), p50/p95 và lỗi (mục tiêu p95 < 300 ms)."""
    with _domain_errors():
        _ready()
        from ansinh.core.errors import ValidationFailed
        from ansinh.core.loadtest import as_json as load_json
        from ansinh.core.loadtest import load_test

        password = os.environ.get("ANSINH_DEMO_PASSWORD")
        if not password:
            raise ValidationFailed("Đặt ANSINH_DEMO_PASSWORD (mật khẩu của tài khoản đo) rồi chạy lại.")
        result = load_test(
            users=users, seconds=seconds, think=think, username=username, password=password, threads=threads, ramp=ramp,
            warmup=warmup,
        )
    if as_json:
        out.print_json(load_json(result))
        return
    table = Table("trang", "yêu cầu", "lỗi", "p50 (ms)", "p95 (ms)", "chậm nhất (ms)", "p95 cả khởi động (ms)")
    for page in result.pages:
        table.add_row(page.page, str(page.requests), str(page.errors), f"{page.p50_ms:.0f}", f"{page.p95_ms:.0f}", f"{page.max_ms:.0f}",
                      f"{page.p95_whole_run_ms:.0f}")
    out.print(table)
    dashboard = result.dashboard
    ratio = dashboard.p95_ms / result.target_p95_ms
    out.print(f"{users} người dùng, {seconds:.0f} s: p95 trang tổng quan {dashboard.p95_ms:.0f} ms sau {warmup:.0f} s khởi động "
              f"= {ratio:.2f}× mục tiêu 300 ms (tính cả khởi động: {dashboard.p95_whole_run_ms:.0f} ms).")
from ansinh.core.commands import backup as backup_command  # noqa: E402
from ansinh.core.commands import restore as restore_command  # noqa: E402

app.command("backup")(backup_command)
app.command("restore")(restore_command)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
