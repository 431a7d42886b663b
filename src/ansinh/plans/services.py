"""Reading a plan document into a draft, and saving a reviewed draft as a plan with targets and tasks.

The draft is the reader's JSON (`plans/reader.py`) as the officer corrects it. Saving checks every row
first and names each bad one (all-or-nothing), then writes the plan, its targets and its tasks in one
transaction through the targets and tasks services, so the same rules and audit rows apply as when an
officer enters them by hand. Saving the same draft again changes nothing: targets are replaced by
indicator, tasks found again by section, lead and text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from pydantic import BaseModel, Field, ValidationError

from ansinh.accounts.models import User
from ansinh.units.selectors import require_editor
from ansinh.audit.services import audit_record
from ansinh.core.errors import ImportRejected, PermissionDenied, RowError, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.plans.models import PlanDraft
from ansinh.targets.indicators import INDICATORS
from ansinh.targets.models import Plan
from ansinh.targets.services import plan_ensure, target_set
from ansinh.tasks.models import Agency, Task
from ansinh.tasks.services import DueRule, agencies_ensure, task_create

#: A document larger than this is not a plan (the seeds are 25–50 kB of text).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class ReviewTarget(BaseModel):
    include: bool = True
    indicator: str
    value: Decimal
    unit: str = ""
    year: int | None = None
    deadline: date | None = None
    group: str | None = None
    text: str = ""


class ReviewAssignment(BaseModel):
    include: bool = True
    agency_code: str
    supports: list[str] = Field(default_factory=list)
    section: str = ""
    text: str
    recurrence: str = Task.Recurrence.ONCE
    due_on: date | None = None
    due_day: int | None = None
    offset_months: int = 0


class Review(BaseModel):
    """A draft as the review form sends it back: the header, and the rows the officer keeps."""

    number: str = ""
    title: str = ""
    issuer: str = ""
    issued_on: date | None = None
    scope_code: str = ""
    year: int | None = None
    targets: list[ReviewTarget] = Field(default_factory=list)
    assignments: list[ReviewAssignment] = Field(default_factory=list)


# --- reading -------------------------------------------------------------------------------------------


def plan_draft_read(*, actor: User, content: bytes, filename: str) -> PlanDraft:
    """Read a plan document (.txt, .docx, .pdf with a text layer) into a draft for review."""
    from ansinh.plans.extract import document_text, repair_text
    from ansinh.plans.reader import read_plan

    if not actor.can_edit:
        raise PermissionDenied("Tài khoản của bạn chỉ có quyền xem: không đọc kế hoạch mới được.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(f"Tệp “{filename}” lớn quá 20 MB: không phải một văn bản kế hoạch.")
    text = repair_text(document_text(content=content, filename=filename))
    draft = read_plan(text)
    with transaction.atomic():
        _ensure_directory(actor, draft.scope_code)
        saved = PlanDraft.objects.create(
            file_name=filename[:255], source_text=text, data=review_defaults(draft.model_dump(mode="json")), created_by=actor
        )
        audit_record(
            actor=actor, action="plans.draft.read", obj=saved, file=filename, targets=len(draft.targets),
            assignments=len(draft.assignments),
        )
    return saved


def _ensure_directory(actor: User, scope_code: str | None) -> None:
    """The review offers the agency directory (and the communes' committees) of the plan's province."""
    from ansinh.units.selectors import home_unit

    province = OrgUnit.objects.current().filter(code=scope_code or "", kind=OrgUnit.Kind.PROVINCE).first()
    agencies_ensure(province=province or home_unit(actor=actor))


def review_defaults(data: dict) -> dict:
    """The reader's JSON with what the review form edits: every row kept, and each assignment's due rule
    guessed from the reader's hints (one-off by the end of the plan's year when it saw none)."""
    year = data.get("year") or (data.get("years") or [None])[0]
    data = {**data, "year": year}
    data["targets"] = [{"include": True, **row} for row in data.get("targets", [])]
    data["assignments"] = [{"include": True, **_due_guess(row, year)} for row in data.get("assignments", [])]
    return data


def _due_guess(row: dict, year: int | None) -> dict:
    recurrence = row.get("recurrence") or Task.Recurrence.ONCE
    if recurrence not in Task.Recurrence.values:
        recurrence = Task.Recurrence.ONCE
    guess = {"recurrence": recurrence, "due_on": row.get("due_on"), "due_day": row.get("due_day"),
             "offset_months": row.get("offset_months") or 0}
    if recurrence == Task.Recurrence.ONCE and not guess["due_on"] and year:
        guess["due_on"] = date(year, 12, 31).isoformat()
    if recurrence != Task.Recurrence.ONCE and not guess["due_day"]:
        guess["due_day"], guess["offset_months"] = DEFAULT_DUE[recurrence]
    return {**row, **guess, "agency_code": row.get("agency_code") or "", "supports": row.get("supports") or []}


#: When a recurring duty is due if the plan does not say: the 5th of the next month for monthly lists,
#: the 15th of the month after the period for reports (the seeds' usual "trước ngày 15 tháng đầu quý sau").
DEFAULT_DUE = {"monthly": (5, 1), "quarterly": (15, 3), "half_yearly": (15, 6), "yearly": (15, 12)}


# --- reviewing ------------------------------------------------------------------------------------------


def plan_draft_update(*, actor: User, draft: PlanDraft, data: dict) -> PlanDraft:
    """Keep the officer's corrections (checked for shape only: the rules are checked when saving)."""
    review = _parse(data)
    with transaction.atomic():
        draft.data = {**draft.data, **review.model_dump(mode="json")}
        draft.save(update_fields=["data", "updated_at"])
        audit_record(actor=actor, action="plans.draft.update", obj=draft)
    return draft


