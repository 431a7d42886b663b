"""Everything that writes targets and actuals: plans, milestones, allocation, overrides, imports.

Every write takes the acting user, checks their scope, and writes its audit row in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ansinh.accounts.models import User
from ansinh.units.selectors import require_editor, scope_units
from ansinh.audit.services import audit_record
from ansinh.core.errors import Conflict, ImportRejected, NotFound, PermissionDenied, RowError, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.core.numbers import NumberTooLong, parse_int
from ansinh.core.periods import parse_month
from ansinh.units.selectors import unit_children
from ansinh.core.tabular import read_rows
from ansinh.targets import allocation
from ansinh.targets.figures import latest_month_with_data, measure_values
from ansinh.targets.indicators import MEASURES, Indicator, Kind, count_indicator_for, indicator_get, rates_over
from ansinh.targets.models import Actual, ActualRevision, ImportBatch, Milestone, Plan, Target
from ansinh.targets.selectors import allocation_stamp

# ---------------------------------------------------------------------------------------------- plans


def plan_ensure(
    *, actor: User, number: str, title: str, issuer: str, issued_on: date, scope_unit: OrgUnit, year: int
) -> Plan:
    """Create the plan, or update its header if the same number already exists for that scope (safe to rerun)."""
    require_editor(actor=actor, unit=scope_unit)
    with transaction.atomic():
        plan, created = Plan.objects.update_or_create(
            number=number, scope_unit=scope_unit,
            defaults={"title": title, "issuer": issuer, "issued_on": issued_on, "year": year},
        )
        audit_record(actor=actor, action="plan.create" if created else "plan.update", obj=plan, number=number)
    return plan


def target_set(
    *,
    actor: User,
    plan: Plan,
    indicator: str,
    unit: OrgUnit,
    milestones: Sequence[tuple[date, Decimal | int | float, str]],
    source: str = Target.Source.PLAN,
) -> Target:
    """Set a unit's target for an indicator as its milestones (due date, value, label); replaces old ones."""
    ind = indicator_get(indicator)
    require_editor(actor=actor, unit=unit)
    if not unit.is_within(plan.scope_unit):
        raise ValidationFailed(f"Đơn vị {unit.name} không thuộc phạm vi kế hoạch {plan.number}.")
    if not milestones:
        raise ValidationFailed("Chỉ tiêu cần ít nhất một mốc thời gian.")
    for due_on, value, _ in milestones:
        _check_target_value(ind, Decimal(str(value)), due_on)
    with transaction.atomic():
        target, _ = Target.objects.update_or_create(
            plan=plan, indicator=ind.code, unit=unit, defaults={"source": source, **_touched(actor)},
            create_defaults={"source": source, **_touched(actor, created=True)},
        )
        target.refresh_from_db(fields=["version"])
        _replace_milestones(target, milestones)
        audit_record(
            actor=actor, action="target.set", obj=target, indicator=ind.code, unit=unit.code,
            milestones=[[d.isoformat(), str(v)] for d, v, _ in milestones],
        )
    return target


def _check_target_value(ind: Indicator, value: Decimal, due_on: date) -> None:
    if value < 0:
        raise ValidationFailed(f"Chỉ tiêu “{ind.label}” mốc {due_on:%d/%m/%Y} không được âm.")
    if ind.kind is Kind.COUNT and value != value.to_integral_value():
        raise ValidationFailed(f"Chỉ tiêu “{ind.label}” là số người: phải là số nguyên.")
    if ind.kind is Kind.RATE and value > 100:
        raise ValidationFailed(f"Chỉ tiêu “{ind.label}” là tỷ lệ: không quá 100%.")


def _replace_milestones(target: Target, milestones: Sequence[tuple[date, Decimal | int | float, str]]) -> None:
    target.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(target=target, due_on=due_on, value=Decimal(str(value)), label=label)
        for due_on, value, label in milestones
    )


# -------------------------------------------------------------------------------- optimistic locking
#
# Two officers may open the same allocation and both save a child's target. Every write bumps the
# target's `version` (and notes who and when); an edit carries the version its page was read at and is
# refused with a Conflict when the row has moved on. The check runs inside the writing transaction, after
# the rows are locked (`select_for_update` on PostgreSQL; SQLite's IMMEDIATE transactions already
# serialise writers), so it also holds when the two saves arrive at the same instant.


