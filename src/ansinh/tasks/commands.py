"""`ansinh tasks …`: the command-line door into the plan's tasks (registered by `ansinh.cli`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh.console import AsUser, acting, command, day_option, err, out

tasks_app = typer.Typer(help="Nhiệm vụ của kế hoạch giao cho các sở, ngành, xã: hạn nộp, nhắc việc, tỷ lệ đúng hạn.", no_args_is_help=True)

app = typer.Typer()
app.add_typer(tasks_app, name="tasks")
RECURRENCES = "monthly (hằng tháng) | quarterly (hằng quý) | half_yearly (6 tháng) | yearly (hằng năm)"


PERIOD_HELP = "Kỳ số liệu: YYYY, YYYY-Qn hoặc YYYY-MM; trạng thái tính đến cuối kỳ (mặc định: tháng gần nhất có số liệu)."


def _day(text: str | None, option: str) -> date | None:
    """A day given to `option`, dd/mm/yyyy or YYYY-MM-DD (the days of a plan are typed as officers write
    them); a bad one is a message naming the option (console.day_option, as every other command)."""
    return day_option(text or None, option, officer=True)


def _plan(actor, number: str):
    """The visible plan with this number (plans are named by number on the command line: 53/KH-UBND)."""
    from ansinh.core.errors import NotFound, ValidationFailed
    from ansinh.targets.selectors import plans_visible

    found = [plan for plan in plans_visible(actor=actor) if plan.number == number]
    if not found:
        raise NotFound(f"Không có kế hoạch số “{number}” trong phạm vi của bạn.")
    if len(found) > 1:
        scopes = ", ".join(plan.scope_unit.name for plan in found)
        raise ValidationFailed(f"Có {len(found)} kế hoạch số “{number}” ({scopes}): chạy với --as tài khoản của đơn vị.")
    return found[0]


@command(tasks_app, "agencies")
def tasks_agencies(as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False) -> None:
    """Danh bạ cơ quan: mã dùng trong --lead/--support, tên, loại."""
    from ansinh.tasks.models import Agency

    rows = list(Agency.objects.values("code", "name", "kind", "email"))
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("Mã", "Tên", "Loại", "Thư điện tử")
    for row in rows:
        table.add_row(row["code"], row["name"], row["kind"], row["email"])
    out.print(table)


@command(tasks_app, "agency")
def tasks_agency(
    code: Annotated[str, typer.Argument(help="Mã cơ quan (ansinh tasks agencies).")],
    email: Annotated[Optional[str], typer.Option(help="Địa chỉ thư nhận nhắc việc.")] = None,
    member: Annotated[Optional[list[str]], typer.Option(help="Tài khoản làm việc cho cơ quan (lặp lại được).")] = None,
    as_user: AsUser = None,
) -> None:
    """Đặt địa chỉ thư và thành viên của một cơ quan (thành viên thấy và nộp nhiệm vụ của cơ quan)."""
    from ansinh.accounts.models import User
    from ansinh.core.errors import NotFound, PermissionDenied
    from ansinh.tasks.services import agency_get, agency_member_add, agency_set_email

    actor = acting(as_user)
    if not actor.is_province_admin:
        raise PermissionDenied("Chỉ quản trị cấp tỉnh mới sửa danh bạ cơ quan.")
    agency = agency_get(code)
    if email is not None:
        agency_set_email(actor=actor, agency=agency, email=email)
    for username in member or []:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise NotFound(f"Không có tài khoản “{username}”.")
        agency_member_add(actor=actor, agency=agency, user=user)
    members = ", ".join(agency.members.values_list("username", flat=True)) or "–"
    out.print(f"{agency.name}: thư {agency.email or '–'}; thành viên: {members}.")


@command(tasks_app, "add")
def tasks_add(
    plan: Annotated[str, typer.Option(help="Số kế hoạch, ví dụ 53/KH-UBND.")],
    lead: Annotated[str, typer.Option(help="Mã cơ quan chủ trì (ansinh tasks agencies).")],
    text: Annotated[str, typer.Option(help="Nội dung nhiệm vụ.")],
    support: Annotated[Optional[list[str]], typer.Option(help="Mã cơ quan phối hợp (lặp lại được).")] = None,
    section: Annotated[str, typer.Option(help="Mục trong kế hoạch, ví dụ III.3.2.")] = "",
    due: Annotated[Optional[str], typer.Option(help="Hạn (một lần), dd/mm/yyyy.")] = None,
    every: Annotated[Optional[str], typer.Option(help=RECURRENCES)] = None,
    day: Annotated[Optional[int], typer.Option(help="Ngày đến hạn trong tháng (định kỳ).")] = None,
    offset: Annotated[int, typer.Option(help="Hạn rơi vào tháng thứ mấy sau tháng đầu kỳ (quý: 3 = tháng đầu quý sau).")] = 0,
    indicator: Annotated[str, typer.Option(help="Mã chỉ số nhiệm vụ phục vụ (nếu có).")] = "",
    as_user: AsUser = None,
) -> None:
    """Thêm một nhiệm vụ vào kế hoạch; các kỳ phải nộp được tạo ngay."""
    from ansinh.tasks.services import DueRule, agency_get, task_create

    actor = acting(as_user)
    rule = DueRule(recurrence=every or "once", due_on=_day(due, "--due"), day=day, offset_months=offset)
    task = task_create(
        actor=actor, plan=_plan(actor, plan), text=text, lead=agency_get(lead), rule=rule, section=section,
        supports=[agency_get(code) for code in support or []], indicator=indicator,
    )
    count = task.occurrences.count()
    out.print(f"Đã thêm nhiệm vụ số {task.pk} ({task.lead.name} chủ trì), {count} kỳ phải nộp.")


@command(tasks_app, "list")
def tasks_list(
    plan: Annotated[Optional[str], typer.Option(help="Chỉ kế hoạch này.")] = None,
    agency: Annotated[Optional[str], typer.Option(help="Chỉ cơ quan này (mã).")] = None,
    status: Annotated[str, typer.Option(help="on_time | late | missing | pending")] = "",
    today: Annotated[Optional[str], typer.Option(help="Tính trạng thái tại ngày này (mặc định: cuối kỳ --period).")] = None,
    period: Annotated[str, typer.Option(help=PERIOD_HELP)] = "",
    as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Các kỳ phải nộp và tình trạng: đúng hạn, trễ hạn, quá hạn chưa nộp, chưa đến hạn."""
    from ansinh.core.formatting import format_date
    from ansinh.tasks.selectors import as_of, duties
    from ansinh.tasks.services import agency_get

    actor = acting(as_user)
    day = as_of(actor=actor, period=period, today=_day(today, "--today"))
    err.print(f"Số liệu đến ngày {format_date(day)}")
    rows = duties(
        actor=actor, today=day, plan=_plan(actor, plan) if plan else None,
        agency=agency_get(agency) if agency else None, status=status,
    )
    if as_json:
        out.print_json(json.dumps([_duty_json(row) for row in rows], ensure_ascii=False))
        return
    table = Table("Số", "Hạn", "Cơ quan", "Kỳ", "Nhiệm vụ", "Tình trạng", "Ngày nộp")
    for row in rows:
        o = row.occurrence
        table.add_row(str(o.pk), format_date(o.due_on), o.agency.name, row.period_label, o.task.text[:60], row.status_label, format_date(o.submitted_on))
    out.print(table)


