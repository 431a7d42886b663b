"""Everything a periodic report shows, read once into a plain `ReportFigures`, and the reports' history.

The per-unit figures come from the very selectors the dashboard calls (`attainment_for_unit` with the
dashboard's indicators, `attainment_for_children`, ranked by `rank_rows`), so a report and the dashboard
for the same period cannot disagree. Arrears come from `employers.selectors.arrears_overview` when a
contribution ledger has been loaded, task timeliness from `tasks.selectors` when the plan has tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from ansinh.accounts.models import User
from ansinh.units.selectors import access_unit, scope_units
from ansinh.core.documents import clean_signer
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.core.periods import ROMAN_QUARTERS, Period
from ansinh.reports.models import FILE_FIELDS, Report
from ansinh.targets import attainment_rows, figures
from ansinh.targets import selectors as targets
from ansinh.targets.attainment import Status
from ansinh.targets.attainment_rows import AttainmentRow
from ansinh.targets.indicators import INDICATORS, Indicator
from ansinh.targets.models import Plan, Target
from ansinh.tasks.models import Agency
from ansinh.tasks.selectors import submissions, timeliness_by_agency

#: The indicator communes are ranked on when the plan splits it to them (the plans' first target).
MAIN_INDICATOR = "bhyt.participants"
#: How many of the largest debtors and communes with most arrears the report names.
ARREARS_TOP = 10


@dataclass(frozen=True)
class Issuer:
    """Who makes and signs the report (Decree 30 header and signature block) and to whom it goes."""

    name: str  # as a sentence names it: "Bảo hiểm xã hội thành phố Cần Thơ"
    parent_agency: str
    agency: str
    place: str
    symbol: str
    signer_title: str
    addressee: str
    recipients: tuple[str, ...]
    signer_name: str = ""


@dataclass
class CommuneTable:
    """One indicator's table of communes, ranked by % of target: the dashboard's communes table."""

    indicator: Indicator
    rows: list[AttainmentRow]

    def count(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status is status)

    @property
    def with_target(self) -> int:
        return sum(1 for row in self.rows if row.status not in (Status.NO_TARGET,))


@dataclass(frozen=True)
class ArrearsFigures:
    """The arrears summary on the report's day (the arrears dashboard's figures)."""

    as_of: date
    units_owing: int
    evasion_units: int
    workers: int
    unpaid: int
    interest: int
    rate: object  # Decimal percent or None
    national_rate: object
    communes: list  # CommuneArrears with arrears, most owed first
    top: list  # UnitArrears, largest first


@dataclass
class TaskFigures:
    """How the agencies (and the communes' People's Committees) handed in what the plan asked in the period."""

    agencies: list  # tasks.selectors.Timeliness
    communes: list  # tasks.selectors.Timeliness
    submissions: list  # tasks.selectors.Submission


@dataclass
class ReportFigures:
    """Everything one report shows, in the order it shows it; documents are pure functions of this."""

    plan: Plan
    unit: OrgUnit
    period: Period
    made_on: date
    number: str
    issuer: Issuer
    data_month: date | None
    headline: list[AttainmentRow]
    main: Indicator | None
    communes: list[CommuneTable] = field(default_factory=list)
    arrears: ArrearsFigures | None = None
    tasks: TaskFigures | None = None

    @property
    def is_commune(self) -> bool:
        return self.unit.kind == OrgUnit.Kind.COMMUNE

    @property
    def main_table(self) -> CommuneTable | None:
        return next((t for t in self.communes if t.indicator == self.main), None)

    @property
    def main_row(self) -> AttainmentRow | None:
        return next((r for r in self.headline if r.indicator == self.main), None)

    @property
    def behind(self) -> list[AttainmentRow]:
        """Communes behind schedule on the main indicator, furthest behind first."""
        table = self.main_table
        rows = [r for r in table.rows if r.status is Status.OFF_TRACK] if table else []
        return sorted(rows, key=lambda r: (r.attainment_pct if r.attainment_pct is not None else 0, r.unit_code))


# ------------------------------------------------------------------------------------------ the figures


def report_figures(
    *, actor: User, plan: Plan, period: Period, unit: OrgUnit | None = None, number: str = "", made_on: date | None = None,
    signer_title: str = "", signer_name: str = "",
) -> ReportFigures:
    """Read everything a report on `plan` for `period` shows, as `actor` may see it.

    A province's report has the province's figures, every commune's, the arrears and the agencies' tasks;
    a commune's report (the only kind a commune user may make) has that commune's own figures only.

    `signer_title` ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", one line per line of the title) and `signer_name` replace
    the issuer's defaults in the signature block when given.
    """
    plan = targets.access_plan(actor=actor, plan_id=plan.pk)
    unit = report_unit(actor=actor, plan=plan, code=unit.code if unit else None)
    _check_period(plan, period)
    made_on = made_on or timezone.localdate()
    headline = attainment_rows.dashboard_rows(actor=actor, unit=unit, period=period).kpis  # the dashboard's KPI cards
    data_month = max((r.data_month for r in headline if r.data_month), default=None)
    if data_month is None:
        raise ValidationFailed(f"Chưa có số liệu thực hiện nào của {unit.name} trong kỳ {period.title}: chưa lập được báo cáo.")
    child_indicators = [] if unit.kind == OrgUnit.Kind.COMMUNE else _child_indicators(plan, unit)
    communes = [
        CommuneTable(i, attainment_rows.attainment_for_children(actor=actor, unit=unit, period=period, indicator=i))
        for i in child_indicators
    ]
    own = [r.indicator for r in headline if r.target is not None]
    main = _main_indicator(child_indicators or own)
    return ReportFigures(
        plan=plan, unit=unit, period=period, made_on=made_on, number=number.strip(), issuer=_signed(issuer_for(unit=unit, plan=plan), signer_title, signer_name),
        data_month=data_month, headline=headline, main=main, communes=communes,
        arrears=_arrears(actor, unit, period), tasks=_tasks(plan, unit, period, figures.reporting_day(period=period)),
    )


def report_unit(*, actor: User, plan: Plan, code: str | None) -> OrgUnit:
    """The unit a report is about: the one named, else the plan's scope when the user sees it, else the
    user's own unit. It must lie within the plan's scope and be a province or a commune."""
    if code is None:
        home = actor.org_unit if actor.org_unit_id else plan.scope_unit
        code = plan.scope_unit.code if plan.scope_unit.is_within(home) else home.code
    unit = access_unit(actor=actor, code=code)
    if not unit.is_within(plan.scope_unit):
        raise ValidationFailed(f"{unit.name} không thuộc phạm vi của kế hoạch {plan.number}.")
    if unit.kind not in (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.COMMUNE):
        raise ValidationFailed("Báo cáo định kỳ lập cho cấp tỉnh hoặc cấp xã.")
    return unit


def report_units(*, actor: User, plan: Plan) -> list[OrgUnit]:
    """The units a report on `plan` can be about, as far as the user sees them: the plan's province (when
    in scope), then the communes in force under it, in path order (what the unit picker offers)."""
    inside = scope_units(actor=actor).current().filter(path__startswith=plan.scope_unit.path)
    return list(inside.filter(kind__in=[OrgUnit.Kind.PROVINCE, OrgUnit.Kind.COMMUNE]).order_by("path"))


def _check_period(plan: Plan, period: Period) -> None:
    if period.first_month.year != plan.year:
        raise ValidationFailed(f"Kỳ {period.title} không thuộc năm {plan.year} của kế hoạch {plan.number}.")


def _child_indicators(plan: Plan, unit: OrgUnit) -> list[Indicator]:
    """The indicators the plan splits to the unit's children, in the registry's order."""
    codes = set(Target.objects.filter(plan=plan, unit__parent=unit).values_list("indicator", flat=True))
    return [i for code, i in INDICATORS.items() if code in codes]


def _main_indicator(indicators: list[Indicator]) -> Indicator | None:
    return next((i for i in indicators if i.code == MAIN_INDICATOR), indicators[0] if indicators else None)


def issuer_for(*, unit: OrgUnit, plan: Plan) -> Issuer:
    """The provincial BHXH (standing agency of the Steering Committee) reports to the plan's issuer;
    a commune's People's Committee reports to the provincial BHXH and the plan's issuer."""
    province = plan.scope_unit
    place = _place(province.name)
    bhxh = f"Bảo hiểm xã hội {province.name[0].lower()}{province.name[1:]}"
    if unit.kind == OrgUnit.Kind.COMMUNE:
        return Issuer(
            name=f"Ủy ban nhân dân {unit.name[0].lower()}{unit.name[1:]}",
            parent_agency="ỦY BAN NHÂN DÂN", agency=unit.name.upper(),
            place=_place(unit.name), symbol="BC-UBND", signer_title="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
            addressee=f"{plan.issuer}; {bhxh}", recipients=("Như trên;", "Ban Chỉ đạo BHXH, BHYT cấp xã;", "Lưu: VT."),
        )
    return Issuer(
        name=bhxh, parent_agency="BẢO HIỂM XÃ HỘI VIỆT NAM", agency=f"BẢO HIỂM XÃ HỘI {province.name.upper()}", place=place,
        symbol="BC-BHXH", signer_title="GIÁM ĐỐC", addressee=plan.issuer,
        recipients=(
            "Như trên;", "Ban Chỉ đạo thực hiện chính sách BHXH, BHYT;", "Sở Nội vụ, Sở Y tế, Sở Tài chính, Sở GD&ĐT;",
            "UBND các xã, phường;", "Lưu: VT, QLT.",
        ),
    )


