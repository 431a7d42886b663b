"""The command line door's toolkit: what every app's `commands.py` uses, so no command writes it again.

- `command(app, name)` registers a typer command that sets Django up, refuses to run on a database whose
  schema is behind (naming `ansinh migrate`), and turns a domain error into a red message and exit code 1,
  never a stack trace;
- `acting(username)` is the user a command acts as: `--as NAME`, or the audited `system` account;
- `out` / `err` print (answers on stdout, progress and errors on stderr), `progress_bar` and `steps` show
  a long job's progress, `echo_api_json` prints an API schema exactly as the API answers it.

`ansinh.cli` only mounts each app's typer app; the apps import this module, never `ansinh.cli`.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress as Bar
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from ansinh.engine.progress import Progress

if TYPE_CHECKING:
    from ansinh.accounts.models import User

out = Console()
err = Console(stderr=True)
AsUser = Annotated[Optional[str], typer.Option("--as", help="Chạy với quyền của tài khoản này (mặc định: tài khoản hệ thống).")]

F = TypeVar("F", bound=Callable[..., Any])


def django_setup() -> None:
    """Set Django up once (a command may run before anything else of Django has been touched)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def pending_migrations() -> list[str]:
    """Migrations the database still lacks, as "app.name" (empty when the schema is current)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return [f"{migration.app_label}.{migration.name}" for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def django_ready() -> None:
    """Django set up on a database whose schema is current. A database that needs migrating is a clear
    refusal naming `ansinh migrate`: a command never changes the schema behind the operator's back."""
    from ansinh.core.errors import ValidationFailed

    django_setup()
    missing = pending_migrations()
    if missing:
        raise ValidationFailed(
            f"Cơ sở dữ liệu chưa được cập nhật ({len(missing)} bước, ví dụ {missing[0]}): chạy `ansinh migrate` trước."
        )


def migrate(say: Callable[[str], None] | None = None) -> int:
    """Bring the schema up to date; returns the number of migrations applied (the demo and `ansinh migrate`)."""
    from django.core.management import call_command

    django_setup()
    missing = pending_migrations()
    if missing and say is not None:
        say(f"Cập nhật cấu trúc cơ sở dữ liệu ({len(missing)} bước)")
    if missing:
        call_command("migrate", verbosity=0)
    return len(missing)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a domain error into its message (and every bad row of a rejected file) and exit code 1."""
    from ansinh.core.errors import AnSinhError, ImportRejected

    try:
        yield
    except ImportRejected as rejected:
        err.print(f"[bold red]{rejected.message}[/]")
        for row in rejected.errors:
            err.print(f"  {row}")
        raise typer.Exit(1) from None
    except AnSinhError as error:
        err.print(f"[bold red]Lỗi:[/] {error.message}")
        raise typer.Exit(1) from None


def command(app: typer.Typer, name: str | None = None, *, check_schema: bool = True) -> Callable[[F], F]:
    """Register `function` as `app`'s command `name`, run inside `domain_errors` on a ready Django.

    `check_schema=False` is for the commands that set the schema up themselves (`migrate`, `demo`) or
    touch no database (`plans read`, the engine benchmarks)."""

    def register(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with domain_errors():
                django_ready() if check_schema else django_setup()
                return function(*args, **kwargs)

        app.command(name)(run)
        return function

    return register


def acting(username: str | None) -> User:
    """The user a command acts as: `--as NAME` (an active account), or the `system` account that stands
    for the server's operator (created, audited, the first time it is needed)."""
    from django.contrib.auth import get_user_model

    from ansinh.core.errors import NotFound

    User = get_user_model()
    if not username:
        return User.objects.system()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"Không có tài khoản “{username}”.")
    return user


def progress_bar() -> Bar:
    return Bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=False)


@contextmanager
def steps() -> Iterator[Progress]:
    """A pipeline's progress (`ansinh.engine.progress.Progress`) drawn as a list of steps: each new label
    ticks the one before it off; a fraction, when the step knows one, fills the bar (a spinner otherwise)."""
    with progress_bar() as progress:
        task = progress.add_task("Chuẩn bị", total=None)
        started: list[str] = []

        def step(label: str, fraction: float | None = None, /) -> None:
            if started and started[-1] != label:
                progress.console.print(f"[green]✓[/] {started[-1]}")
            if not started or started[-1] != label:
                started.append(label)
            if fraction is None:
                progress.update(task, description=label, total=None)
            else:
                progress.update(task, description=label, total=100, completed=round(fraction * 100))

        yield step
        if started:
            progress.console.print(f"[green]✓[/] {started[-1]}")
        progress.update(task, description="Xong")


@contextmanager
def fractions(start: str = "Chuẩn bị") -> Iterator[Progress]:
    """A service's `progress(label, fraction)` callback drawn as one bar from 0 to 100% (a spinner while
    the fraction is None, for a step whose length is not known)."""
    with progress_bar() as progress:
        task = progress.add_task(start, total=None)

        def advance(label: str, fraction: float | None) -> None:
            if fraction is None:
                progress.update(task, description=label, total=None)
            else:
                progress.update(task, description=label, total=100, completed=round(fraction * 100))

        yield advance
        progress.update(task, description="Xong", total=100, completed=100)


def print_timings(timings: Any) -> None:
    """A pipeline's `--debug` timings (`engine.steps.Timing`: step, seconds) as one table, whatever the pipeline."""
    from rich.table import Table

    from ansinh.core.formatting import format_decimal

    table = Table("Bước", "Giây", title="Thời gian từng bước")
    for name, seconds in timings:
        table.add_row(name, format_decimal(seconds, 3))
    out.print(table)


def echo_json(value: Any) -> None:
    """JSON on stdout, Vietnamese letters as they are."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def echo_api_json(schema: Any, **extra: Any) -> None:
    """Print an API schema exactly as the API answers it (the same encoder for dates and times)."""
    from ninja.responses import NinjaJSONEncoder

    typer.echo(json.dumps({**schema.model_dump(), **extra}, cls=NinjaJSONEncoder, ensure_ascii=False, indent=2))


def day_option(value: str | None, option: str, *, officer: bool = False) -> date | None:
    """An ISO day given to an option, or a clear error naming the option. `officer=True` also takes a day
    as an officer types it (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy): the options that take the days of a
    letter or a decree (`employers … --on`, `params set --from`)."""
    from ansinh.core.errors import ValidationFailed
    from ansinh.core.numbers import FILE_DAY_PATTERNS, ISO_DAY_PATTERNS, parse_day

    if value is None:
        return None
    try:
        return parse_day(value, patterns=FILE_DAY_PATTERNS if officer else ISO_DAY_PATTERNS)
    except ValueError:
        if officer:
            raise ValidationFailed(f"{option} “{value}”: ngày phải viết dd/mm/yyyy hoặc YYYY-MM-DD.") from None
        raise ValidationFailed(f"{option} “{value}” không phải ngày hợp lệ: dùng YYYY-MM-DD, ví dụ 2025-10-31.") from None