def _duty_json(row) -> dict:
    o = row.occurrence
    return {
        "id": o.pk, "plan": o.task.plan.number, "section": o.task.section, "task": o.task.text, "agency": o.agency.code,
        "period": row.period_label, "due_on": o.due_on.isoformat(), "status": row.status,
        "submitted_on": o.submitted_on.isoformat() if o.submitted_on else None, "note": o.note,
    }


@command(tasks_app, "submit")
def tasks_submit(
    occurrence: Annotated[int, typer.Argument(help="Số của kỳ phải nộp (ansinh tasks list).")],
    note: Annotated[str, typer.Option(help="Nội dung báo cáo / ghi chú.")] = "",
    file: Annotated[Optional[Path], typer.Option(exists=True, dir_okay=False, help="Tệp nộp kèm (≤ 10 MB).")] = None,
    on: Annotated[Optional[str], typer.Option(help="Ngày nộp (mặc định hôm nay).")] = None,
    as_user: AsUser = None,
) -> None:
    """Nộp một kỳ báo cáo của cơ quan."""
    from ansinh.tasks.services import occurrence_submit

    done = occurrence_submit(
        actor=acting(as_user), occurrence_id=occurrence, note=note, on=_day(on, "--on"),
        file_name=file.name if file else "", file_content=file.read_bytes() if file else None,
    )
    out.print(f"Đã nộp: {done.agency.name}, hạn {done.due_on:%d/%m/%Y}, ngày nộp {done.submitted_on:%d/%m/%Y}.")


