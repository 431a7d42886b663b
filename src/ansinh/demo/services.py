"""`ansinh demo`: the Cần Thơ 2025 plan on real units, with synthetic actuals, ready to open in a browser.

Everything goes through the same services an officer uses (units load, plan, targets, import, allocation,
users), so the demo also proves those paths. Running it twice changes nothing.

The demo is the server operator setting the server up, so it acts as the operator's audited `system`
account (`User.objects.system()`, a superuser): every check runs and every audit row names it. The
tasks demo alone acts as the province's officer `tinh`, whose plan-reading path it replays.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ansinh.accounts.models import User
from ansinh.accounts.services import user_ensure
from ansinh.core.errors import ValidationFailed
from ansinh.core.formatting import format_int
from ansinh.units.models import OrgUnit
from ansinh.units.selectors import unit_current_communes
from ansinh.units.services import units_load_official
from ansinh.coverage.services import ComputeResult, coverage_compute, data_dir
from ansinh.demo.synthetic.actuals import CAN_THO_2025, monthly_rows
from ansinh.demo.synthetic.communes import id_prefix, official_communes
from ansinh.demo.synthetic.persons import Manifest, generate
from ansinh.targets.models import Plan
from ansinh.targets.services import actuals_import, plan_ensure, target_allocate, target_set

PROVINCE = "92"
PLAN_NUMBER = "53/KH-UBND"
#: 30/11/2025 "basically complete", 20/12/2025 "reach and exceed" (Kế hoạch 53/KH-UBND, section II.2).
MILESTONES = [(date(2025, 11, 30), "Cơ bản hoàn thành chỉ tiêu"), (date(2025, 12, 20), "Đạt và vượt chỉ tiêu")]
#: The plan's targets for the whole city (section II.2 a–c).
PROVINCE_TARGETS = {
    "bhxh.participants": 433_364,
    "bhxh.participation": 40,
    "bhxh.compulsory.participants": 314_472,
    "bhxh.voluntary.participants": 118_892,
    "bhyt.participants": 3_095_954,
    "bhyt.coverage": 96.11,
    "bhtn.participants": 294_046,
    "bhtn.required_coverage": 100,
}
#: Split to the communes with the same rate for each (method a); officers can re-split in the plan page.
ALLOCATED = ["bhyt.participants", "bhxh.participants", "bhxh.compulsory.participants", "bhxh.voluntary.participants", "bhtn.participants"]


@dataclass(frozen=True)
class DemoResult:
    password: str
    password_generated: bool
    users: int
    actual_rows: int


Step = Callable[[str], None]


def demo_load(*, password: str | None = None, months: int = 10, step: Step | None = None) -> DemoResult:
    """Load units, the plan, its targets split to the 103 communes, the actuals and the demo users."""
    say = step or (lambda _: None)
    say("Nạp đơn vị hành chính (34 tỉnh, 3.321 xã)")
    operator = User.objects.system()
    units_load_official(actor=operator)
    province = OrgUnit.objects.current().get(code=PROVINCE)
    communes = list(unit_current_communes(unit=province).order_by("code"))
    say(f"Nhập số liệu thực hiện 2024 và {months} tháng năm 2025 của {len(communes)} xã, phường")
    rows = _import_actuals(operator, communes, months)
    say(f"Kế hoạch {PLAN_NUMBER} và chỉ tiêu phân bổ cho {len(communes)} xã, phường")
    _load_plan(operator, province)
    say("Tạo tài khoản demo")
    generated = password is None
    password = password or secrets.token_urlsafe(9)
    users = _ensure_users(operator, province, communes, password)
    return DemoResult(password, generated, users, rows)


def extract_generate(
    *, persons: int, province: str = "92", seed: int = 2025, as_of: date = date(2025, 10, 31),
    directory: Path | None = None, progress: Callable[[str, float], None] | None = None,
) -> Manifest:
    """`ansinh generate`: a synthetic extract of a whole province (calibrated to Cần Thơ's 2025 plan) in the
    data directory, where `ansinh coverage compute` reads a real one."""
    if persons < 1:
        raise ValidationFailed("Số người phải từ 1 trở lên.")
    directory = directory or data_dir()
    return generate(
        out_dir=directory, persons=persons, communes=official_communes(province), province_code=id_prefix(province),
        seed=seed, as_of=as_of, progress=progress,
    )


def demo_persons(*, persons: int, seed: int = 2025, progress: Callable[[str, float], None] | None = None,
                 step: Step | None = None) -> ComputeResult:
    """A person-level Cần Thơ of `persons` people in the data directory, counted by the coverage engine
    into the communes' monthly actuals of 2025 (January to the extract's day, 31/10/2025), then the plan's
    targets split again on the figures those persons give.

    Why split again: the targets were first split on the synthetic figures of `demo_load`, whose communes
    have other sizes than the generated ones; a commune's target must follow its own population, labour
    force and required workers, or a ward stands at 150% of its target and a commune at 30%. The province's
    targets stay the plan's. With the real population (3.221.261) every commune stands at 91–108% of its
    targets; with fewer people the head counts (and so the attainment) scale down with the population."""
    say = step or (lambda _: None)
    say(f"Sinh dữ liệu cá nhân: {persons:,} người của thành phố Cần Thơ".replace(",", "."))
    extract_generate(persons=persons, province=PROVINCE, seed=seed, progress=progress)
    say("Tính số người tham gia theo xã, tháng từ dữ liệu cá nhân")
    operator = User.objects.system()
    computed = coverage_compute(actor=operator)
    say("Phân bổ lại chỉ tiêu cho các xã, phường theo số liệu tính từ dữ liệu cá nhân")
    plan = Plan.objects.get(number=PLAN_NUMBER, scope_unit__code=PROVINCE)
    _split_targets(operator, plan, plan.scope_unit)
    return computed


#: Cần Thơ's employers at demo size: BHXH units, tax records and the months of the contribution ledger.
DEMO_EMPLOYERS = {"units": 6_000, "tax_records": 15_000, "months": 36}
#: The lists in the order they are imported (the units first: the reconciliation reads them all).
SOURCE_FILES = (
    ("units", "don_vi_bhxh.xlsx"), ("tax", "dang_ky_thue.xlsx"), ("changes", "thay_doi_dkkd.csv"),
    ("zones", "kcn.xlsx"), ("unions", "cong_doan.xlsx"), ("ledger", "so_thu.csv"),
)


@dataclass(frozen=True)
class EmployersDemo:
    imported: dict[str, int]  # dataset → rows
    counts: dict[str, int]  # the reconciliation's


def demo_employers(*, units: int = DEMO_EMPLOYERS["units"], tax_records: int = DEMO_EMPLOYERS["tax_records"],
                   months: int = DEMO_EMPLOYERS["months"], seed: int = 2025, step: Step | None = None) -> EmployersDemo:
    """Cần Thơ's employers: synthetic lists written as the Tax office, BHXH, the zones board and the union
    hand them in (XLSX with title rows, CSV), imported through the same imports an officer uses, then
    reconciled into the communes' worklists. The ledger runs to October 2025. Running it twice changes nothing."""
    import tempfile
    from pathlib import Path

    from ansinh.demo.synthetic.employers import generate_employers
    from ansinh.demo.synthetic.source_files import write_source_files
    from ansinh.employers.services import employers_import, employers_reconcile

    say = step or (lambda _: None)
    province = OrgUnit.objects.current().get(code=PROVINCE)
    communes = [(c.code, c.name) for c in unit_current_communes(unit=province).order_by("code")]
    with tempfile.TemporaryDirectory(prefix="ansinh-demo-employers-") as scratch:
        say(f"Sinh danh sách doanh nghiệp: {format_int(units)} đơn vị BHXH, {format_int(tax_records)} người nộp thuế")
        generated, files = Path(scratch) / "data", Path(scratch) / "files"
        generate_employers(out_dir=generated, communes=communes, province_name=province.name, province_code=PROVINCE,
                           units=units, tax_records=tax_records, months=months, last_month=date(2025, 10, 1), seed=seed)
        write_source_files(generated, files)
        imported, operator = {}, User.objects.system()
        for dataset, name in SOURCE_FILES:
            say(f"Nhập {name}")
            outcome = employers_import(actor=operator, dataset=dataset, content=(files / name).read_bytes(), filename=name)
            imported[dataset] = outcome.rows
    say("Đối chiếu và lập danh sách việc cho các xã, phường")
    return EmployersDemo(imported, employers_reconcile(actor=operator).counts)