def _signed(issuer: Issuer, signer_title: str, signer_name: str) -> Issuer:
    """The issuer with the signer the officer named (title and name), else its own defaults."""
    title, name = clean_signer(signer_title=signer_title, signer_name=signer_name)
    return replace(issuer, signer_title=title or issuer.signer_title, signer_name=name or issuer.signer_name)


def _place(name: str) -> str:
    """"Thành phố Cần Thơ" → "Cần Thơ", "Phường Ninh Kiều" → "Ninh Kiều": the place name of the date line."""
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        name = name.removeprefix(prefix)
    return name


def _arrears(actor: User, unit: OrgUnit, period: Period) -> ArrearsFigures | None:
    """The arrears at the period's end (or the ledger's last day, if earlier); None without a ledger."""
    from ansinh.employers import selectors as employers
    from ansinh.employers import storage

    if not storage.dataset_exists("ledger"):
        return None
    as_of = min(period.end, employers.default_as_of())
    overview = employers.arrears_overview(actor=actor, unit=unit, as_of=as_of, top=ARREARS_TOP)
    owing = sorted((r for r in overview.rows if r.unpaid), key=lambda r: (-r.unpaid, r.commune.code))
    total = overview.total
    return ArrearsFigures(
        as_of=as_of, units_owing=total.units_owing, evasion_units=total.evasion_units, workers=total.workers,
        unpaid=total.unpaid, interest=total.interest, rate=total.rate, national_rate=overview.national_rate,
        communes=owing, top=list(overview.top),
    )


