"""The CLI toolkit: no command changes the schema behind the operator's back, errors are messages, and
every command acts as someone (the audited `system` account by default)."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from ansinh import console
from ansinh.accounts.models import User
from ansinh.audit.models import AuditEvent
from ansinh.cli import app
from ansinh.core.errors import NotFound

runner = CliRunner()
pytestmark = pytest.mark.django_db


def test_a_stale_schema_is_refused_with_the_command_to_run(monkeypatch):
    monkeypatch.setattr(console, "pending_migrations", lambda: ["targets.0004_future", "tasks.0002_future"])

    result = runner.invoke(app, ["units", "load", "--province", "92"])

    assert result.exit_code == 1
    assert "ansinh migrate" in result.output and "2 bước" in result.output
    assert "Traceback" not in result.output


def test_migrate_reports_what_it_applied(monkeypatch):
    applied = []
    monkeypatch.setattr(console, "pending_migrations", lambda: ["targets.0004_future"])
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: applied.append(args))

    result = runner.invoke(app, ["migrate"])

    assert result.exit_code == 0, result.output
    assert applied == [("migrate",)] and "1 bước" in result.output


def test_a_current_schema_runs_the_command():
    result = runner.invoke(app, ["units", "load", "--province", "92"])

    assert result.exit_code == 0, result.output
    assert "Đã nạp" in result.output


def test_the_system_account_is_created_once_and_audited():
    first = console.acting(None)
    second = console.acting(None)

    assert first == second and first.username == "system" and first.is_superuser and not first.has_usable_password()
    created = AuditEvent.objects.filter(action="user.create", object_id=str(first.pk))
    assert [(event.actor, event.detail["role"]) for event in created] == [(first, "system")]


def test_acting_as_an_unknown_or_inactive_user_is_a_clear_error(db):
    User.objects.create(username="nghi", is_active=False, is_superuser=True)

    for name in ("khong-co", "nghi"):
        with pytest.raises(NotFound, match=name):
            console.acting(name)


def test_a_domain_error_becomes_a_message_and_exit_code_one():
    sub = typer.Typer()

    @console.command(sub, "fail")
    def fail() -> None:
        raise NotFound("Không có đơn vị mã “99999”.")

    @console.command(sub, "other")
    def other() -> None:  # a second command, so typer keeps the group
        pass

    result = runner.invoke(sub, ["fail"])

    assert result.exit_code == 1 and "Không có đơn vị mã “99999”." in result.output
    assert "Traceback" not in result.output