def _parse(data: dict) -> Review:
    try:
        return Review.model_validate(data)
    except ValidationError as error:
        raise ImportRejected([_row_error(e) for e in error.errors()]) from None


def _row_error(error: dict) -> RowError:
    """A pydantic error as the officer reads it: which table and row, which field, what is wrong."""
    where = error["loc"]
    if len(where) >= 3 and where[0] in ("targets", "assignments"):
        table = "Chỉ tiêu" if where[0] == "targets" else "Phân công"
        return RowError(int(where[1]) + 1, f"{table} · {where[2]}", _message(error))
    return RowError(0, ".".join(map(str, where)), _message(error))


def _message(error: dict) -> str:
    kind = error["type"]
    if kind.startswith("decimal") or kind in ("float_parsing", "int_parsing"):
        return f"“{error.get('input')}” không phải là số"
    if kind.startswith("date"):
        return f"“{error.get('input')}” không phải là ngày (dd/mm/yyyy)"
    if kind == "missing":
        return "chưa điền"
    return error["msg"]


# --- saving ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedPlan:
    plan: Plan
    targets: int
    tasks_created: int
    tasks_kept: int


def plan_draft_save(*, actor: User, draft: PlanDraft, data: dict | None = None) -> SavedPlan:
    """Save the reviewed draft as a plan with its targets and tasks: every row checked first, then all
    written in one transaction (nothing is written if one row is wrong)."""
    review = _parse(data if data is not None else draft.data)
    scope = _scope(review)
    require_editor(actor=actor, unit=scope)
    agencies_ensure(province=scope)
    errors = _header_errors(review) + _target_errors(review) + _assignment_errors(review)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        plan = plan_ensure(
            actor=actor, number=review.number.strip(), title=review.title.strip() or review.number, issuer=review.issuer.strip(),
            issued_on=review.issued_on, scope_unit=scope, year=review.year,
        )
        targets = _save_targets(actor, plan, scope, review)
        created, kept = _save_tasks(actor, plan, review)
        draft.data, draft.status, draft.plan = review.model_dump(mode="json"), PlanDraft.Status.SAVED, plan
        draft.save(update_fields=["data", "status", "plan", "updated_at"])
        audit_record(actor=actor, action="plans.draft.save", obj=draft, plan=plan.number, targets=targets, tasks=created)
    return SavedPlan(plan, targets, created, kept)


def _scope(review: Review) -> OrgUnit:
    unit = OrgUnit.objects.current().filter(code=review.scope_code.strip()).first()
    if unit is None:
        raise ValidationFailed(f"Chưa chọn được tỉnh, thành phố của kế hoạch (mã “{review.scope_code}”): chọn trong danh sách.")
    return unit


