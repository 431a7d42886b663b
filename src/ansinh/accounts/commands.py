"""`ansinh users …`: accounts from the command line (the operator's door; it acts as `system`)."""

from __future__ import annotations

from typing import Annotated

import typer

from ansinh.console import acting, command, out

app = typer.Typer()
users_app = typer.Typer(help="Tài khoản.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@command(users_app, "add")
def users_add(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập.")],
    unit: Annotated[str, typer.Option(help="Mã đơn vị của người dùng (phạm vi được xem).")],
    role: Annotated[str, typer.Option(help="admin | editor | viewer | agency (cán bộ sở, ngành) | auditor (kiểm tra nhật ký)")] = "viewer",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Tạo (hoặc cập nhật) một tài khoản gắn với một đơn vị và vai trò."""
    from ansinh.accounts.services import user_set

    user = user_set(actor=acting(None), username=username, unit_code=unit, role=role, password=password)
    out.print(f"Tài khoản {user.username}: {user.get_role_display()} — {user.org_unit}.")


@command(users_app, "reset-two-factor")
def users_reset_two_factor(username: Annotated[str, typer.Argument(help="Tên đăng nhập.")]) -> None:
    """Tắt xác thực hai bước của một tài khoản (mất điện thoại); người đó bật lại với mã bí mật mới."""
    from ansinh.accounts.twofactor import totp_reset

    user = totp_reset(actor=acting(None), username=username)
    out.print(f"Đã tắt xác thực hai bước của {user.username}; lần đăng nhập sau chỉ cần mật khẩu.")