@command(tasks_app, "remind")
def tasks_remind(
    today: Annotated[Optional[str], typer.Option(help="Ngày chạy (mặc định hôm nay).")] = None,
    days: Annotated[int, typer.Option(min=0, max=90, help="Nhắc những kỳ đến hạn trong bấy nhiêu ngày (và quá hạn).")] = 7,
) -> None:
    """Gửi thư nhắc các cơ quan có kỳ sắp đến hạn hoặc quá hạn (chạy hằng ngày; mỗi ngày nhắc một lần)."""
    from ansinh.tasks.services import reminders_send

    result = reminders_send(actor=acting(None), today=_day(today, "--today") or date.today(), days=days)
    out.print(f"Đã gửi {result.sent} thư nhắc cho {result.occurrences} kỳ phải nộp.")
    if result.without_address:
        err.print(f"Chưa có địa chỉ thư: {', '.join(result.without_address)}")


@command(tasks_app, "timeliness")
def tasks_timeliness(
    plan: Annotated[str, typer.Option(help="Số kế hoạch.")],
    start: Annotated[Optional[str], typer.Option("--from", help="Chỉ các kỳ có hạn nộp từ ngày này.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Chỉ các kỳ có hạn nộp đến ngày này.")] = None,
    communes: Annotated[bool, typer.Option("--communes", help="Theo xã, phường thay vì theo sở, ngành.")] = False,
    today: Annotated[Optional[str], typer.Option(help="Tính tại ngày này (mặc định: cuối kỳ --period).")] = None,
    period: Annotated[str, typer.Option(help=PERIOD_HELP)] = "",
    as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Tỷ lệ nộp đúng hạn theo cơ quan (hoặc theo xã)."""
    from dataclasses import asdict

    from ansinh.core.formatting import format_date, format_percent
    from ansinh.tasks.selectors import as_of, timeliness_by_agency

    actor = acting(as_user)
    chosen = _plan(actor, plan)
    day = as_of(actor=actor, period=period, today=_day(today, "--today"))
    err.print(f"Số liệu đến ngày {format_date(day)}")
    rows = timeliness_by_agency(
        plan=chosen, start=_day(start, "--from"), end=_day(end, "--to"), today=day, communes=communes,
    )
    if as_json:
        out.print_json(json.dumps([asdict(row) for row in rows], ensure_ascii=False))
        return
    table = Table("Cơ quan", "Đến hạn", "Đúng hạn", "Trễ", "Chưa nộp", "Chưa đến hạn", "Tỷ lệ đúng hạn", "Tỷ lệ đã nộp")
    for row in rows:
        table.add_row(
            row.agency_name, str(row.due), str(row.on_time), str(row.late), str(row.missing), str(row.pending),
            format_percent(row.rate), format_percent(row.reporting_rate),
        )
    out.print(table)