def _touched(actor: User, *, created: bool = False) -> dict:
    """The fields every write of a target sets: one version more, who, when."""
    return {
        "version": 1 if created else F("version") + 1,
        "updated_at": timezone.now(),
        "updated_by": actor,
    }


def _bump(target: Target, actor: User) -> None:
    """Mark an instance about to be saved as one version newer (its row is locked by the caller)."""
    if target.pk is not None:
        target.version += 1
    target.updated_at = timezone.now()
    target.updated_by = actor


def _conflict(target: Target) -> Conflict:
    from ansinh.core.formatting import format_date

    who = target.updated_by.get_full_name() or target.updated_by.username if target.updated_by else "người khác"
    when = ""
    if target.updated_at is not None:
        local = timezone.localtime(target.updated_at)
        when = f" lúc {local:%H:%M} ngày {format_date(local.date())}"
    return Conflict(
        f"Chỉ tiêu của {target.unit.name} đã có người sửa ({who}){when}, sau khi bạn mở trang: "
        "không lưu thay đổi của bạn để khỏi ghi đè. Hãy tải lại trang để xem số mới rồi sửa lại."
    )


def _check_version(target: Target, expected: int | None) -> None:
    """Refuse an edit made from a page read at another version (None: the caller does not ask for a check)."""
    if expected is not None and target.version != expected:
        raise _conflict(target)


def _check_stamp(targets: dict[int, Target], expected: str | None) -> None:
    """Refuse a re-split made from an editor whose children have changed since it was read."""
    if expected is None or allocation_stamp(targets.values()) == expected:
        return
    newest = max((t for t in targets.values() if t.updated_at), key=lambda t: t.updated_at, default=None)
    if newest is None:
        raise Conflict("Bảng phân bổ đã thay đổi sau khi bạn mở trang: hãy tải lại trang rồi phân bổ lại.")
    raise _conflict(newest)


# ----------------------------------------------------------------------------------------- allocation


@dataclass
class _Split:
    """What an allocation works from: the parent's persons per milestone and each child's counts."""

    count: Indicator
    rates: list[Indicator]
    denominator: tuple[str, ...]
    base_month: date
    parent_milestones: list[tuple[date, int, str]]
    children: list[OrgUnit]
    inputs: dict[str, allocation.ChildInput] = field(default_factory=dict)


def target_allocate(
    *, actor: User, plan: Plan, indicator: str, parent: OrgUnit, method: str, base_month: date | None = None,
    expected_stamp: str | None = None,
) -> list[Target]:
    """Split the parent's target among its children (giao chỉ tiêu) and store the children's targets.

    Persons are split (whole persons, summing exactly to the parent's); the children's rate targets follow
    from their persons over their own denominators. Locked children keep their values. `expected_stamp`
    (the editor's `allocation_stamp`) refuses the split if a child changed since the editor was read.
    """
    require_editor(actor=actor, unit=parent)
    try:
        chosen = allocation.Method(method)
    except ValueError:
        raise ValidationFailed(f"Cách phân bổ “{method}” không hợp lệ: proportional, gap hoặc growth.") from None
    with transaction.atomic():
        split = _prepare_split(plan=plan, indicator=indicator_get(indicator), parent=parent, base_month=base_month)
        existing = _child_targets(plan, split.count, split.children)
        _check_stamp(existing, expected_stamp)
        per_child: dict[str, dict[date, int]] = defaultdict(dict)
        for due_on, total, _ in split.parent_milestones:
            inputs = [_with_lock(split.inputs[c.code], existing.get(c.pk), due_on) for c in split.children]
            for code, value in allocation.allocate(total=total, children=inputs, method=chosen).items():
                per_child[code][due_on] = value
        targets = _write_child_targets(plan, split, per_child, existing, chosen.value, actor)
        audit_record(
            actor=actor, action="target.allocate", obj=plan, indicator=split.count.code, parent=parent.code,
            method=chosen.value, base_month=split.base_month.isoformat(), children=len(targets),
        )
    return targets


