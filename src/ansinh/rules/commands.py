"""`ansinh params …`: the command-line door into the rules registry (list a day's rules, set a value).

Mounted by `ansinh.cli`; the shared helpers (Django set-up, the acting user, error exits) are `ansinh.console`.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.table import Table

from ansinh.console import AsUser, acting, command, day_option, out

params_app = typer.Typer(help="Tham số pháp lý có ngày hiệu lực (lãi suất, hạn đóng, mức lương, tỷ lệ đóng…).", no_args_is_help=True)

app = typer.Typer()
app.add_typer(params_app, name="params")

@command(params_app, "list")
def params_list(
    on: Annotated[Optional[str], typer.Option(help="Ngày cần xem (dd/mm/yyyy hoặc YYYY-MM-DD); mặc định hôm nay.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON (như API).")] = False,
) -> None:
    """Các tham số pháp lý và giá trị (hoặc cách tính) có hiệu lực vào một ngày, với căn cứ pháp lý."""
    from django.utils import timezone

    from ansinh.rules.api import rules_out
    from ansinh.rules.selectors import plain, rules_on

    day = day_option(on, "--on", officer=True) or timezone.localdate()
    rows = rules_on(day)
    if as_json:
        typer.echo(json.dumps(rules_out(day, rows).dict(), ensure_ascii=False, default=str))
        return
    table = Table("Mã", "Giá trị", "Ý nghĩa", "Căn cứ, hiệu lực", title=f"Tham số có hiệu lực ngày {day:%d/%m/%Y}")
    table.columns[0].no_wrap = table.columns[1].no_wrap = True
    for row in rows:
        rule = row.in_force
        if rule is None:
            table.add_row(row.code, "–", row.label, "chưa có giá trị hiệu lực")
            continue
        value = rule.method if rule.method else f"{plain(rule.value)}"
        meaning = f"{row.label} ({row.unit})" + (f": {rule.method_label}" if rule.method_label else "")
        until = f" đến {rule.valid_to:%d/%m/%Y}" if rule.valid_to else ""
        by = ", cán bộ đặt" if rule.source == "officer" else ""
        table.add_row(row.code, value, meaning, f"{rule.basis} (từ {rule.valid_from:%d/%m/%Y}{until}{by})")
    out.print(table)


@command(params_app, "set")
def params_set(
    code: Annotated[str, typer.Argument(help="Mã tham số (xem `ansinh params list`).")],
    value: Annotated[str, typer.Argument(help="Giá trị, dấu chấm thập phân: 0.0003")],
    valid_from: Annotated[str, typer.Option("--from", help="Ngày có hiệu lực, dd/mm/yyyy.")],
    basis: Annotated[str, typer.Option(help="Căn cứ pháp lý: văn bản, điều.")],
    as_user: AsUser = None,
) -> None:
    """Đặt giá trị một tham số từ một ngày (theo văn bản mới); giá trị cũ vẫn dùng cho trước ngày đó."""
    from ansinh.rules.selectors import plain
    from ansinh.rules.services import rule_set

    row = rule_set(actor=acting(as_user), code=code, value=value, valid_from=day_option(valid_from, "--from", officer=True), basis=basis)
    out.print(f"Đã đặt {row.code} = {plain(row.value)} từ {row.valid_from:%d/%m/%Y} ({row.basis}).")
