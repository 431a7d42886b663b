"""Making a periodic report, and handing its files out: the writes of the reports app, each audited."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from ansinh.accounts.models import User
from ansinh.units.selectors import require_editor
from ansinh.audit.services import audit_record
from ansinh.core.documents import DOCX, clean_signer
from ansinh.core.errors import ValidationFailed
from ansinh.core.spreadsheets import XLSX
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.reports import documents, selectors
from ansinh.reports.models import Report
from ansinh.targets.models import Plan
from ansinh.targets.selectors import access_plan


def report_make(
    *, actor: User, plan: Plan, period: Period, unit: OrgUnit | None = None, number: str = "", made_on: date | None = None,
    signer_title: str = "", signer_name: str = "",
) -> Report:
    """Make the report of `plan` for `period` (DOCX and XLSX annex), keep it in the history, audit it.

    The report is about `unit` (default: the plan's province when the user's scope covers it, else the
    user's own commune). `number` is printed after "Số:" (none: dots left for the văn thư); `signer_title`
    and `signer_name` fill the signature block (default: the issuer's title, no name). Only editors and administrators of that unit make reports; anyone in scope reads them.
    """
    started = time.perf_counter()
    plan = access_plan(actor=actor, plan_id=plan.pk)
    unit = selectors.report_unit(actor=actor, plan=plan, code=unit.code if unit else None)
    require_editor(actor=actor, unit=unit)
    if len(number.strip()) > 60:
        raise ValidationFailed("Số, ký hiệu văn bản dài quá 60 ký tự.")
    signer_title, signer_name = clean_signer(signer_title=signer_title, signer_name=signer_name)
    figures = selectors.report_figures(actor=actor, plan=plan, period=period, unit=unit, number=number, made_on=made_on,
                                       signer_title=signer_title, signer_name=signer_name)
    docx, xlsx = documents.report_docx(figures), documents.annex_xlsx(figures)
    docx_name, xlsx_name = documents.report_filenames(figures)
    with transaction.atomic():
        report = Report.objects.create(
            plan=plan, unit=unit, period=period.label, kind=period.kind, number=figures.number, data_month=figures.data_month,
            actor=actor, seconds=round(time.perf_counter() - started, 3),
            docx_name=docx_name, docx_size=len(docx), docx=docx, xlsx_name=xlsx_name, xlsx_size=len(xlsx), xlsx=xlsx,
        )
        audit_record(actor=actor, action="reports.make", obj=report, plan=plan.number, unit=unit.code, period=period.label,
                     docx_size=len(docx), xlsx_size=len(xlsx), **({"signer": signer_name} if signer_name else {}))
    return report


@dataclass(frozen=True)
class ReportFile:
    name: str
    content_type: str
    content: bytes


def report_file(*, actor: User, report_id: int, which: str) -> ReportFile:
    """One of a report's files ("docx": the report, "xlsx": the annex) for a user in scope; the download
    is written to the audit log, as every export is."""
    if which not in ("docx", "xlsx"):
        raise ValidationFailed(f"Không có tệp “{which}”: chọn docx (báo cáo) hoặc xlsx (phụ lục).")
    report = selectors.access_report(actor=actor, report_id=report_id)
    name, content = (report.docx_name, report.docx) if which == "docx" else (report.xlsx_name, report.xlsx)
    audit_record(actor=actor, action="export.report", obj=report, file=name)
    return ReportFile(name, DOCX if which == "docx" else XLSX, bytes(content))