#: The plan's own text, as published (a legal document: free to reuse); the demo's tasks are read from it.
PLAN_TEXT = Path(__file__).parent / "data" / "ke-hoach-53-KH-UBND-can-tho-2025.txt"
#: The demo's "today" for the hand-in history: the last month with actuals.
TASKS_AS_OF = date(2025, 10, 31)


@dataclass(frozen=True)
class TasksDemo:
    tasks: int
    occurrences: int
    handed_in: int


def demo_tasks(*, seed: int = 2025, step: Step | None = None) -> TasksDemo:
    """The plan's tasks, read from the plan's own text by the plan reader and saved through the same
    review path an officer uses (its targets are left as the demo set them), then a synthetic history of
    hand-ins up to 31/10/2025: most on time, some late, some missing. Running it twice changes nothing."""
    from ansinh.plans.services import plan_draft_read, plan_draft_save
    from ansinh.tasks.models import TaskOccurrence

    say = step or (lambda _: None)
    plan = Plan.objects.get(number=PLAN_NUMBER, scope_unit__code=PROVINCE)
    if not plan.tasks.exists():
        say("Đọc văn bản kế hoạch 53/KH-UBND: phân công nhiệm vụ cho các sở, ngành, xã")
        officer = User.objects.get(username="tinh")
        draft = plan_draft_read(actor=officer, content=PLAN_TEXT.read_bytes(), filename=PLAN_TEXT.name)
        review = {**draft.data, "number": plan.number, "title": plan.title, "issuer": plan.issuer,
                  "issued_on": plan.issued_on.isoformat(), "scope_code": PROVINCE, "year": plan.year,
                  "targets": [{**row, "include": False} for row in draft.data["targets"]]}
        plan_draft_save(actor=officer, draft=draft, data=review)
        _hand_ins(plan, seed)
    occurrences = TaskOccurrence.objects.filter(task__plan=plan)
    return TasksDemo(plan.tasks.count(), occurrences.count(), occurrences.filter(submitted_on__isnull=False).count())