def _header_errors(review: Review) -> list[RowError]:
    errors = []
    if not review.number.strip():
        errors.append(RowError(0, "Số kế hoạch", "chưa điền (ví dụ 53/KH-UBND)"))
    if review.issued_on is None:
        errors.append(RowError(0, "Ngày ban hành", "chưa điền"))
    if review.year is None or not 2000 <= review.year <= 2100:
        errors.append(RowError(0, "Năm kế hoạch", "chưa điền hoặc không hợp lệ"))
    return errors


def _milestone_day(row: ReviewTarget, year: int | None) -> date | None:
    """A target is due on its deadline, or at the end of its year (or of the plan's year)."""
    if row.deadline:
        return row.deadline
    chosen = row.year or year
    return date(chosen, 12, 31) if chosen else None


def _target_errors(review: Review) -> list[RowError]:
    errors, seen = [], {}
    for number, row in enumerate(review.targets, start=1):
        if not row.include:
            continue
        if row.indicator not in INDICATORS:
            errors.append(RowError(number, "Chỉ tiêu · chỉ số", f"“{row.indicator}” chưa được An Sinh theo dõi; chọn chỉ số khác hoặc bỏ chọn dòng"))
            continue
        day = _milestone_day(row, review.year)
        if day is None:
            errors.append(RowError(number, "Chỉ tiêu · năm", "chưa có năm hoặc hạn"))
            continue
        if (row.indicator, day) in seen:
            errors.append(RowError(number, "Chỉ tiêu", f"trùng dòng {seen[(row.indicator, day)]} (cùng chỉ số, cùng mốc {day:%d/%m/%Y}); bỏ chọn một dòng"))
        seen[(row.indicator, day)] = number
        kind = INDICATORS[row.indicator].kind.value
        if kind == "rate" and not 0 <= row.value <= 100:
            errors.append(RowError(number, "Chỉ tiêu · giá trị", f"tỷ lệ phải từ 0 đến 100, không phải {row.value}"))
        if kind == "count" and (row.value < 0 or row.value != row.value.to_integral_value()):
            errors.append(RowError(number, "Chỉ tiêu · giá trị", f"số người phải là số nguyên không âm, không phải {row.value}"))
    return errors


def _assignment_errors(review: Review) -> list[RowError]:
    known = set(Agency.objects.values_list("code", flat=True))
    errors = []
    for number, row in enumerate(review.assignments, start=1):
        if not row.include:
            continue
        for code in [row.agency_code, *row.supports]:
            if code not in known:
                errors.append(RowError(number, "Phân công · cơ quan", f"không có cơ quan mã “{code}” trong danh bạ"))
        if not row.text.strip():
            errors.append(RowError(number, "Phân công · nội dung", "chưa điền"))
        try:
            _rule(row).check()
        except ValidationFailed as error:
            errors.append(RowError(number, "Phân công · thời hạn", error.message))
    return errors


def _rule(row: ReviewAssignment) -> DueRule:
    return DueRule(recurrence=row.recurrence, due_on=row.due_on, day=row.due_day, offset_months=row.offset_months)


def _save_targets(actor: User, plan: Plan, scope: OrgUnit, review: Review) -> int:
    """One target per indicator, its milestones the rows' deadlines (several years in one sentence become
    several milestones of the same target)."""
    milestones: dict[str, list[tuple[date, Decimal, str]]] = defaultdict(list)
    for row in review.targets:
        if row.include:
            day = _milestone_day(row, review.year)
            milestones[row.indicator].append((day, row.value, f"Kế hoạch {plan.number}"))
    for indicator, rows in milestones.items():
        target_set(actor=actor, plan=plan, indicator=indicator, unit=scope, milestones=sorted(rows))
    return len(milestones)


def _save_tasks(actor: User, plan: Plan, review: Review) -> tuple[int, int]:
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    created = kept = 0
    for row in review.assignments:
        if not row.include:
            continue
        lead = agencies[row.agency_code]
        if plan.tasks.filter(section=row.section.strip()[:30], lead=lead, text=row.text.strip()).exists():
            kept += 1
            continue
        task_create(
            actor=actor, plan=plan, text=row.text, lead=lead, rule=_rule(row), section=row.section,
            supports=[agencies[code] for code in row.supports],
        )
        created += 1
    return created, kept
