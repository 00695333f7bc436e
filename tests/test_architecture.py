"""The house rules, checked: no import cycles, small modules and functions, imports at the top.

The layer contract itself (core <- pose <- counting <- form <- ... <- cli) is import-linter's
(``[tool.importlinter]`` in pyproject.toml, run by ``make test``); these tests add what a
layers contract cannot see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "formcoach"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Exceptions to the rules, each with why (none today; an entry needs a reason a reviewer accepts)
#: Modules allowed past MAX_MODULE_LINES.
LONG_MODULES: dict[str, str] = {}
#: Functions allowed past MAX_FUNCTION_LINES ("module:function").
LONG_FUNCTIONS: dict[str, str] = {}
#: Modules whose function-level imports need not say why.
LOOSE_IMPORTS: dict[str, str] = {}
#: Import cycles allowed.
CYCLES: dict[tuple[str, ...], str] = {}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(SRC.parent).with_suffix("")).replace("/", ".")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    component.append(m)
                    if m == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_no_import_cycles():
    graph = grimp.build_graph("formcoach", exclude_type_checking_imports=True)
    assert [c for c in _cycles(graph) if tuple(c) not in CYCLES] == []


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_module_is_small(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES or _name(path) in LONG_MODULES, (
        f"{_name(path)} has {lines} lines (> {MAX_MODULE_LINES}): split it by concern"
    )


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_functions_are_small(path):
    tree = ast.parse(path.read_text())
    long = [
        f"{fn.name} ({fn.end_lineno - fn.lineno + 1} lines)"
        for fn in _functions(tree)
        if fn.end_lineno - fn.lineno + 1 > MAX_FUNCTION_LINES
        and f"{_name(path)}:{fn.name}" not in LONG_FUNCTIONS
    ]
    assert not long, f"{_name(path)}: {', '.join(long)} over {MAX_FUNCTION_LINES} lines"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_imports_inside_functions_only_defer_heavy_dependencies(path):
    """A function-level import never hides a cycle (no formcoach module is imported there)
    and says why it is deferred (a comment on its line or the line above)."""
    text = path.read_text()
    lines = text.splitlines()
    if _name(path) in LOOSE_IMPORTS:
        pytest.skip(LOOSE_IMPORTS[_name(path)])
    bad = []
    for fn in _functions(ast.parse(text)):
        for node in ast.walk(fn):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            here, above = lines[node.lineno - 1], lines[node.lineno - 2]
            if (module or "").startswith("formcoach"):
                bad.append(f"line {node.lineno}: imports {module} inside {fn.name}")
            elif "#" not in here and not above.strip().startswith("#"):
                bad.append(f"line {node.lineno}: deferred import of {module} without a reason")
    assert not bad, f"{_name(path)}: " + "; ".join(bad)
