"""Everything that writes in the employer work: imports, reconciliation results into worklists, officers'
decisions and status changes, demand letter numbers.

Every write takes the acting user, checks their scope, and writes its audit row in the same transaction.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import User
from ansinh.units.selectors import require_editor
from ansinh.audit.services import audit_record
from ansinh.core.errors import ImportRejected, NotFound, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.units.selectors import unit_current_communes
from ansinh.core.tabular import read_table
from ansinh.employers import storage
from ansinh.employers.importers import IMPORTERS, Communes, parse_rows
from ansinh.employers.models import EmployerImport, MatchDecision, ReconcileRun, WorkItem
from ansinh.employers.schema import DATASETS
from ansinh.engine.progress import Progress, no_progress
from ansinh.engine.steps import Timing


def employers_province() -> OrgUnit:
    """The province this deployment serves (ANSINH_PROVINCE, Cần Thơ "92" by default)."""
    unit = OrgUnit.objects.current().filter(code=settings.ANSINH_PROVINCE, kind=OrgUnit.Kind.PROVINCE).first()
    if unit is None:
        raise NotFound(f"Chưa có tỉnh mã “{settings.ANSINH_PROVINCE}”: chạy “ansinh units load” trước.")
    return unit


def province_communes(province: OrgUnit) -> Communes:
    return Communes([(unit.code, unit.name) for unit in unit_current_communes(unit=province)])


# ---------------------------------------------------------------------------------------------- imports


@dataclass(frozen=True)
class ImportOutcome:
    dataset: str
    rows: int
    added: int
    changed: int
    removed: int
    unchanged: bool
    warnings: list[str] = field(default_factory=list)


def employers_import(
    *, actor: User, dataset: str, content: bytes, filename: str, mapping: Mapping[str, str] | None = None
) -> ImportOutcome:
    """Import a list into its dataset: every row checked first, nothing written if one is bad.

    A list that is a whole registry (units, tax, zones, unions) replaces the dataset; changes and the
    ledger add or update rows by key. The same file twice changes nothing.
    """
    importer = IMPORTERS.get(dataset)
    if importer is None:
        raise ValidationFailed(f"Không có loại danh sách “{dataset}”; chọn: {', '.join(IMPORTERS)}.")
    province = employers_province()
    require_editor(actor=actor, unit=province)
    rows = read_table(content=content, filename=filename, columns=importer.columns, mapping=mapping)
    if not rows:
        raise ValidationFailed(f"Tệp “{filename}” không có dòng dữ liệu nào.")
    records, errors = parse_rows(importer, rows, province_communes(province))
    if errors:
        raise ImportRejected(errors)
    incoming = _frame(dataset, records)
    current = storage.dataset_read(dataset).to_pandas()
    merged = incoming if importer.replaces else _merge(current, incoming, importer.key)
    added, changed, removed = _difference(current, merged, importer.key)
    warnings = _warnings(dataset, incoming)
    outcome = ImportOutcome(dataset, len(records), added, changed, removed, not (added or changed or removed), warnings)
    if outcome.unchanged:
        return outcome
    with transaction.atomic():
        batch = EmployerImport.objects.create(
            actor=actor, dataset=dataset, filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(), rows=len(records), added=added, changed=changed, removed=removed,
            warnings=warnings,
        )
        audit_record(actor=actor, action=f"employers.import.{dataset}", obj=batch, filename=filename, rows=len(records),
                     added=added, changed=changed, removed=removed)
        storage.dataset_write(dataset, pa.Table.from_pandas(merged.drop(columns="occurrence", errors="ignore"), preserve_index=False))
    return outcome


def _frame(dataset: str, records: list[dict]) -> pd.DataFrame:
    schema = DATASETS[dataset][1]
    frame = pd.DataFrame.from_records(records)
    if dataset == "ledger":
        frame = _with_occurrence(frame.drop(columns="occurrence"))
    columns = list(schema.names) + (["occurrence"] if dataset == "ledger" else [])
    return frame[columns]


def _with_occurrence(frame: pd.DataFrame) -> pd.DataFrame:
    """Number equal payments of a unit on one day 1, 2, …; due rows get 0 (their key is unit and month)."""
    frame = frame.copy()
    payments = frame["amount_paid"] > 0
    frame["occurrence"] = 0
    if payments.any():
        keys = frame.loc[payments, ["unit_code", "paid_on", "amount_paid"]].astype(str)
        frame.loc[payments, "occurrence"] = keys.groupby(list(keys.columns)).cumcount() + 1
    return frame


def _keys(frame: pd.DataFrame, key: tuple[str, ...] | list[str]) -> pd.Series:
    """Each row's values of `key` as one text (missing values as empty), to compare rows between versions."""
    if not len(frame):
        return pd.Series([], dtype=str)
    texts = [frame[column].astype("string").fillna("") for column in key]
    joined = texts[0]
    for text in texts[1:]:
        joined = joined + "\x1f" + text
    return joined


