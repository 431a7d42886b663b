"""The operator's commands: `serve`, `migrate`, `backup`, `restore` and the benchmarks (`bench …`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh import console
from ansinh.console import AsUser, acting, command, err, fractions, out
from ansinh.console import migrate as run_migrations
from ansinh.web.serve import serve_web

app = typer.Typer()
bench_app = typer.Typer(help="Đo hiệu năng.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@command(app)
def serve(
    port: Annotated[int, typer.Option(help="Cổng web.")] = 8000,
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(min=1, max=64, help="Số luồng phục vụ đồng thời.")] = 8,
) -> None:
    """Mở máy chủ web (waitress) với cơ sở dữ liệu hiện có."""
    serve_web(host=host, port=port, threads=threads, say=out.print)


@command(app, check_schema=False)
def migrate() -> None:
    """Cập nhật cấu trúc cơ sở dữ liệu (SQLite hoặc PostgreSQL theo DATABASE_URL)."""
    applied = run_migrations()
    done = f"đã áp dụng {applied} bước" if applied else "không có gì cần cập nhật"
    out.print(f"[green]Cơ sở dữ liệu đã ở phiên bản mới nhất[/] ({done}).")


@command(app)
def backup(
    out: Annotated[Path, typer.Argument(help="Tệp .tar.gz cần ghi, hoặc một thư mục (tên tệp theo ngày giờ).")] = Path("."),
    as_user: AsUser = None,
) -> None:
    """Sao lưu cơ sở dữ liệu và thư mục dữ liệu vào một tệp .tar.gz (có manifest và mã kiểm tra SHA-256)."""
    from ansinh.ops.backup import backup_make
    from ansinh.core.formatting import format_int

    with fractions() as advance:
        result = backup_make(actor=acting(as_user), out=out, progress=advance)
    console.out.print(
        f"Đã sao lưu vào {result.path} ({format_int(result.size)} byte): {format_int(sum(result.tables.values()))} dòng "
        f"ở {len(result.tables)} bảng, {format_int(result.files)} tệp dữ liệu. SHA-256: {result.sha256}"
    )


@command(app)
def restore(
    archive: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tệp sao lưu do `ansinh backup` tạo ra.")],
    force: Annotated[bool, typer.Option("--force", help="Xoá và thay dữ liệu đang có (mặc định: chỉ phục hồi vào nơi trống).")] = False,
    as_user: AsUser = None,
) -> None:
    """Phục hồi cơ sở dữ liệu và thư mục dữ liệu từ một bản sao lưu; kiểm tra trước, lỗi thì không thay đổi gì."""
    from ansinh.ops.backup import backup_restore, backup_restore_as_operator
    from ansinh.core.formatting import format_int

    with fractions() as advance:
        if as_user:
            result = backup_restore(actor=acting(as_user), archive=archive, force=force, progress=advance)
        else:  # the operator: no `system` account is created before the restore (the target stays empty)
            result = backup_restore_as_operator(archive=archive, force=force, progress=advance)
    replaced = " (đã thay dữ liệu cũ)" if result.replaced else ""
    out.print(
        f"Đã phục hồi bản sao lưu lúc {result.created_at}{replaced}: {format_int(sum(result.tables.values()))} dòng "
        f"ở {len(result.tables)} bảng, {format_int(result.files)} tệp dữ liệu."
    )


# ----------------------------------------------------------------------------------------------- bench


@command(bench_app, "coverage", check_schema=False)  # no database: generated Parquet only
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
    from django.conf import settings

    from ansinh.ops.bench_coverage import bench_coverage as run_bench

    directory = data_dir or Path(settings.VAR_DIR) / "bench" / f"{province}-{persons}-{seed}"
    say = (lambda _: None) if as_json else (lambda text: err.print(f"[green]•[/] {text}"))
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


@command(bench_app, "employers", check_schema=False)  # no database: generated files only
def bench_employers(
    units: Annotated[int, typer.Option(min=10, help="Số đơn vị BHXH (300000 ≈ TP. Hồ Chí Minh).")] = 300_000,
    tax: Annotated[int, typer.Option(min=10, help="Số bản ghi của cơ quan Thuế.")] = 1_000_000,
    months: Annotated[int, typer.Option(min=13, max=120, help="Số tháng của sổ thu (13 trở lên).")] = 36,
    province: Annotated[str, typer.Option(help="Mã tỉnh 2 chữ số (79: TP. Hồ Chí Minh, 168 xã phường).")] = "79",
    seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên.")] = 2025,
    data_dir: Annotated[Optional[Path], typer.Option(help="Thư mục dữ liệu (mặc định ANSINH_VAR_DIR/bench/employers-…).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Đo đối chiếu (1 triệu bản ghi thuế với 300 nghìn đơn vị) và tính nợ đóng (300 nghìn đơn vị × 36 tháng)."""
    from django.conf import settings

    from ansinh.ops.bench_employers import ARREARS_TARGET_SECONDS, QUALITY_TARGET, RECONCILE_TARGET_SECONDS
    from ansinh.ops.bench_employers import bench_employers as run_bench

    directory = data_dir or Path(settings.VAR_DIR) / "bench" / f"employers-{province}-{units}-{tax}-{months}-{seed}"
    say = (lambda _: None) if as_json else (lambda text: err.print(f"[green]•[/] {text}"))
    result = run_bench(units=units, tax_records=tax, months=months, province=province, seed=seed, directory=directory, say=say)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        _print_employers_bench(result, RECONCILE_TARGET_SECONDS, ARREARS_TARGET_SECONDS, QUALITY_TARGET)
    if not (result.reconcile_ok and result.arrears_ok):
        raise typer.Exit(1)


def _print_employers_bench(result, reconcile_target: int, arrears_target: int, quality: float) -> None:
    from ansinh.core.formatting import format_decimal, format_int

    def mark(ok: bool) -> str:
        return "[green]đạt[/]" if ok else "[red]KHÔNG ĐẠT[/]"

    table = Table("Việc", "Thời gian (s)", "Bộ nhớ đỉnh (MiB)", "Mục tiêu", "",
                  title=f"{format_int(result.tax_records)} bản ghi thuế · {format_int(result.units)} đơn vị · "
                        f"sổ thu {result.months} tháng ({format_int(result.ledger_rows)} dòng)")
    table.add_row("Đối chiếu", format_decimal(result.reconcile_seconds), format_int(result.reconcile_peak_mib),
                  f"< {reconcile_target} s", mark(result.reconcile_ok))
    table.add_row(f"Nợ đóng đến {result.as_of}", format_decimal(result.arrears_seconds), format_int(result.arrears_peak_mib),
                  f"< {arrears_target} s", mark(result.arrears_ok))
    out.print(table)
    scores = Table("Kết quả so với dữ liệu cài sẵn", "Dự đoán", "Thật", "Độ chính xác", "Độ bao phủ",
                   title=f"Độ chính xác và độ bao phủ (mục tiêu ≥ {format_decimal(quality)} cho các cặp khớp)")
    for kind, score in result.scores.items():
        scores.add_row(kind, format_int(score["predicted"]), format_int(score["true"]),
                       format_decimal(score["precision"], 4), format_decimal(score["recall"], 4))
    out.print(scores)
    out.print("Các bước đối chiếu: " + ", ".join(f"{k} {format_decimal(v)} s" for k, v in result.reconcile_steps.items()))


@command(bench_app, "web")
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
    from ansinh.core.errors import ValidationFailed
    from ansinh.ops.loadtest import as_json as load_json
    from ansinh.ops.loadtest import load_test

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