def _prepare_split(*, plan: Plan, indicator: Indicator, parent: OrgUnit, base_month: date | None) -> _Split:
    count = count_indicator_for(indicator)
    children = list(unit_children(unit=parent))
    if not children:
        raise ValidationFailed(f"Đơn vị {parent.name} không có đơn vị trực thuộc để phân bổ.")
    parent_targets = {t.indicator: t for t in Target.objects.filter(plan=plan, unit=parent).prefetch_related("milestones")}
    rates = [r for r in rates_over(count) if r.code in parent_targets] or rates_over(count)[:1]
    denominator = rates[0].denominator if rates else ()
    measures = count.numerator + denominator
    base = base_month or latest_month_with_data(units=children, measures=count.numerator, until=date(plan.year, 12, 1))
    if base is None:
        raise ValidationFailed(f"Chưa có số liệu thực hiện của các đơn vị trực thuộc {parent.name} để làm căn cứ phân bổ.")
    last_year = date(plan.year - 1, 12, 1)
    values = measure_values(units=children, measures=measures, months=[base, last_year])
    split = _Split(count, [r for r in rates if r.code in parent_targets], denominator, base, [], children)
    for child in children:
        got = values.get(child.pk, {})
        split.inputs[child.code] = allocation.ChildInput(
            key=child.code,
            denominator=int(sum(got.get((m, base), 0) for m in denominator)),
            actual=int(sum(got.get((m, base), 0) for m in count.numerator)),
            last_year=int(sum(got.get((m, last_year), 0) for m in count.numerator)),
        )
    total_den = sum(i.denominator for i in split.inputs.values())
    split.parent_milestones = _parent_persons(parent_targets, count, split.rates, total_den, parent)
    return split


def _parent_persons(parent_targets, count: Indicator, rates: list[Indicator], total_den: int, parent) -> list:
    """The parent's milestones in persons: its count target, or its rate target times the denominator."""
    if count.code in parent_targets:
        return [(m.due_on, int(m.value), m.label) for m in parent_targets[count.code].milestones.all()]
    for rate in rates:
        return [
            (m.due_on, int((m.value / 100 * total_den).quantize(Decimal(1), ROUND_HALF_UP)), m.label)
            for m in parent_targets[rate.code].milestones.all()
        ]
    raise ValidationFailed(f"Đơn vị {parent.name} chưa có chỉ tiêu “{count.label}” trong kế hoạch này để phân bổ.")


def _child_targets(plan: Plan, count: Indicator, children: list[OrgUnit]) -> dict[int, Target]:
    """The children's count targets, locked against a concurrent writer until the caller's transaction ends."""
    return {
        t.unit_id: t
        for t in Target.objects.select_for_update().filter(plan=plan, indicator=count.code, unit__in=children)
        .prefetch_related("milestones")
    }


def _with_lock(base: allocation.ChildInput, target: Target | None, due_on: date) -> allocation.ChildInput:
    """The child's input for one milestone, carrying its current value and, if locked, its fixed value."""
    if target is None:
        return base
    value = next((int(m.value) for m in target.milestones.all() if m.due_on == due_on), 0)
    return allocation.ChildInput(
        key=base.key, denominator=base.denominator, actual=base.actual, last_year=base.last_year,
        current=value, locked=value if target.locked else None,
    )


def _write_child_targets(plan, split: _Split, per_child, existing: dict[int, Target], method: str, actor) -> list[Target]:
    labels = {due_on: label for due_on, _, label in split.parent_milestones}
    targets = []
    for child in split.children:
        target = existing.get(child.pk)
        if target is None:
            target = Target(plan=plan, indicator=split.count.code, unit=child)
        if not target.locked:
            target.source, target.method = Target.Source.ALLOCATED, method
        target.base_period = split.base_month
        _bump(target, actor)
        target.save()
        _replace_milestones(target, [(d, v, labels[d]) for d, v in sorted(per_child[child.code].items())])
        targets.append(target)
        _write_rate_targets(plan, split, child, per_child[child.code], labels, actor)
    return targets


def _write_rate_targets(plan, split: _Split, child: OrgUnit, persons: dict[date, int], labels, actor) -> None:
    """A child's rate target = its persons over its own denominator, so rates and persons always agree."""
    den = split.inputs[child.code].denominator
    for rate in split.rates:
        if den <= 0:
            Target.objects.filter(plan=plan, indicator=rate.code, unit=child).delete()
            continue
        fields = {"source": Target.Source.ALLOCATED, "base_period": split.base_month}
        target, _ = Target.objects.update_or_create(
            plan=plan, indicator=rate.code, unit=child, defaults={**fields, **_touched(actor)},
            create_defaults={**fields, **_touched(actor, created=True)},
        )
        _replace_milestones(
            target,
            [(d, min(Decimal(100), (Decimal(100) * p / den).quantize(Decimal("0.0001"))), labels[d]) for d, p in sorted(persons.items())],
        )


