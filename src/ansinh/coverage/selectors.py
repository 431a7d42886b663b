"""Reads of the coverage app: the lists a commune acts on, scoped to the user and with IDs masked.

Every list is for one commune the user's scope covers (`access_commune`), as of one day (by default the
extract's day), optionally for one village, one page at a time. Names are shown (officers visit people),
ID numbers only masked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import ibis.expr.types as ir
import pandas as pd

from ansinh.accounts.models import User
from ansinh.units.selectors import access_unit, home_unit, scope_units
from ansinh.audit.services import audit_record
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.units.selectors import unit_ancestors
from ansinh.coverage import engine, pipeline
from ansinh.coverage.masking import mask_id
from ansinh.coverage.models import CoverageRun
from ansinh.coverage.services import Extract, extract_read
from ansinh.engine.backends import connect, default_engine
from ansinh.targets.indicators import BHYT_GROUPS

PER_PAGE = 25
MAX_PER_PAGE = 500
MAX_DAYS = 366


@dataclass(frozen=True)
class Page:
    kind: str
    commune: OrgUnit
    day: date
    village: str | None
    rows: list[dict]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class ListKind:
    code: str
    title: str
    build: Callable[..., ir.Table]
    rows: Callable[..., list[dict]]


def access_commune(*, actor: User, code: str) -> OrgUnit:
    """A commune the user may see person-level data of: in their scope, and only for the staff who need
    it (an auditor reads the log of who saw whom, never the people; an agency works on its tasks)."""
    if not actor.sees_personal_data:
        raise PermissionDenied("Vai trò của bạn không được xem danh sách cá nhân.")
    unit = access_unit(actor=actor, code=code)
    if unit.kind != OrgUnit.Kind.COMMUNE:
        raise ValidationFailed(f"{unit.name} không phải cấp xã: danh sách theo từng xã, phường.")
    return unit


@dataclass(frozen=True)
class _Query:
    """One list for one commune and day, ready to run: what both a page and a whole export need."""

    spec: ListKind
    commune: OrgUnit
    day: date
    village: str | None
    inputs: engine.Inputs
    table: ir.Table

    def rows(self, chunk: pd.DataFrame) -> list[dict]:
        return self.spec.rows(chunk, inputs=self.inputs, commune_code=self.commune.code, day=self.day, village=self.village)


def _query(*, actor: User, kind: str, code: str, day: date | None, village: str | None, days: int) -> _Query:
    """Check the request and the user's scope, open the extract, and build the list's expression."""
    if kind not in LISTS:
        raise ValidationFailed(f"Không có danh sách “{kind}” (chọn: {', '.join(LISTS)}).")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"Số ngày phải từ 1 đến {MAX_DAYS}.")
    commune = access_commune(actor=actor, code=code)
    extract = extract_read()
    day = day or extract.as_of
    village = village or None
    inputs = pipeline.read_inputs(connect(default_engine()), extract.data_dir)
    spec = LISTS[kind]
    table = spec.build(inputs, commune_code=commune.code, day=day, village=village, days=days)
    return _Query(spec, commune, day, village, inputs, table)


def list_page(
    *, actor: User, kind: str, code: str, day: date | None = None, village: str | None = None,
    days: int = 30, page: int = 1, per_page: int = PER_PAGE,
) -> Page:
    """One page of one list for one commune. Every page shown is a view of personal data, written to the
    audit log (who, which list, which page, how many persons) whatever the door."""
    if not 1 <= per_page <= MAX_PER_PAGE or page < 1:
        raise ValidationFailed("Trang phải từ 1 trở lên, mỗi trang từ 1 đến 500 dòng.")
    query = _query(actor=actor, kind=kind, code=code, day=day, village=village, days=days)
    total = int(query.table.count().execute())
    chunk = query.table.limit(per_page, offset=(page - 1) * per_page).to_pandas()
    result = Page(kind, query.commune, query.day, query.village, query.rows(chunk), total, page, per_page)
    audit_record(actor=actor, action="personal.view", obj=query.commune, list=kind, page=page, rows=len(result.rows),
                 day=query.day.isoformat(), village=village or "")
    return result


def list_all(*, actor: User, kind: str, code: str, day: date | None = None, village: str | None = None, days: int = 30) -> Page:
    """The whole list (for an export), read in one query."""
    query = _query(actor=actor, kind=kind, code=code, day=day, village=village, days=days)
    rows = query.rows(query.table.to_pandas())
    return Page(kind, query.commune, query.day, query.village, rows, len(rows), 1, max(len(rows), 1))


def commune_villages(*, actor: User, code: str) -> list[str]:
    commune = access_commune(actor=actor, code=code)
    extract = extract_read()
    inputs = pipeline.read_inputs(connect(default_engine()), extract.data_dir)
    return [v for v in engine.villages(inputs.persons, commune.code).to_pandas()["village"] if v]


def extract_or_none() -> Extract | None:
    try:
        return extract_read()
    except NotFound:  # no data yet: pages say so instead of failing
        return None


def latest_run(*, actor: User) -> CoverageRun:
    """The latest (not dry) run of the user's province. Its rows kept out carry examples from every
    commune, so users whose scope is narrower than the province see the counts without the examples."""
    unit = home_unit(actor=actor)
    province = unit if unit.kind == OrgUnit.Kind.PROVINCE else next(
        (u for u in unit_ancestors(unit=unit) if u.kind == OrgUnit.Kind.PROVINCE), None
    )
    run = CoverageRun.objects.filter(dry_run=False, province=province).first() if province else None
    if run is None:
        raise NotFound("Chưa có lần tính bao phủ nào từ dữ liệu cá nhân: chạy “ansinh coverage compute”.")
    if not scope_units(actor=actor).filter(pk=province.pk).exists():
        run.problems = [{**problem, "examples": []} for problem in run.problems]
    return run


# --- the three lists ----------------------------------------------------------------------------------


def _date(value) -> date | None:
    """Dates come back from the engine as pandas Timestamps (or NaT); lists show plain dates."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _person(row, day: date) -> dict:
    """A person as lists show them: name, masked ID, birth year, age, village, household."""
    birth = _date(row.birth_date)
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day)) if birth else None
    return {
        "full_name": row.full_name,
        "id_masked": mask_id(row.person_id),
        "gender": "Nam" if row.gender == "M" else "Nữ" if row.gender == "F" else "",
        "birth_year": birth.year if birth else None,
        "age": age,
        "village": row.village,
        "household_id": row.household_id,
    }


