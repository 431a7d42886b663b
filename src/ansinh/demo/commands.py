"""`ansinh demo` and `ansinh generate`: the demo province (Cần Thơ 2025) and synthetic person-level data."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from ansinh.console import command, day_option, fractions, migrate, out, progress_bar
from ansinh.web.serve import serve_web

app = typer.Typer()


@command(app, check_schema=False)
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
    from ansinh.demo.services import demo_employers, demo_load, demo_persons, demo_tasks

    with progress_bar() as progress:
        task = progress.add_task("Chuẩn bị", total=None)

        def step(text: str) -> None:
            progress.update(task, description=text, total=None)
            progress.console.print(f"[green]✓[/] {text}")

        def advance(label: str, fraction: float) -> None:
            progress.update(task, description=label, total=100, completed=round(fraction * 100))

        migrate(say=step)  # the demo sets its own database up, and says so
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
        serve_web(host=host, port=port, say=out.print)


@command(app)
def generate(
    persons: Annotated[int, typer.Option(min=1, help="Số người của tỉnh (14000000 ≈ TP. Hồ Chí Minh).")],
    province: Annotated[str, typer.Option(help="Mã tỉnh 2 chữ số (92 Cần Thơ, 79 TP. Hồ Chí Minh…).")] = "92",
    seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")] = 2025,
    as_of: Annotated[str, typer.Option("--as-of", help="Ngày trích xuất dữ liệu (YYYY-MM-DD).")] = "2025-10-31",
    out_dir: Annotated[Path | None, typer.Option("--out", help="Thư mục ghi (mặc định ANSINH_DATA_DIR).")] = None,
) -> None:
    """Sinh dữ liệu cá nhân mẫu của cả một tỉnh (Parquet): người, thẻ BHYT, quá trình đóng BHXH."""
    day = day_option(as_of, "--as-of")
    from ansinh.demo.services import extract_generate

    with fractions() as advance:
        started = time.perf_counter()
        manifest = extract_generate(persons=persons, province=province, seed=seed, as_of=day, directory=out_dir, progress=advance)
    from ansinh.core.formatting import format_decimal, format_int

    files = ", ".join(f"{name}: {format_int(rows)} dòng" for name, rows in manifest.files.items())
    seconds = format_decimal(time.perf_counter() - started, 1)
    out.print(f"Đã sinh {format_int(manifest.persons)} người trong {seconds} s ({files}).")