def target_override(
    *, actor: User, target: Target, value: int, due_on: date | None = None, expected_version: int | None = None
) -> list[Target]:
    """An officer sets one child's persons by hand; the unlocked siblings are re-balanced to keep the sum.

    Re-balancing changes every sibling, so it needs editing rights on the parent, not only on the child.
    `expected_version` is the target's version the officer's page showed: if anyone wrote the target since
    (an override of a sibling re-balances it too), the edit is refused with a Conflict, nothing written.
    """
    count = indicator_get(target.indicator)
    if count.kind is not Kind.COUNT:
        raise ValidationFailed("Chỉ sửa tay được chỉ tiêu số người; tỷ lệ được tính lại theo số người.")
    parent = target.unit.parent
    if parent is None:
        raise ValidationFailed("Chỉ tiêu cấp tỉnh lấy theo kế hoạch, không cân đối lại được.")
    require_editor(actor=actor, unit=parent)
    with transaction.atomic():
        existing = _child_targets(target.plan, count, list(unit_children(unit=parent)))
        current = existing.get(target.unit_id)
        if current is None:
            raise NotFound(f"Chỉ tiêu của {target.unit.name} không còn trong bảng phân bổ: hãy tải lại trang.")
        _check_version(current, expected_version)
        split = _prepare_split(plan=target.plan, indicator=count, parent=parent, base_month=current.base_period)
        _check_within_denominator(split, target.unit, value)
        milestones = [m for m in split.parent_milestones if due_on is None or m[0] == due_on]
        if not milestones:
            raise NotFound(f"Không có mốc {due_on:%d/%m/%Y} trong chỉ tiêu cấp trên.")
        per_child = {c.code: {m.due_on: int(m.value) for m in existing[c.pk].milestones.all()} for c in split.children if c.pk in existing}
        for due, total, _ in milestones:
            inputs = [_with_lock(split.inputs[c.code], existing.get(c.pk), due) for c in split.children]
            inputs = [i if i.key != target.unit.code else _unlocked(i) for i in inputs]
            for code, new in allocation.rebalance(
                total=total, children=inputs, override_key=target.unit.code, override_value=value
            ).items():
                per_child.setdefault(code, {})[due] = new
        targets = _write_child_targets(target.plan, split, per_child, existing, current.method, actor)
        Target.objects.filter(pk=target.pk).update(source=Target.Source.MANUAL)
        audit_record(actor=actor, action="target.override", obj=target, unit=target.unit.code, value=value)
    return targets


def _check_within_denominator(split: _Split, unit: OrgUnit, value: int) -> None:
    """A target above the unit's own population (or labour force) is a typo, never a plan."""
    denominator = split.inputs[unit.code].denominator
    if split.denominator and value > denominator:
        from ansinh.core.formatting import format_int
        from ansinh.core.text import in_sentence
        from ansinh.targets.indicators import MEASURES

        label = in_sentence(MEASURES[split.denominator[0]].label, whole=True)  # "người thuộc diện tham gia BHTN"
        raise ValidationFailed(
            f"{format_int(value)} người vượt {label} của {unit.name} ({format_int(denominator)} người, tháng "
            f"{split.base_month:%m/%Y})."
        )


def _unlocked(child: allocation.ChildInput) -> allocation.ChildInput:
    return allocation.ChildInput(
        key=child.key, denominator=child.denominator, actual=child.actual, last_year=child.last_year, current=child.current
    )


def target_lock(*, actor: User, target: Target, locked: bool, expected_version: int | None = None) -> Target:
    """Keep (or stop keeping) a child's target fixed when its parent's target is re-split.

    With `expected_version`, one conditional UPDATE both checks and writes: 0 rows updated means someone
    wrote the target since the page was read, and the lock is refused with a Conflict. Locking is the
    splitting unit's decision: an editor of the target's parent.
    """
    require_editor(actor=actor, unit=target.unit.parent or target.unit)
    with transaction.atomic():
        rows = Target.objects.filter(pk=target.pk)
        if expected_version is not None:
            rows = rows.filter(version=expected_version)
        if not rows.update(locked=locked, **_touched(actor)):
            raise _conflict(Target.objects.select_related("unit", "updated_by").get(pk=target.pk))
        target.refresh_from_db(fields=["locked", "version", "updated_at", "updated_by"])
        audit_record(actor=actor, action="target.lock" if locked else "target.unlock", obj=target)
    return target