def _merge(current: pd.DataFrame, incoming: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Rows of the file replace the rows with the same key; other rows stay."""
    if "occurrence" in key and "occurrence" not in current.columns:
        current = _with_occurrence(current)
    kept = current[~_keys(current, key).isin(set(_keys(incoming, key)))]
    return pd.concat([kept, incoming], ignore_index=True) if len(kept) else incoming


def _difference(before: pd.DataFrame, after: pd.DataFrame, key: tuple[str, ...]) -> tuple[int, int, int]:
    """Rows added, changed (same key, other values) and removed between two versions of a dataset."""
    if "occurrence" in key:
        before = _with_occurrence(before) if "occurrence" not in before.columns else before
    columns = [c for c in after.columns if c != "occurrence"]
    old = dict(zip(_keys(before, key), _row_texts(before, columns)))
    new = dict(zip(_keys(after, key), _row_texts(after, columns)))
    added = sum(1 for k in new if k not in old)
    removed = sum(1 for k in old if k not in new)
    changed = sum(1 for k, v in new.items() if k in old and old[k] != v)
    return added, changed, removed


def _row_texts(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    return _keys(frame, columns).tolist()


def _warnings(dataset: str, frame: pd.DataFrame) -> list[str]:
    """What is accepted but worth an officer's eye (BHXH's own list keeps wrong tax codes as they are)."""
    if dataset != "units":
        return []
    from ansinh.employers.importers import tax_code_valid

    missing = int(frame["tax_code"].isna().sum())
    invalid = int(sum(1 for code in frame["tax_code"].dropna() if not tax_code_valid(code)))
    notes = []
    if missing:
        notes.append(f"{missing} đơn vị chưa có mã số thuế: sẽ đối chiếu theo tên.")
    if invalid:
        notes.append(f"{invalid} đơn vị có mã số thuế sai chữ số kiểm tra: sẽ đối chiếu theo tên.")
    return notes


# ------------------------------------------------------------------------------------------ reconcile


@dataclass(frozen=True)
class ReconcileOutcome:
    run: ReconcileRun
    counts: dict[str, int]
    created: int
    reopened: int
    closed: int
    timings: list[Timing]


def employers_reconcile(*, actor: User, on: date | None = None, settings_override: dict | None = None,
                        progress: Progress = no_progress) -> ReconcileOutcome:
    """Match the outside lists against BHXH's units and bring the communes' worklists up to date.

    A finding found again keeps its item (status, notes); a new one opens an item; an open item whose
    finding is gone is closed. Officers' confirm/reject decisions steer the matching.
    """
    from ansinh.employers.parameters import MATCH_AUTO_SCORE, MATCH_REVIEW_SCORE
    from ansinh.rules import rule_value
    from ansinh.employers.reconcile import ReconcileSettings, reconcile

    province = employers_province()
    require_editor(actor=actor, unit=province)
    if not storage.dataset_exists("units"):
        raise NotFound("Chưa có danh sách đơn vị tham gia BHXH: nhập bằng “ansinh employers import units TỆP”.")
    on = on or timezone.localdate()
    decisions = MatchDecision.objects.values_list("source", "record_key", "unit_code", "decision")
    settings_ = ReconcileSettings(
        auto_score=int(rule_value(MATCH_AUTO_SCORE, on)), review_score=int(rule_value(MATCH_REVIEW_SCORE, on)),
        confirmed=frozenset((s, t, u) for s, t, u, d in decisions if d == MatchDecision.Decision.CONFIRMED),
        rejected=frozenset((s, t, u) for s, t, u, d in decisions if d == MatchDecision.Decision.REJECTED),
        **(settings_override or {}),
    )
    progress("Đối chiếu danh sách Thuế, KCN, Công đoàn với đơn vị BHXH", None)
    started = time.perf_counter()
    result = reconcile(settings_, progress=progress)
    progress("Cập nhật danh sách việc cần làm của các xã, phường", None)
    with transaction.atomic():
        created, reopened, closed = _worklists_update(result.findings, province, on)
        counts = result.counts()
        run = ReconcileRun.objects.create(
            actor=actor, counts=counts, seconds=time.perf_counter() - started
        )
        audit_record(actor=actor, action="employers.reconcile", obj=run, created=created, reopened=reopened, closed=closed, **counts)
    return ReconcileOutcome(run, counts, created, reopened, closed, result.timings)


#: Rows per statement when the worklists are written (SQLite's limit on variables per statement is 32766).
_BATCH = 2_000


def _worklists_update(findings: pd.DataFrame, province: OrgUnit, on: date) -> tuple[int, int, int]:
    communes = {unit.code: unit for unit in unit_current_communes(unit=province)}
    existing = {(item.kind, item.key): item for item in WorkItem.objects.all()}
    seen, new, changed, reopened = set(), [], [], 0
    for row in findings.itertuples(index=False):
        commune = communes.get(row.commune_code) or province
        key = (row.kind, row.key)
        seen.add(key)
        item = existing.get(key)
        if item is None:
            new.append(WorkItem(kind=row.kind, key=row.key, commune=commune, tax_code=row.tax_code or "",
                                unit_code=row.unit_code or "", name=row.name[:300], detail=row.detail, first_found=on, last_found=on))
            continue
        reopened += not item.open
        item.commune, item.tax_code, item.unit_code, item.name = commune, row.tax_code or "", row.unit_code or "", row.name[:300]
        item.detail, item.last_found, item.open = row.detail, on, True
        changed.append(item)
    gone = [item for key, item in existing.items() if item.open and key not in seen]
    for item in gone:
        item.open = False
    WorkItem.objects.bulk_create(new, batch_size=_BATCH)
    WorkItem.objects.bulk_update(changed, ["commune", "tax_code", "unit_code", "name", "detail", "last_found", "open"], batch_size=_BATCH)
    WorkItem.objects.bulk_update(gone, ["open"], batch_size=_BATCH)
    return len(new), reopened, len(gone)


# --------------------------------------------------------------------------------- officers' actions

#: Where an item may go from each status (new → contacted → registered / not required / referred).
TRANSITIONS = {
    WorkItem.Status.NEW: {WorkItem.Status.CONTACTED, WorkItem.Status.REGISTERED, WorkItem.Status.NOT_REQUIRED, WorkItem.Status.REFERRED},
    WorkItem.Status.CONTACTED: {WorkItem.Status.REGISTERED, WorkItem.Status.NOT_REQUIRED, WorkItem.Status.REFERRED},
    WorkItem.Status.REFERRED: {WorkItem.Status.REGISTERED, WorkItem.Status.NOT_REQUIRED},
    WorkItem.Status.REGISTERED: {WorkItem.Status.CONTACTED},
    WorkItem.Status.NOT_REQUIRED: {WorkItem.Status.CONTACTED},
}


def work_item_set_status(*, actor: User, item_id: int, status: str, note: str = "") -> WorkItem:
    """Move a worklist item on (the commune's editor or the province); the change is audited."""
    from ansinh.employers.selectors import access_work_item

    item = access_work_item(actor=actor, item_id=item_id)
    require_editor(actor=actor, unit=item.commune)
    if item.kind == WorkItem.Kind.UNCERTAIN:
        raise ValidationFailed("Cặp cần xác nhận: chọn “Đúng là đơn vị này” hoặc “Không phải đơn vị này”.")
    try:
        wanted = WorkItem.Status(status)
    except ValueError:
        raise ValidationFailed(f"Trạng thái “{status}” không hợp lệ; dùng: {', '.join(WorkItem.Status.values)}.") from None
    if wanted not in TRANSITIONS[WorkItem.Status(item.status)]:
        raise ValidationFailed(
            f"Không chuyển được từ “{item.get_status_display()}” sang “{wanted.label}”."
        )
    with transaction.atomic():
        before = item.status
        item.status, item.note, item.status_changed_at = wanted, note.strip()[:500], timezone.now()
        item.save(update_fields=["status", "note", "status_changed_at"])
        audit_record(actor=actor, action="employers.work_item.status", obj=item, before=before, after=wanted.value, note=item.note)
    return item


def match_decide(*, actor: User, item_id: int, confirmed: bool, note: str = "") -> MatchDecision:
    """An officer answers an uncertain match; the answer holds for every later reconciliation."""
    from ansinh.employers.selectors import access_work_item

    item = access_work_item(actor=actor, item_id=item_id)
    require_editor(actor=actor, unit=item.commune)
    if item.kind != WorkItem.Kind.UNCERTAIN:
        raise ValidationFailed("Chỉ các cặp “cần xác nhận” mới nhận quyết định khớp/không khớp.")
    source, record_key = item.detail.get("source", "tax"), item.detail.get("record_key") or item.tax_code
    decision = MatchDecision.Decision.CONFIRMED if confirmed else MatchDecision.Decision.REJECTED
    with transaction.atomic():
        row, _ = MatchDecision.objects.update_or_create(
            source=source, record_key=record_key, unit_code=item.unit_code,
            defaults={"decision": decision, "decided_by": actor, "note": note.strip()[:300]},
        )
        item.open, item.note, item.status_changed_at = False, note.strip()[:500], timezone.now()
        item.save(update_fields=["open", "note", "status_changed_at"])
        audit_record(actor=actor, action="employers.match.decide", obj=row, decision=decision.value,
                     record_key=record_key, unit_code=item.unit_code)
    return row


# ------------------------------------------------------------------------------------------ paperwork


@dataclass(frozen=True)
class LetterBatch:
    month: date
    as_of: date
    dated: date
    files: list[tuple[str, bytes]]  # (file name, DOCX bytes)
    letters: int
    unpaid: int
    interest: int


def issuer_of(province: OrgUnit):
    """The provincial BHXH office that signs: its name from the province's ("Thành phố Cần Thơ")."""
    from ansinh.employers.records import Issuer

    place = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    return Issuer(agency=f"BẢO HIỂM XÃ HỘI {province.name.upper()}", place=place)


def letters_generate(
    *, actor: User, month: date, merged: bool = False, dated: date | None = None, number: int | None = None,
    signer_title: str = "", signer_name: str = "",
) -> LetterBatch:
    """The month's demand letters (đôn đốc) to every unit owing on the last day of the previous month.

    Each unit's letter keeps its number when the month is generated again; new late units get the next
    numbers of the year, or from `number` on when the văn thư gives the register's next number (refused
    when one of those numbers is already a letter's that year). `signer_title` ("KT. GIÁM ĐỐC\nPHÓ GIÁM
    ĐỐC") and `signer_name` fill the signature block. The amounts are the arrears report's, to the đồng. Audited.
    """
    from dataclasses import replace

    from ansinh.core.documents import clean_signer

    from ansinh.core.periods import add_months, month_end
    from ansinh.employers import documents
    from ansinh.employers.selectors import arrears_result

    province = employers_province()
    require_editor(actor=actor, unit=province)
    month = month.replace(day=1)
    as_of = month_end(add_months(month, -1))
    dated = dated or month
    owing = [a for a in arrears_result(as_of=as_of).records() if a.months]
    if not owing:
        raise NotFound(f"Không có đơn vị nào nợ đóng tính đến {as_of:%d/%m/%Y}: không có thông báo nào.")
    if number is not None and number < 1:
        raise ValidationFailed("Số thông báo phải là số nguyên dương.")
    title, name = clean_signer(signer_title=signer_title, signer_name=signer_name)
    issuer = issuer_of(province)
    issuer = replace(issuer, signer_title=title or issuer.signer_title, signer_name=name or issuer.signer_name)
    with transaction.atomic():
        numbers = _letter_numbers(month, owing, issuer.symbol, dated, as_of, first=number)
        audit_record(actor=actor, action="employers.letters", obj=None, month=month.isoformat(), letters=len(owing),
                     unpaid=sum(a.unpaid for a in owing), interest=sum(a.interest for a in owing),
                     **({"first_number": number} if number else {}), **({"signer": name} if name else {}))
    letters = [(a, numbers[a.unit_code].reference, dated) for a in owing]
    if merged:
        files = [(f"thong-bao-don-doc-{month:%Y-%m}.docx", documents.demand_letters_docx(letters=letters, issuer=issuer))] if letters else []
    else:
        files = [(documents.letter_filename(a, month), documents.demand_letter_docx(arrears=a, issuer=issuer, number=n, dated=d))
                 for a, n, d in letters]
    return LetterBatch(month, as_of, dated, files, len(letters), sum(a.unpaid for a in owing), sum(a.interest for a in owing))


def _letter_numbers(month: date, owing: list, symbol: str, dated: date, as_of: date, first: int | None = None) -> dict:
    from django.db.models import Max

    from ansinh.employers.models import DemandLetter

    existing = {letter.unit_code: letter for letter in DemandLetter.objects.select_for_update().filter(month=month)}
    last = DemandLetter.objects.filter(month__year=month.year).aggregate(n=Max("number"))["n"] or 0
    if first is not None:
        new = sum(1 for arrears in owing if arrears.unit_code not in existing)
        wanted = range(first, first + new)
        taken = DemandLetter.objects.filter(month__year=month.year, number__in=list(wanted)).order_by("number").first()
        if taken is not None:
            raise ValidationFailed(f"Số {taken.reference} đã dùng cho thông báo gửi {taken.unit_code} tháng "
                                   f"{taken.month:%m/%Y}: chọn số khác (số lớn nhất đã dùng năm {month.year}: {last}).")
        last = first - 1
    numbers = {}
    for arrears in owing:
        letter = existing.get(arrears.unit_code)
        if letter is None:
            last += 1
            letter = DemandLetter(unit_code=arrears.unit_code, month=month, number=last, symbol=symbol)
        letter.dated, letter.as_of, letter.unpaid, letter.interest = dated, as_of, arrears.unpaid, arrears.interest
        letter.save()
        numbers[arrears.unit_code] = letter
    return numbers


def quarter_as_of(quarter: str) -> tuple[date, str]:
    """"2026-Q1" → the day its lists are made as of (the last day of the quarter before) and a label."""
    import re

    from ansinh.core.periods import add_months, month_end

    match = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", quarter.strip())
    if not match:
        raise ValidationFailed(f"Quý “{quarter}” không đúng dạng YYYY-Qn (ví dụ 2026-Q1).")
    year, number = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * number - 2, 1)
    return month_end(add_months(first, -1)), f"quý {['I', 'II', 'III', 'IV'][number - 1]}/{year}"


