"""`ansinh employers …`: the command-line door into the employer services.

Mounted by `ansinh.cli`; the shared helpers (Django set-up, the acting user, error exits) are `ansinh.console`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh.console import AsUser, acting, command, day_option, echo_api_json, out, print_timings, progress_bar, steps

employers_app = typer.Typer(help="Đơn vị sử dụng lao động: đối chiếu, nợ đóng, đôn đốc.", no_args_is_help=True)

app = typer.Typer()
app.add_typer(employers_app, name="employers")
DATASETS_HELP = "units (đơn vị BHXH) | tax (Thuế) | changes (biến động ĐKKD) | zones (KCN/KKT) | unions (công đoàn) | ledger (sổ thu)"


def _writable(path: Path) -> Path:
    """A file the command may write: its folder must exist (checked before any export is made and audited)."""
    from ansinh.core.errors import ValidationFailed

    if not path.parent.is_dir():
        raise ValidationFailed(f"Thư mục “{path.parent}” không tồn tại: tạo thư mục trước hoặc chọn --out khác.")
    return path


@command(employers_app, "import")
def employers_import(
    dataset: Annotated[str, typer.Argument(help=DATASETS_HELP)],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tệp CSV/XLSX như cơ quan gửi đến.")],
    mapping: Annotated[Optional[list[str]], typer.Option("--map", help="Tên cột trong tệp=tên trường, ví dụ \"Tên NNT=name\".")] = None,
    as_user: AsUser = None,
) -> None:
    """Nhập một danh sách. Một dòng lỗi thì cả tệp bị từ chối; nhập lại cùng tệp không thay đổi gì."""
    from ansinh.core.tabular import parse_mapping
    from ansinh.employers.services import employers_import as run

    with progress_bar() as progress:
        progress.add_task(f"Kiểm tra và nhập {file.name}", total=None)
        outcome = run(actor=acting(as_user), dataset=dataset, content=file.read_bytes(), filename=file.name,
                      mapping=parse_mapping(mapping or []))
    if outcome.unchanged:
        out.print(f"Không có gì thay đổi: {outcome.rows} dòng đã có sẵn như trong tệp.")
    else:
        out.print(f"Đã nhập {outcome.rows} dòng: {outcome.added} mới, {outcome.changed} thay đổi, {outcome.removed} bỏ đi.")
    for warning in outcome.warnings:
        out.print(f"[yellow]Lưu ý:[/] {warning}")


@command(employers_app, "reconcile")
def employers_reconcile(
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Tính riêng và đo thời gian từng bước.")] = False,
    as_user: AsUser = None,
) -> None:
    """Đối chiếu danh sách Thuế, KCN, Công đoàn với đơn vị BHXH; cập nhật danh sách việc của các xã."""
    from ansinh.employers.services import employers_reconcile as run

    with steps() as step:
        outcome = run(actor=acting(as_user), progress=step, settings_override={"debug": True} if debug else None)
    if as_json:
        from ansinh.employers.api import ReconcileOut

        echo_api_json(ReconcileOut.of(outcome))
        return
    from ansinh.employers.models import WorkItem

    table = Table("Kết quả", "Số", title="Đối chiếu đơn vị sử dụng lao động")
    table.add_row("Bản ghi ngoài (Thuế, KCN, Công đoàn)", _n(outcome.counts["records"]))
    table.add_row("Đơn vị BHXH", _n(outcome.counts["units"]))
    table.add_row("Đã khớp", _n(outcome.counts["matched"]))
    for kind in WorkItem.Kind:
        table.add_row(kind.label, _n(outcome.counts[kind.value]))
    out.print(table)
    out.print(f"Danh sách việc: {outcome.created} mục mới, {outcome.reopened} mở lại, {outcome.closed} đã xong "
                   f"({_seconds(outcome.run.seconds)}).")
    if debug:
        print_timings(outcome.timings)


def _n(value: int) -> str:
    from ansinh.core.formatting import format_int

    return format_int(value)


def _seconds(value: float) -> str:
    from ansinh.core.formatting import format_decimal

    return f"{format_decimal(value, 1)} giây"


# ------------------------------------------------------------------------------------ arrears, paperwork


@command(employers_app, "arrears")
def employers_arrears(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Ngày tính (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định: ngày cuối của sổ thu.")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Chỉ một đơn vị (mã đơn vị).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    as_user: AsUser = None,
) -> None:
    """Nợ đóng theo đơn vị: số tháng nợ, số tiền, số ngày chậm, lãi 0,03%/ngày, chậm đóng hay trốn đóng."""
    from ansinh.employers import selectors

    actor = acting(as_user)
    day = day_option(as_of, "--as-of", officer=True) or selectors.default_as_of()
    if unit:
        rows = [selectors.unit_arrears(unit=selectors.access_employer(actor=actor, unit_code=unit), as_of=day)]
    else:
        rows = selectors.arrears_in_scope(actor=actor, as_of=day)
    if as_json:
        from ansinh.employers.api import arrears_out

        typer.echo(json.dumps([arrears_out(a).dict() for a in rows], ensure_ascii=False, default=str))
        return
    _print_arrears(rows, day)


def _print_arrears(rows, day: date) -> None:
    from ansinh.core.formatting import format_int
    from ansinh.employers.records import STATUS_LABELS

    table = Table("Mã đơn vị", "Tên đơn vị", "Số tháng nợ", "Số tiền nợ", "Lãi chậm đóng", "Số ngày chậm", "Tình trạng",
                  title=f"Nợ đóng tính đến ngày {day:%d/%m/%Y}")
    for a in rows[:200]:
        table.add_row(a.unit_code, a.name, str(a.months_owed), format_int(a.unpaid), format_int(a.interest),
                      str(a.max_days_late), STATUS_LABELS.get(a.status, "Không nợ"))
    out.print(table)
    if len(rows) > 200:
        out.print(f"… và {len(rows) - 200} đơn vị khác (dùng --json để lấy đủ).")
    out.print(f"Tổng: {len(rows)} đơn vị, nợ {format_int(sum(a.unpaid for a in rows))} đồng, "
                   f"lãi {format_int(sum(a.interest for a in rows))} đồng.")


@command(employers_app, "letters")
def employers_letters(
    month: Annotated[str, typer.Option(help="Tháng gửi thông báo, YYYY-MM (nợ tính đến ngày cuối tháng trước).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Thư mục ghi các tệp .docx.")],
    merged: Annotated[bool, typer.Option("--merged", help="Một tệp gộp thay vì mỗi đơn vị một tệp.")] = False,
    number: Annotated[Optional[int], typer.Option("--number", min=1, help="Số của thông báo mới đầu tiên (các thông báo sau lấy số tiếp theo; mặc định: tiếp số lớn nhất của năm).")] = None,
    signer_title: Annotated[str, typer.Option("--signer-title", help="Chức vụ người ký, ví dụ \"KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\" (\\n: xuống dòng; mặc định GIÁM ĐỐC).")] = "",
    signer_name: Annotated[str, typer.Option("--signer-name", help="Họ tên người ký (mặc định: để trống để ký tay).")] = "",
    as_user: AsUser = None,
) -> None:
    """Thông báo đôn đốc (DOCX, thể thức Nghị định 30/2020) cho mọi đơn vị nợ đóng."""
    from ansinh.core.errors import ValidationFailed
    from ansinh.employers.importers import CellError
    from ansinh.employers.importers import month as read_month
    from ansinh.employers.services import letters_generate

    try:
        first = read_month(month)
    except CellError as error:
        raise ValidationFailed(f"--month: {error}.") from None
    with progress_bar() as progress:
        progress.add_task(f"Lập thông báo đôn đốc tháng {first:%m/%Y}", total=None)
        batch = letters_generate(actor=acting(as_user), month=first, merged=merged, number=number,
                                 signer_title=signer_title.replace("\\n", "\n"), signer_name=signer_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, content in batch.files:
        (out_dir / name).write_bytes(content)
    out.print(f"Đã lập {batch.letters} thông báo ({len(batch.files)} tệp) trong {out_dir}: nợ tính đến "
                   f"{batch.as_of:%d/%m/%Y}, tổng nợ {_n(batch.unpaid)} đồng, lãi {_n(batch.interest)} đồng.")


@command(employers_app, "offenders")
def employers_offenders(
    quarter: Annotated[str, typer.Option(help="Quý gửi danh sách, YYYY-Qn (nợ tính đến ngày cuối quý trước).")],
    out_file: Annotated[Path, typer.Option("--out", help="Tệp .xlsx cần ghi (mặc định: tên theo quý, thư mục hiện tại).")] = None,
    public: Annotated[bool, typer.Option("--public", help="Danh sách để công khai (chỉ thông tin đơn vị).")] = False,
    as_user: AsUser = None,
) -> None:
    """Danh sách đơn vị chậm đóng, trốn đóng gửi cơ quan thanh tra (hoặc để công khai), XLSX."""
    from ansinh.employers.services import offenders_export

    if out_file is not None:
        _writable(out_file)
    name, content = offenders_export(actor=acting(as_user), quarter=quarter, public=public)
    path = out_file or Path(name)
    path.write_bytes(content)
    out.print(f"Đã ghi {path}.")


@command(employers_app, "inspection")
def employers_inspection(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Ngày tính; mặc định: ngày cuối của sổ thu.")] = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Tệp .xlsx cần ghi.")] = None,
    as_user: AsUser = None,
) -> None:
    """Đơn vị nợ từ 3 tháng trở lên, đề nghị thanh tra, kèm lịch sử nợ từng tháng (XLSX)."""
    from ansinh.employers.selectors import default_as_of
    from ansinh.employers.services import inspection_export

    if out_file is not None:
        _writable(out_file)
    name, content, count = inspection_export(actor=acting(as_user), as_of=day_option(as_of, "--as-of", officer=True) or default_as_of())
    path = out_file or Path(name)
    path.write_bytes(content)
    out.print(f"Đã ghi {path}: {count} đơn vị đề nghị thanh tra.")


@command(employers_app, "check")
def employers_check(
    tax_code: Annotated[str, typer.Argument(help="Mã số thuế của doanh nghiệp.")],
    on: Annotated[Optional[str], typer.Option("--on", help="Ngày xác nhận; mặc định: ngày cuối của sổ thu.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
    as_user: AsUser = None,
) -> None:
    """Xác nhận tình hình chấp hành pháp luật về BHXH (để xét khen thưởng, đấu thầu, giao đất); có ghi nhật ký."""
    from ansinh.employers.services import compliance_check

    answer = compliance_check(actor=acting(as_user), tax_code=tax_code, on=day_option(on, "--on", officer=True))
    if as_json:
        from ansinh.employers.api import compliance_out

        typer.echo(json.dumps(compliance_out(answer).dict(), ensure_ascii=False, default=str))
        raise typer.Exit(0 if answer.compliant else 3)
    verdict = "[green]CHẤP HÀNH ĐÚNG[/]" if answer.compliant else "[red]CHƯA CHẤP HÀNH ĐÚNG[/]"
    out.print(f"Mã số thuế {answer.tax_code}, tính đến {answer.on:%d/%m/%Y}: {verdict} pháp luật về BHXH, BHYT, BHTN.")
    for fact in answer.facts + answer.open_findings:
        out.print(f"  - {fact}")
    raise typer.Exit(0 if answer.compliant else 3)
