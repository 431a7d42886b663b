"""The synthetic-data generators stay out of the production apps: coverage and employers never import
`ansinh.demo` (the demo imports them), so a deployment's code paths cannot reach a generator."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ansinh

SRC = Path(ansinh.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("app", ["coverage", "employers"])
def test_production_apps_do_not_import_the_generators(app):
    offenders = {
        str(path.relative_to(SRC)): sorted(m for m in _imported_modules(path) if m == "ansinh.demo" or m.startswith("ansinh.demo."))
        for path in sorted((SRC / app).rglob("*.py"))
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}