def offenders_export(*, actor: User, quarter: str, public: bool = False) -> tuple[str, bytes]:
    """The quarter's list of late and evading units for the inspection bodies, or the public list.

    Organisations only (no personal data), but every download is audited, as every export is."""
    from ansinh.employers import documents
    from ansinh.employers.selectors import arrears_in_scope

    as_of, label = quarter_as_of(quarter)
    rows = arrears_in_scope(actor=actor, as_of=as_of)
    issuer = issuer_of(employers_province())
    if public:
        content = documents.disclosure_xlsx(rows=rows, as_of=as_of, issuer=issuer)
        name = f"cong-khai-don-vi-cham-dong-{quarter.strip().lower()}.xlsx"
    else:
        title = f"DANH SÁCH ĐƠN VỊ CHẬM ĐÓNG, TRỐN ĐÓNG BHXH, BHYT, BHTN {label.upper()}"
        content = documents.offenders_xlsx(rows=rows, title=title, as_of=as_of, issuer=issuer)
        name = f"danh-sach-vi-pham-{quarter.strip().lower()}.xlsx"
    audit_record(actor=actor, action="export.employers.offenders", obj=None, quarter=quarter, public=public, units=len(rows))
    return name, content


def inspection_export(*, actor: User, as_of: date) -> tuple[str, bytes, int]:
    """Units owing the threshold's months or more (3), proposed for inspection, with their monthly history."""
    from ansinh.core.periods import add_months, month_end
    from ansinh.employers import documents
    from ansinh.employers.interest import outstanding_on
    from ansinh.employers.parameters import INSPECTION_MIN_MONTHS
    from ansinh.rules import rule_value
    from ansinh.employers.selectors import arrears_in_scope, unit_ledger_rows

    min_months = int(rule_value(INSPECTION_MIN_MONTHS, as_of))
    rows = arrears_in_scope(actor=actor, as_of=as_of, min_months=min_months)
    ends = [month_end(add_months(as_of.replace(day=1), -k)) for k in range(11, 0, -1)] + [as_of]
    history = []
    for arrears in rows:
        ledger = unit_ledger_rows(arrears.unit_code)
        history.append((arrears, [(end, outstanding_on(ledger, day=end)) for end in ends]))
    content = documents.inspection_xlsx(rows=history, as_of=as_of, issuer=issuer_of(employers_province()), min_months=min_months)
    audit_record(actor=actor, action="export.employers.inspection", obj=None, as_of=as_of.isoformat(), units=len(rows))
    return f"de-nghi-thanh-tra-{as_of:%Y-%m-%d}.xlsx", content, len(rows)