def _hand_ins(plan, seed: int) -> None:
    """What each agency handed in by 31/10/2025: 70% on time (0–5 days early), 18% late (1–20 days), the
    rest missing; a deterministic draw per occurrence, so a rerun of the demo gives the same history."""
    import random
    from datetime import timedelta

    from ansinh.tasks.models import TaskOccurrence

    rng = random.Random(seed)
    changed = []
    for occurrence in TaskOccurrence.objects.filter(task__plan=plan, due_on__lte=TASKS_AS_OF).order_by("pk"):
        draw = rng.random()
        if draw < 0.70:
            occurrence.submitted_on = occurrence.due_on - timedelta(days=rng.randint(0, 5))
        elif draw < 0.88:
            occurrence.submitted_on = min(occurrence.due_on + timedelta(days=rng.randint(1, 20)), TASKS_AS_OF)
        else:
            continue
        occurrence.note = "Đã báo cáo (dữ liệu mẫu)"
        changed.append(occurrence)
    TaskOccurrence.objects.bulk_update(changed, ["submitted_on", "note"])


def _import_actuals(operator: User, communes: list[OrgUnit], months: int) -> int:
    """Last year's twelve months (for growth) and this year's months, through the real import."""
    codes = [c.code for c in communes]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit_code", "period", "measure", "value"])
    total = months + 12
    writer.writerows(monthly_rows(codes=codes, shape=CAN_THO_2025, first_month=date(2024, 1, 1), months=total))
    result = actuals_import(actor=operator, content=buffer.getvalue().encode(), filename="demo-can-tho-2025.csv")
    return result.rows


def _load_plan(operator: User, province: OrgUnit) -> None:
    with transaction.atomic():
        plan = plan_ensure(
            actor=operator, number=PLAN_NUMBER, issuer="Ủy ban nhân dân thành phố Cần Thơ", issued_on=date(2025, 8, 27),
            scope_unit=province, year=2025,
            title="Kế hoạch thực hiện chỉ tiêu phát triển người tham gia BHYT, BHXH bắt buộc, BHXH tự nguyện, "
            "bảo hiểm thất nghiệp năm 2025",
        )
        for indicator, value in PROVINCE_TARGETS.items():
            target_set(
                actor=operator, plan=plan, indicator=indicator, unit=province,
                milestones=[(due_on, value, label) for due_on, label in MILESTONES],
            )
        _split_targets(operator, plan, province)


def _split_targets(operator: User, plan: Plan, province: OrgUnit) -> None:
    """The province's targets split to the communes at the same rate (method a), on the latest month of
    actuals: each commune's share follows its own denominator, so its rate target is the province's."""
    with transaction.atomic():
        for indicator in ALLOCATED:
            target_allocate(actor=operator, plan=plan, indicator=indicator, parent=province, method="proportional")


def _ensure_users(operator: User, province: OrgUnit, communes: list[OrgUnit], password: str) -> int:
    """`tinh` administers the province; `xa-<code>` edits its own commune. One hash for all (fast, demo only)."""
    password_hash = make_password(password)
    with transaction.atomic():
        user_ensure(actor=operator, username="tinh", org_unit=province, role=User.Role.ADMIN, password_hash=password_hash)
        for commune in communes:
            user_ensure(
                actor=operator, username=f"xa-{commune.code}", org_unit=commune, role=User.Role.EDITOR,
                password_hash=password_hash,
            )
    return 1 + len(communes)
