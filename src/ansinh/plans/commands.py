"""`ansinh plans …`: the command-line door into the plan reader.

Reading needs no database: the command reads the file, prints the draft (JSON or tables) and saves
nothing; saving a reviewed draft is the web page's and the API's job (`plans.services`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ansinh.console import command, out

plans_app = typer.Typer(help="Kế hoạch: đọc văn bản kế hoạch.", no_args_is_help=True)

app = typer.Typer()
app.add_typer(plans_app, name="plans")


@command(plans_app, "read", check_schema=False)
def plans_read(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Văn bản kế hoạch: .txt, .docx hoặc .pdf (có lớp chữ).")],
    as_json: Annotated[bool, typer.Option("--json", help="In bản nháp dạng JSON (như API).")] = False,
) -> None:
    """Đọc một kế hoạch thành bản nháp: số, ngày, phạm vi, các chỉ tiêu và nhiệm vụ giao cho từng cơ quan."""
    from ansinh.plans.reader import read_plan_file

    draft = read_plan_file(content=file.read_bytes(), filename=file.name)
    if as_json:
        typer.echo(json.dumps(draft.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    _print_draft(draft)


def _print_draft(draft) -> None:
    from ansinh.core.formatting import format_date

    header = Table(show_header=False, title="Kế hoạch (bản nháp, chưa lưu)")
    for label, value in (
        ("Số", draft.number), ("Ngày ban hành", format_date(draft.issued_on) if draft.issued_on else None),
        ("Cơ quan ban hành", draft.issuer), ("Phạm vi", f"{draft.scope} ({draft.scope_code})" if draft.scope_code else draft.scope),
        ("Tên", draft.title), ("Năm", ", ".join(map(str, draft.years))),
    ):
        header.add_row(label, value or "–")
    out.print(header)
    out.print(_targets_table(draft.targets))
    out.print(_assignments_table(draft.assignments))
    for warning in draft.warnings:
        out.print(f"[yellow]Lưu ý:[/] {warning}")


_COMPARISON = {">=": "≥", ">": ">", "=": "", "<": "<", "<=": "≤"}
_UNITS = {"%": "", "persons": " người", "units": " đơn vị", "households": " hộ", "VND": " đồng"}


def _value(target) -> str:
    """94 → "94%", 3095954 persons → "3.095.954 người": numbers the Vietnamese way."""
    from ansinh.core.formatting import format_decimal, format_int

    number = format_int(target.value) if float(target.value).is_integer() else format_decimal(target.value, 2)
    unit = "%" if target.unit == "%" else _UNITS.get(target.unit, "")
    return f"{_COMPARISON.get(target.comparison, '')}{number}{unit}"


def _targets_table(targets) -> Table:
    from ansinh.core.formatting import format_date

    table = Table("Chỉ số", "Giá trị", "Năm", "Hạn", "Nhóm", "Mục", title=f"Chỉ tiêu ({len(targets)})")
    for target in targets:
        table.add_row(target.indicator, _value(target), str(target.year or "–"),
                      format_date(target.deadline) if target.deadline else "–", target.group or "–", target.section or "–")
    return table


def _assignments_table(assignments) -> Table:
    table = Table("Mục", "Cơ quan", "Vai trò", "Phối hợp", "Thời hạn", "Nhiệm vụ", title=f"Nhiệm vụ ({len(assignments)})")
    for row in assignments:
        agency = row.agency + (" [yellow](đoán)[/]" if row.inferred else "")
        role = "chủ trì" if row.role == "lead" else "phối hợp"
        table.add_row(row.section or "–", agency, role, ", ".join(row.supports) or "–", _due_label(row), row.text[:160])
    return table


def _due_label(row) -> str:
    from ansinh.core.formatting import format_date

    labels = {"once": "một lần", "monthly": "hằng tháng", "quarterly": "hằng quý", "half_yearly": "6 tháng", "yearly": "hằng năm"}
    parts = [labels[row.recurrence]] if row.recurrence and row.recurrence != "once" else []
    if row.due_on:
        parts.append(f"trước {format_date(row.due_on)}")
    elif row.due_day:
        parts.append(f"ngày {row.due_day}")
    return ", ".join(parts) or "–"
