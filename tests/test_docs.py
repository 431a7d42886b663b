"""Docs cannot fall behind: every CLI command, API route and setting has an entry in docs/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from ansinh.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"
SRC = Path(__file__).resolve().parents[1] / "src" / "ansinh"


def _commands(group: typer.Typer, prefix: str = "ansinh") -> list[str]:
    click_group = typer.main.get_command(group)
    names = []
    for name, command in click_group.commands.items():
        if hasattr(command, "commands"):
            names += [f"{prefix} {name} {sub}" for sub in command.commands]
        else:
            names.append(f"{prefix} {name}")
    return names


@pytest.mark.parametrize("command", _commands(app))
def test_every_cli_command_is_documented(command):
    assert f"`{command}" in (DOCS / "cli.md").read_text(), f"{command} is missing from docs/cli.md"


def test_every_setting_is_documented():
    used = set(re.findall(r"\b(ANSINH_[A-Z_]+|DATABASE_URL)\b", "".join(p.read_text() for p in SRC.rglob("*.py"))))
    documented = (DOCS / "settings.md").read_text()
    missing = sorted(name for name in used if f"`{name}`" not in documented)
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_api_route_is_documented():
    from ansinh.api import api

    documented = (DOCS / "api.md").read_text()
    routes = list(api.get_openapi_schema(path_prefix="/api/")["paths"])
    missing = [route for route in routes if f"`{route}`" not in documented and f" {route}" not in documented]
    assert routes and not missing, f"API routes missing from docs/api.md: {missing}"
