"""`ansinh coverage …`: the command-line door into the coverage engine and the lists for action."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh.console import AsUser, acting, command, day_option, echo_api_json, out, print_timings, steps
from ansinh.engine.backends import ENGINES

app = typer.Typer()
coverage_app = typer.Typer(help="Bao phủ: tính từ dữ liệu cá nhân, danh sách cần vận động.", no_args_is_help=True)
app.add_typer(coverage_app, name="coverage")


KIND_HELP = "households (hộ có người chưa có thẻ BHYT) | expiring (thẻ sắp hết hạn) | lapsed (dừng đóng BHXH tự nguyện)"


@command(coverage_app, "compute")
def coverage_compute(
    year: Annotated[Optional[int], typer.Option(help="Năm cần tính (mặc định: năm của dữ liệu, đến tháng dữ liệu).")] = None,
    engine: Annotated[Optional[str], typer.Option(help="duckdb | pyspark (mặc định: ANSINH_ENGINE, hoặc duckdb).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Tính riêng và đo thời gian từng bước.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Tính và đếm, không lưu số liệu thực hiện.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    as_user: AsUser = None,
) -> None:
    """Đếm người tham gia BHYT, BHXH, BHTN từng xã, từng tháng từ dữ liệu cá nhân; lưu làm số liệu thực hiện."""
    from ansinh.core.errors import ValidationFailed
    from ansinh.coverage.services import coverage_compute as compute

    if engine is not None and engine not in ENGINES:
        raise ValidationFailed(f"--engine “{engine}” không có: chọn {' hoặc '.join(ENGINES)}.")
    actor = acting(as_user)
    with steps() as step:
        result = compute(actor=actor, year=year, engine=engine, debug=debug, dry_run=dry_run, progress=step)
    if as_json:
        from ansinh.coverage.api import run_out

        timings = [{"step": name, "seconds": round(seconds, 3)} for name, seconds in result.engine.timings]
        echo_api_json(run_out(result.run, result.imported), timings=timings)
        return
    _print_run(result, debug=debug)


def _print_run(result, *, debug: bool) -> None:
    from ansinh.core.formatting import format_date, format_decimal, format_int
    from ansinh.coverage.rules import rule_label

    run, imported = result.run, result.imported
    last = result.engine.settings.month_list[-1]
    out.print(
        f"[bold]Bao phủ {run.first_month:%m/%Y}–{last:%m/%Y}[/] ({run.months} tháng) từ dữ liệu ngày "
        f"{format_date(run.data_as_of)}: {format_int(run.persons)} người được tính, "
        f"{format_decimal(run.seconds, 1)} giây ({run.engine})."
    )
    verb = "Chạy thử (chưa lưu)" if imported.dry_run else "Số liệu thực hiện đã ghi"
    out.print(
        f"{verb}: {format_int(imported.rows)} dòng — {format_int(imported.created)} mới, "
        f"{format_int(imported.updated)} thay đổi, {format_int(imported.unchanged)} không đổi."
    )
    if run.problems:
        table = Table("Dòng bị loại", "Quy tắc", "Số dòng", "Ví dụ (số định danh đã che)", title="Dòng không tính được")
        for problem in run.problems:
            rows, examples = format_int(problem["rows"]), ", ".join(problem["examples"])
            table.add_row(rule_label(problem["rule"]), problem["rule"], rows, examples)
        out.print(table)
    else:
        out.print("Không có dòng nào bị loại.")
    if debug:
        print_timings(result.engine.timings)


@command(coverage_app, "list")
def coverage_list(
    kind: Annotated[str, typer.Argument(metavar="KIND", help=KIND_HELP)],
    commune: Annotated[str, typer.Option(help="Mã xã/phường, ví dụ 31135 (Phường Ninh Kiều).")],
    day: Annotated[Optional[str], typer.Option(help="Ngày xét, YYYY-MM-DD (mặc định: ngày của dữ liệu).")] = None,
    village: Annotated[Optional[str], typer.Option(help="Chỉ ấp/khu vực này.")] = None,
    days: Annotated[int, typer.Option(help="expiring: thẻ hết hạn trong bao nhiêu ngày tới.")] = 30,
    page: Annotated[int, typer.Option(help="Trang.")] = 1,
    per_page: Annotated[int, typer.Option(help="Số dòng mỗi trang (1–500).")] = 25,
    as_json: Annotated[bool, typer.Option("--json", help="In trang dạng JSON (như API).")] = False,
    xlsx: Annotated[
        Optional[Path], typer.Option("--xlsx", help="Ghi cả danh sách vào tệp Excel này (thư mục: tên tệp theo danh sách).")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Danh sách cần vận động của một xã: hộ có người chưa có thẻ BHYT, thẻ sắp hết hạn, người dừng đóng BHXH TN."""
    from ansinh.core.errors import ValidationFailed
    from ansinh.coverage.selectors import LISTS, list_page

    if kind not in LISTS:
        raise ValidationFailed(f"KIND “{kind}” không có: chọn {' | '.join(LISTS)}.")
    if xlsx is not None and as_json:
        raise ValidationFailed("Chọn một trong --json và --xlsx.")
    on = day_option(day, "--day")
    arguments = {"actor": acting(as_user), "kind": kind, "code": commune, "day": on, "village": village, "days": days}
    if xlsx is not None:
        from ansinh.coverage.exports import list_filename, list_xlsx

        content = list_xlsx(**arguments)
        if xlsx.is_dir():
            xlsx = xlsx / list_filename(**arguments)
    else:
        result = list_page(**arguments, page=page, per_page=per_page)
    if xlsx is not None:
        xlsx.write_bytes(content)
        out.print(f"Đã ghi danh sách vào {xlsx}.")
    elif as_json:
        from ansinh.coverage.api import PageOut

        echo_api_json(PageOut.from_orm(result))
    else:
        _print_list(result)