@dataclass(frozen=True)
class Compliance:
    """The answer to "has this enterprise complied with the law on social insurance?" and its facts."""

    tax_code: str
    on: date
    compliant: bool
    units: list  # UnitArrears of the units with this tax code (or its branches)
    facts: list[str]
    open_findings: list[str]


def compliance_check(*, actor: User, tax_code: str, on: date | None = None) -> Compliance:
    """Look an enterprise up by tax code for an award, a bid or a land decision; the look-up is logged.

    Not compliant when a unit owes contributions past the deadline, when the reconciliation has an open
    finding that it employs people without registering them or declares fewer workers than it has, or
    when no unit has this tax code at all (BHXH can only vouch for those who take part)."""
    from ansinh.core.formatting import format_date, format_int
    from ansinh.employers.importers import CellError
    from ansinh.employers.importers import tax_code as read_tax_code
    from ansinh.employers.records import STATUS_LABELS
    from ansinh.employers.selectors import default_as_of, unit_arrears, unit_rows

    try:
        code = read_tax_code(tax_code)
    except CellError as error:
        raise ValidationFailed(f"Mã số thuế: {error}.") from None
    on = on or default_as_of()
    registry = [u for u in unit_rows() if u.tax_code]
    # A head office answers for its branches' units too; a branch without a unit of its own, by its head office's.
    units = [u for u in registry if u.tax_code == code or u.tax_code.split("-")[0] == code]
    if not units and "-" in code:
        units = [u for u in registry if u.tax_code == code[:10]]
    arrears = [unit_arrears(unit=u, as_of=on) for u in units]
    findings = WorkItem.objects.filter(open=True, kind__in=[WorkItem.Kind.UNREGISTERED, WorkItem.Kind.UNDER_DECLARED]).filter(
        tax_code__startswith=code[:10])
    facts = []
    if not units:
        facts.append(f"Không có đơn vị tham gia BHXH nào mang mã số thuế {code}: không có cơ sở xác nhận đã chấp hành.")
    for a in arrears:
        if a.months:
            facts.append(f"Đơn vị {a.unit_code} ({a.name}) {STATUS_LABELS[a.status].lower()} {a.months_owed} tháng, "
                         f"số tiền {format_int(a.unpaid)} đồng, lãi {format_int(a.interest)} đồng, tính đến {format_date(on)}.")
        else:
            facts.append(f"Đơn vị {a.unit_code} ({a.name}) không nợ tiền đóng quá hạn tính đến {format_date(on)}.")
    notes = [f"{item.get_kind_display()}: {item.name}" for item in findings]
    compliant = bool(units) and not any(a.months for a in arrears) and not notes
    audit_record(actor=actor, action="employers.compliance_check", obj=None, tax_code=code, on=on.isoformat(), compliant=compliant)
    return Compliance(code, on, compliant, arrears, facts, notes)