def _tasks(plan: Plan, unit: OrgUnit, period: Period, today: date) -> TaskFigures | None:
    """Timeliness of what fell due in the period, as of the period's end (the reporting day, not the day
    the report is printed); None when nothing fell due (a plan without tasks)."""
    window = {"plan": plan, "start": period.first_month, "end": period.end}
    found = submissions(**window, today=today)
    if not found:
        return None
    communes = timeliness_by_agency(**window, today=today, communes=True)
    if unit.kind == OrgUnit.Kind.COMMUNE:
        own = set(Agency.objects.filter(org_unit=unit).values_list("code", "name"))
        codes, names = {code for code, _ in own}, {name for _, name in own}
        return TaskFigures([], [t for t in communes if t.agency_code in codes], [s for s in found if s.agency_name in names])
    return TaskFigures(timeliness_by_agency(**window, today=today), communes, found)


# ------------------------------------------------------------------------------------ period choices


@dataclass(frozen=True)
class PeriodChoice:
    value: str
    label: str


def period_choices(*, unit: OrgUnit, year: int) -> list[PeriodChoice]:
    """What the reports page offers for a plan's year: the year, each quarter and each month with figures,
    newest first."""
    months = sorted((m for m in figures.data_months(unit=unit) if m.year == year), reverse=True)
    quarters = sorted({(m.month - 1) // 3 + 1 for m in months}, reverse=True)
    choices = [PeriodChoice(str(year), f"Năm {year}")] if months else []
    choices += [PeriodChoice(f"{year}-Q{q}", f"Quý {ROMAN_QUARTERS[q - 1]}/{year}") for q in quarters]
    choices += [PeriodChoice(f"{m:%Y-%m}", f"Tháng {m:%m/%Y}") for m in months]
    return choices


def default_report_period(*, unit: OrgUnit, year: int) -> str:
    """The last whole quarter with figures (the plans ask for quarterly reports), else the latest month."""
    months = sorted((m for m in figures.data_months(unit=unit) if m.year == year), reverse=True)
    if not months:
        return str(year)
    latest = months[0]
    quarter = (latest.month - 1) // 3 + 1
    if latest.month % 3 == 0:  # the quarter's last month is in: the quarter is whole
        return f"{year}-Q{quarter}"
    return f"{year}-Q{quarter - 1}" if quarter > 1 else f"{latest:%Y-%m}"


# ---------------------------------------------------------------------------------------------- history


def reports_visible(*, actor: User, plan: Plan | None = None) -> QuerySet[Report]:
    """Reports on units in the user's scope, newest first, without their files (a list needs none)."""
    found = Report.objects.filter(unit__in=scope_units(actor=actor)).select_related("plan", "unit", "actor")
    if plan is not None:
        found = found.filter(plan=plan)
    return found.defer(*FILE_FIELDS)


def access_report(*, actor: User, report_id: int) -> Report:
    """Fetch one report (with its files) and check its unit lies within the user's scope."""
    report = Report.objects.select_related("plan", "unit", "actor").filter(pk=report_id).first()
    if report is None:
        raise NotFound(f"Không có báo cáo số {report_id}.")
    if not scope_units(actor=actor).filter(pk=report.unit_id).exists():
        raise PermissionDenied(f"Báo cáo của {report.unit.name} nằm ngoài phạm vi được phân quyền của bạn.")
    return report


def access_plan_for_report(*, actor: User, number: str, unit_code: str | None = None) -> Plan:
    """The plan a command names by number ("53/KH-UBND"); with several of that number, `unit_code` chooses."""
    if unit_code:
        return targets.access_plan_by_number(actor=actor, number=number, unit=access_unit(actor=actor, code=unit_code))
    found = [p for p in targets.plans_visible(actor=actor) if p.number == number]
    if not found:
        raise NotFound(f"Không có kế hoạch số “{number}” trong phạm vi của bạn.")
    if len(found) > 1:
        raise ValidationFailed(f"Có {len(found)} kế hoạch số “{number}”: dùng --unit để chọn đơn vị.")
    return found[0]
