"""`ansinh bench employers`: the reconciliation and the arrears at the size of the largest province,
scored against the generator's planted truth.

Targets (the issue): 1,000,000 tax records against 300,000 BHXH units reconciled in under 60 s with
precision and recall of at least 0,97; the arrears of 300,000 units × 36 months in under 30 s. The data is
generated in a child process, so generating it never counts toward the peaks measured here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ansinh.core.errors import ValidationFailed
from ansinh.core.formatting import format_int
from ansinh.ops.measure import MIB, peak_memory
from ansinh.core.periods import add_months, month_end

RECONCILE_TARGET_SECONDS = 60
ARREARS_TARGET_SECONDS = 30
QUALITY_TARGET = 0.97
LAST_MONTH = date(2025, 10, 1)


@dataclass
class EmployersBench:
    units: int
    tax_records: int
    months: int
    ledger_rows: int
    reconcile_seconds: float
    reconcile_peak_mib: float
    reconcile_steps: dict[str, float]
    scores: dict[str, dict[str, float]]  # links and each finding: predicted, true, precision, recall
    arrears_seconds: float
    arrears_peak_mib: float
    units_in_arrears: int
    as_of: str
    data_dir: str

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def reconcile_ok(self) -> bool:
        links = self.scores["links"]
        return self.reconcile_seconds < RECONCILE_TARGET_SECONDS and min(links["precision"], links["recall"]) >= QUALITY_TARGET

    @property
    def arrears_ok(self) -> bool:
        return self.arrears_seconds < ARREARS_TARGET_SECONDS


def bench_employers(
    *, units: int, tax_records: int, months: int = 36, province: str = "79", seed: int = 2025, directory: Path,
    say: Callable[[str], None] = lambda _: None,
) -> EmployersBench:
    """Generate (or reuse) the province, then time the reconciliation and the arrears, each with its peak."""
    from ansinh.employers.arrears import ArrearsSettings, arrears_run
    from ansinh.employers.reconcile import ReconcileSettings, reconcile, score_against_truth

    _ensure_data(directory, units=units, tax_records=tax_records, months=months, province=province, seed=seed, say=say)
    say("Đối chiếu Thuế, KCN, Công đoàn với đơn vị BHXH")
    with peak_memory() as reconcile_peak:
        started = time.perf_counter()
        result = reconcile(ReconcileSettings(data_dir=directory))
        reconcile_seconds = time.perf_counter() - started
    scores = score_against_truth(result, pd.read_parquet(directory / "truth.parquet"))
    steps = {name: round(seconds, 2) for name, seconds in result.timings}
    del result
    as_of = month_end(add_months(LAST_MONTH, 1))
    say(f"Tính nợ đóng của mọi đơn vị đến ngày {as_of:%d/%m/%Y}")
    with peak_memory() as arrears_peak:
        started = time.perf_counter()
        arrears = arrears_run(ArrearsSettings(as_of=as_of, data_dir=directory))
        arrears_seconds = time.perf_counter() - started
    import pyarrow.parquet as pq

    return EmployersBench(
        units=units, tax_records=tax_records, months=months,
        ledger_rows=pq.ParquetFile(directory / "ledger.parquet").metadata.num_rows,
        reconcile_seconds=round(reconcile_seconds, 2), reconcile_peak_mib=round(reconcile_peak[0] / MIB, 1),
        reconcile_steps=steps,
        scores={kind: {k: round(v, 4) if isinstance(v, float) else v for k, v in s.items()} for kind, s in scores.items()},
        arrears_seconds=round(arrears_seconds, 2), arrears_peak_mib=round(arrears_peak[0] / MIB, 1),
        units_in_arrears=len(arrears.units), as_of=as_of.isoformat(), data_dir=str(directory),
    )


def _ensure_data(directory: Path, *, units: int, tax_records: int, months: int, province: str, seed: int, say) -> None:
    """Reuse the data when it is the one asked for; otherwise generate it in a child process."""
    path = directory / "manifest.json"
    wanted = {"units": units, "tax_records": tax_records, "months": months, "seed": seed, "province": province}
    if path.exists():
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if all(str(manifest.get(key)) == str(value) for key, value in wanted.items()):
            say(f"Dùng lại dữ liệu có sẵn trong {directory}")
            return
    say(f"Sinh dữ liệu: {format_int(units)} đơn vị, {format_int(tax_records)} bản ghi thuế, {months} tháng (tiến trình riêng)")
    started = time.perf_counter()
    code = (f"from ansinh.ops.bench_employers import _generate; "
            f"_generate({str(directory)!r}, {units}, {tax_records}, {months}, {province!r}, {seed})")
    finished = subprocess.run([sys.executable, "-c", code], check=False)
    if finished.returncode != 0:
        raise ValidationFailed(f"Sinh dữ liệu thất bại (mã thoát {finished.returncode}): xem thông báo ở trên.")
    say(f"Đã sinh dữ liệu trong {time.perf_counter() - started:.1f} s")


def _generate(directory: str, units: int, tax_records: int, months: int, province: str, seed: int) -> None:
    from vietnam_provinces import Province

    from ansinh.demo.synthetic.communes import official_communes
    from ansinh.demo.synthetic.employers import generate_employers

    name = next(p.name for p in Province.iter_all() if int(p.code) == int(province))
    generate_employers(
        out_dir=Path(directory), communes=[(c.code, c.name) for c in official_communes(province)], province_name=name,
        province_code=province, units=units, tax_records=tax_records, months=months, last_month=LAST_MONTH, seed=seed,
    )
