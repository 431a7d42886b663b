"""`ansinh reports …`: the command-line door into the periodic reports (the same service as the web page).

Mounted by `ansinh.cli`; the shared helpers (Django set-up, the acting user, error exits) are `ansinh.console`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh.console import AsUser, acting, command, out, progress_bar

reports_app = typer.Typer(help="Báo cáo định kỳ (tháng, quý, năm) theo kế hoạch: DOCX và phụ lục XLSX.", no_args_is_help=True)

app = typer.Typer()
app.add_typer(reports_app, name="reports")


@command(reports_app, "make")
def reports_make(
    plan: Annotated[str, typer.Option("--plan", help="Số kế hoạch, ví dụ 53/KH-UBND.")],
    period: Annotated[str, typer.Option("--period", help="Kỳ báo cáo: YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Thư mục ghi báo cáo (.docx) và phụ lục (.xlsx).")],
    unit: Annotated[Optional[str], typer.Option("--unit", help="Mã đơn vị báo cáo (mặc định: tỉnh của kế hoạch, hoặc xã của bạn).")] = None,
    number: Annotated[str, typer.Option("--number", help="Số văn bản, ví dụ 125 (mặc định: để trống cho văn thư ghi).")] = "",
    signer_title: Annotated[str, typer.Option("--signer-title", help="Chức vụ người ký, ví dụ \"KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\" (\\n: xuống dòng; mặc định GIÁM ĐỐC).")] = "",
    signer_name: Annotated[str, typer.Option("--signer-name", help="Họ tên người ký (mặc định: để trống để ký tay).")] = "",
    as_user: AsUser = None,
) -> None:
    """Lập báo cáo định kỳ (thể thức Nghị định 30/2020) kèm phụ lục số liệu; lưu vào lịch sử báo cáo."""
    from ansinh.units.selectors import access_unit
    from ansinh.core.errors import ValidationFailed
    from ansinh.core.periods import Period
    from ansinh.reports.selectors import access_plan_for_report
    from ansinh.reports.services import report_make

    if out_dir.exists() and not out_dir.is_dir():
        raise ValidationFailed(f"“{out_dir}” không phải là thư mục: chọn --out khác.")
    actor = acting(as_user)
    chosen = access_plan_for_report(actor=actor, number=plan, unit_code=unit)
    reported = access_unit(actor=actor, code=unit) if unit else None
    parsed = Period.parse(period)
    with progress_bar() as progress:
        progress.add_task(f"Lập báo cáo {parsed.title} theo Kế hoạch {chosen.number}", total=None)
        report = report_make(actor=actor, plan=chosen, period=parsed, unit=reported, number=number,
                             signer_title=signer_title.replace("\\n", "\n"), signer_name=signer_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    docx, xlsx = out_dir / report.docx_name, out_dir / report.xlsx_name
    docx.write_bytes(bytes(report.docx))
    xlsx.write_bytes(bytes(report.xlsx))
    from ansinh.core.formatting import format_decimal

    out.print(f"Đã lập báo cáo số {report.pk} ({report.unit.name}, {parsed.title}) trong "
                   f"{format_decimal(report.seconds, 1)} giây:")
    typer.echo(str(docx))
    typer.echo(str(xlsx))


@command(reports_app, "list")
def reports_list(
    plan: Annotated[Optional[str], typer.Option("--plan", help="Chỉ báo cáo của kế hoạch này (số kế hoạch).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    as_user: AsUser = None,
) -> None:
    """Lịch sử báo cáo đã lập trong phạm vi của bạn, mới nhất trước."""
    from ansinh.reports.selectors import access_plan_for_report, reports_visible

    actor = acting(as_user)
    chosen = access_plan_for_report(actor=actor, number=plan) if plan else None
    reports = list(reports_visible(actor=actor, plan=chosen)[:200])
    if as_json:
        from ansinh.reports.api import report_out

        typer.echo(json.dumps([report_out(r).dict() for r in reports], ensure_ascii=False, default=str))
        return
    from django.utils import timezone

    from ansinh.core.formatting import format_int

    table = Table("Số", "Lập lúc", "Kế hoạch", "Đơn vị", "Kỳ", "Người lập", "Báo cáo", "Phụ lục", title="Lịch sử báo cáo")
    for r in reports:
        table.add_row(str(r.pk), f"{timezone.localtime(r.created_at):%d/%m/%Y %H:%M}", r.plan.number, r.unit.name, r.period,
                      r.actor.username if r.actor else "–", f"{r.docx_name} ({format_int(r.docx_size // 1024)} KB)",
                      f"{r.xlsx_name} ({format_int(r.xlsx_size // 1024)} KB)")
    out.print(table)