# -------------------------------------------------------------------------------------- actuals import

#: Province and district figures are always the sum of their communes, never imported.
_COMPUTED_KINDS = {OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DISTRICT}
_REQUIRED = ("unit_code", "period", "measure", "value")
#: No commune counts a billion of anything (Vietnam has some 101 million people): a larger value is a typo
#: or a hostile file, and would not fit the database column either.
MAX_ACTUAL_VALUE = 1_000_000_000


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: int | None = None


def actuals_import(*, actor: User, content: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Import monthly actuals (`unit_code, period, measure, value`) all-or-nothing.

    Any bad row rejects the whole file with every bad row listed. The same file twice changes nothing;
    a later file for the same key replaces the value and the old one is kept in ActualRevision.
    A viewer is refused before the file is read; an editor's rows outside their scope are bad rows.
    """
    if not actor.can_edit:
        raise PermissionDenied("Tài khoản của bạn chỉ có quyền xem: không nhập số liệu được.")
    rows = read_rows(content=content, filename=filename, required=_REQUIRED)
    if not rows:
        raise ValidationFailed(f"Tệp “{filename}” không có dòng dữ liệu nào.")
    parsed, errors = _parse_actual_rows(actor, rows)
    errors += _bound_errors(parsed)
    if errors:
        raise ImportRejected(errors=sorted(errors, key=lambda e: (e.line, e.field)))
    return _save_actuals(actor, parsed, content, filename, dry_run)


@dataclass(frozen=True)
class _ParsedRow:
    line: int
    unit: OrgUnit
    period: date
    measure: str
    value: int


def _parse_actual_rows(actor: User, rows) -> tuple[list[_ParsedRow], list[RowError]]:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={r.values["unit_code"] for r in rows})}
    in_scope = set(scope_units(actor=actor).filter(pk__in=[u.pk for u in units.values()]).values_list("pk", flat=True))
    parsed, errors, seen = [], [], {}
    for row in rows:
        row_errors = _row_errors(row, units, in_scope, actor)
        if row_errors:
            errors += row_errors
            continue
        item = _ParsedRow(
            row.line, units[row.values["unit_code"]], parse_month(row.values["period"]),
            row.values["measure"], parse_int(row.values["value"]),
        )
        key = (item.unit.pk, item.period, item.measure)
        if key in seen:
            errors.append(RowError(row.line, "unit_code", f"trùng khóa (đơn vị, kỳ, chỉ số) với dòng {seen[key]}"))
            continue
        seen[key] = row.line
        parsed.append(item)
    return parsed, errors


def _row_errors(row, units: dict[str, OrgUnit], in_scope: set[int], actor: User) -> list[RowError]:
    values, line, errors = row.values, row.line, []
    unit = units.get(values["unit_code"])
    if unit is None:
        errors.append(RowError(line, "unit_code", f"không có đơn vị mã “{values['unit_code']}”"))
    elif unit.kind in _COMPUTED_KINDS:
        errors.append(RowError(line, "unit_code", f"{unit.name}: số liệu cấp tỉnh/huyện được tổng hợp từ cấp xã, không nhập"))
    elif unit.pk not in in_scope or not actor.can_edit:
        errors.append(RowError(line, "unit_code", f"không có quyền nhập số liệu cho {unit.name}"))
    if parse_month(values["period"]) is None:
        errors.append(RowError(line, "period", f"“{values['period']}” không phải tháng dạng YYYY-MM"))
    if values["measure"] not in MEASURES:
        errors.append(RowError(line, "measure", f"không có chỉ số cơ sở “{values['measure']}”"))
    text = values["value"].replace(" ", "")
    try:
        number = parse_int(text, max_digits=10)  # the length first: int() of 5,000 digits fails
    except NumberTooLong:
        number = MAX_ACTUAL_VALUE + 1
    except ValueError:
        number = None
    if number is None or text.startswith("-"):
        what = "âm" if text.startswith("-") else "không phải số nguyên không âm"
        errors.append(RowError(line, "value", f"“{values['value']}” {what}"))
    elif number > MAX_ACTUAL_VALUE:
        errors.append(RowError(line, "value", f"“{values['value']}” lớn quá: không quá {MAX_ACTUAL_VALUE:,}".replace(",", ".")))
    return errors


def _bound_errors(parsed: list[_ParsedRow]) -> list[RowError]:
    """A count above the one bounding it (participants above population) is a typo, never a fact."""
    by_key = {(p.unit.pk, p.period, p.measure): p for p in parsed}
    wanted = {(p.unit.pk, p.period, MEASURES[p.measure].bounded_by) for p in parsed if MEASURES[p.measure].bounded_by}
    wanted |= {(p.unit.pk, p.period, m.code) for p in parsed for m in MEASURES.values() if m.bounded_by == p.measure}
    stored = _stored_values(wanted - set(by_key))
    errors = []
    for (unit_id, period, measure), item in by_key.items():
        for low, high in _bound_pairs(measure):
            low_value = by_key[(unit_id, period, low)].value if (unit_id, period, low) in by_key else stored.get((unit_id, period, low))
            high_value = by_key[(unit_id, period, high)].value if (unit_id, period, high) in by_key else stored.get((unit_id, period, high))
            if low_value is not None and high_value is not None and low_value > high_value:
                errors.append(RowError(
                    item.line, "value",
                    f"{MEASURES[low].label} ({low_value:,}) lớn hơn {MEASURES[high].label} ({high_value:,}) "
                    f"của {item.unit.code} tháng {period:%m/%Y}".replace(",", "."),
                ))
    return errors


def _bound_pairs(measure: str) -> list[tuple[str, str]]:
    """(lower, upper) pairs this row is part of, named once per row so each bad row is reported."""
    pairs = [(measure, MEASURES[measure].bounded_by)] if MEASURES[measure].bounded_by else []
    return pairs + [(m.code, measure) for m in MEASURES.values() if m.bounded_by == measure]


def _stored_values(keys: set[tuple[int, date, str]]) -> dict[tuple[int, date, str], int]:
    if not keys:
        return {}
    units = {k[0] for k in keys}
    periods = {k[1] for k in keys}
    measures = {k[2] for k in keys}
    found = Actual.objects.filter(unit_id__in=units, period__in=periods, measure__in=measures)
    return {(a.unit_id, a.period, a.measure): a.value for a in found if (a.unit_id, a.period, a.measure) in keys}


def _save_actuals(actor: User, parsed: list[_ParsedRow], content: bytes, filename: str, dry_run: bool) -> ImportResult:
    existing = {
        (a.unit_id, a.period, a.measure): a
        for a in Actual.objects.filter(
            unit_id__in={p.unit.pk for p in parsed}, period__in={p.period for p in parsed}, measure__in={p.measure for p in parsed}
        )
    }
    new = [p for p in parsed if (p.unit.pk, p.period, p.measure) not in existing]
    changed = [(existing[k], p) for p in parsed if (k := (p.unit.pk, p.period, p.measure)) in existing and existing[k].value != p.value]
    unchanged = len(parsed) - len(new) - len(changed)
    if dry_run:
        return ImportResult(len(parsed), len(new), len(changed), unchanged, dry_run=True)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            actor=actor, filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(), rows=len(parsed),
            created=len(new), updated=len(changed), unchanged=unchanged,
        )
        Actual.objects.bulk_create(
            [Actual(unit=p.unit, period=p.period, measure=p.measure, value=p.value) for p in new], batch_size=2000
        )
        ActualRevision.objects.bulk_create(
            [ActualRevision(actual=a, batch=batch, old_value=a.value, new_value=p.value) for a, p in changed]
        )
        for actual, item in changed:
            actual.value = item.value
        Actual.objects.bulk_update([a for a, _ in changed], ["value", "updated_at"], batch_size=2000)
        audit_record(
            actor=actor, action="actuals.import", obj=batch, file=filename,
            created=len(new), updated=len(changed), unchanged=unchanged,
        )
    return ImportResult(len(parsed), len(new), len(changed), unchanged, dry_run=False, batch_id=batch.pk)