def _households(inputs, *, commune_code, day, village, days) -> ir.Table:
    return engine.uninsured_households(inputs.persons, inputs.cards, commune_code=commune_code, day=day, village=village)


def _household_rows(chunk, *, inputs, commune_code, day, village) -> list[dict]:
    """Each household on the page with who in it is missing a card."""
    if chunk.empty:
        return []
    ids = list(chunk.household_id)
    members = engine.uninsured_members(inputs.persons, inputs.cards, commune_code=commune_code, day=day, village=village)
    missing = members.filter(members.household_id.isin(ids)).order_by("household_id", "birth_date").to_pandas()
    by_household: dict[str, list[dict]] = {}
    for row in missing.itertuples(index=False):
        by_household.setdefault(row.household_id, []).append(_person(row, day))
    return [
        {
            "household_id": h.household_id, "village": h.village, "members": int(h.members),
            "uninsured": int(h.uninsured), "missing": by_household.get(h.household_id, []),
        }
        for h in chunk.itertuples(index=False)
    ]


def _expiring(inputs, *, commune_code, day, village, days) -> ir.Table:
    until = day + timedelta(days=days)
    return engine.expiring_cards(inputs.persons, inputs.cards, commune_code=commune_code, day=day, until=until, village=village)


def _expiring_rows(chunk, *, day, **_) -> list[dict]:
    rows = []
    for row in chunk.itertuples(index=False):
        group = str(int(row.bhyt_group))
        rows.append({
            **_person(row, day), "bhyt_group": group, "bhyt_group_label": BHYT_GROUPS.get(group, ""),
            "valid_to": _date(row.valid_to), "days_left": (_date(row.valid_to) - day).days,
        })
    return rows


def _lapsed(inputs, *, commune_code, day, village, days) -> ir.Table:
    return engine.lapsed_voluntary(inputs.persons, inputs.spans, commune_code=commune_code, day=day, village=village)


def _lapsed_rows(chunk, *, day, **_) -> list[dict]:
    rows = []
    for row in chunk.itertuples(index=False):
        last = _date(row.last_month)
        since = (day.year - last.year) * 12 + day.month - last.month
        rows.append({**_person(row, day), "last_month": last, "months_since": since})
    return rows


#: The lists for action, in the order the commune page shows them.
LISTS: dict[str, ListKind] = {
    "households": ListKind("households", "Hộ gia đình có người chưa tham gia BHYT", _households, _household_rows),
    "expiring": ListKind("expiring", "Thẻ BHYT sắp hết hạn", _expiring, _expiring_rows),
    "lapsed": ListKind("lapsed", "Người tham gia BHXH tự nguyện đã dừng đóng", _lapsed, _lapsed_rows),
}
