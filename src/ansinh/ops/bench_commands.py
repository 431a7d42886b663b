"""`ansinh bench employers`: the command-line door into the employers benchmark (ops/bench_employers.py).

Here rather than in employers/commands.py because the benchmark generates its data with the synthetic
generators (ansinh.demo.synthetic), which the employers app must not import. Registered by `ansinh.cli`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh import cli as base


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
    base._ready()
    from django.conf import settings

    from ansinh.ops.bench_employers import ARREARS_TARGET_SECONDS, QUALITY_TARGET, RECONCILE_TARGET_SECONDS
    from ansinh.ops.bench_employers import bench_employers as run_bench

    directory = data_dir or Path(settings.VAR_DIR) / "bench" / f"employers-{province}-{units}-{tax}-{months}-{seed}"
    say = (lambda _: None) if as_json else (lambda text: base.err.print(f"[green]•[/] {text}"))
    with base._domain_errors():
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
    base.out.print(table)
    scores = Table("Kết quả so với dữ liệu cài sẵn", "Dự đoán", "Thật", "Độ chính xác", "Độ bao phủ",
                   title=f"Độ chính xác và độ bao phủ (mục tiêu ≥ {format_decimal(quality)} cho các cặp khớp)")
    for kind, score in result.scores.items():
        scores.add_row(kind, format_int(score["predicted"]), format_int(score["true"]),
                       format_decimal(score["precision"], 4), format_decimal(score["recall"], 4))
    base.out.print(scores)
    base.out.print("Các bước đối chiếu: " + ", ".join(f"{k} {format_decimal(v)} s" for k, v in result.reconcile_steps.items()))