PERSON_HEADERS = ("Họ và tên", "Số định danh", "Giới tính", "Năm sinh", "Ấp/khu vực", "Hộ")


def _person_cells(row: dict) -> list[str]:
    born = str(row["birth_year"] or "–")
    return [row["full_name"], row["id_masked"], row["gender"], born, row["village"] or "", row["household_id"] or ""]


def _print_list(page) -> None:
    """Households: one line per missing person (the household's cells on its first line); else one per person."""
    from ansinh.core.formatting import format_date, format_int
    from ansinh.coverage.selectors import LISTS

    where = f", {page.village}" if page.village else ""
    commune = f"{page.commune.name} ({page.commune.code}){where}"
    out.print(f"[bold]{LISTS[page.kind].title}[/] — {commune}, ngày {format_date(page.day)}")
    if page.kind == "households":
        table = Table("Hộ", "Ấp/khu vực", "Thành viên", "Chưa có thẻ", *PERSON_HEADERS[:4])
        for household in page.rows:
            head = [household["household_id"], household["village"] or "", str(household["members"])]
            head.append(str(household["uninsured"]))
            for index, member in enumerate(household["missing"]):
                table.add_row(*(head if index == 0 else [""] * len(head)), *_person_cells(member)[:4])
            table.add_section()
        counted = "hộ"
    elif page.kind == "expiring":
        table = Table(*PERSON_HEADERS, "Nhóm", "Hết hạn", "Còn (ngày)")
        for row in page.rows:
            table.add_row(*_person_cells(row), row["bhyt_group"], format_date(row["valid_to"]), str(row["days_left"]))
        counted = "người"
    else:
        table = Table(*PERSON_HEADERS, "Tháng đóng cuối", "Đã dừng (tháng)")
        for row in page.rows:
            table.add_row(*_person_cells(row), f"{row['last_month']:%m/%Y}", str(row["months_since"]))
        counted = "người"
    if page.rows:
        out.print(table)
    out.print(f"Trang {page.page}/{page.pages} — tổng {format_int(page.total)} {counted}.")
