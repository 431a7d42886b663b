"""The layout of docs/architecture.md, checked by machine so it stays true.

import-linter (`uv run lint-imports`, run in CI) checks the layers between apps; these tests check what it
does not: no import cycle between any two files, the kernel free of the rest, and no module too long to read.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "ansinh"
MAX_LINES = 800


@pytest.fixture(scope="module")
def graph():
    # Type hints under TYPE_CHECKING name a type, they do not run code: they are not dependencies.
    return grimp.build_graph("ansinh", exclude_type_checking_imports=True)


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each one an import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_between_files(graph):
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    class Toy:
        modules = {"a", "b", "c"}
        edges = {"a": {"b"}, "b": {"a"}, "c": {"a"}}

        def find_modules_directly_imported_by(self, module):
            return self.edges[module]

    assert _cycles(Toy()) == [["a", "b"]]


def test_the_kernel_imports_nothing_of_ansinh_outside_itself(graph):
    outside = {
        (module, imported)
        for module in graph.find_children("ansinh.core") | graph.find_descendants("ansinh.core")
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("ansinh") and not imported.startswith("ansinh.core")
    }
    assert outside == set()


def test_no_module_over_800_lines():
    long = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
