"""`ansinh`: the command line door into the same services the web pages and the API use.

This module only lists and mounts the apps' command modules; each app's `commands.py` holds its commands
and `ansinh.console` the helpers they share (Django set-up, the acting user, error exits, progress).
A new command goes in its app's `commands.py`; a new app's commands are mounted by adding it to the list.
"""

from __future__ import annotations

import sys

import typer

from ansinh.accounts import commands as accounts
from ansinh.coverage import commands as coverage
from ansinh.demo import commands as demo
from ansinh.employers import commands as employers
from ansinh.ops import commands as ops
from ansinh.plans import commands as plans
from ansinh.reports import commands as reports
from ansinh.rules import commands as rules
from ansinh.targets import commands as targets
from ansinh.tasks import commands as tasks
from ansinh.units import commands as units

app = typer.Typer(help="An Sinh: kế hoạch thực hiện chỉ tiêu BHXH, BHYT, BHTN của tỉnh.", no_args_is_help=True)

#: Every app's typer app, mounted at the root in the order `ansinh --help` lists them.
COMMANDS = (demo, ops, units, targets, coverage, accounts, rules, employers, plans, tasks, reports)
for module in COMMANDS:
    app.add_typer(module.app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
