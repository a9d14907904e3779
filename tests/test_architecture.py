"""The layout's rules, enforced from the code's own imports (also those inside functions).

Data flows one way: the foundation (errors, limits, functions) → the canonical vocabulary →
SymPy in and out (convert) → the engines → the front (api, probability, nn, teaching, plot) →
the command line. The numeric check stands beside the engines and imports nothing of
symconv but the foundation. See docs/architecture.md.
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "symconv"

#: Rank of each top-level package or module: a module may import its own package and
#: packages of lower rank only.
RANK = {
    "errors": 0,
    "limits": 1, "functions": 1,
    "workers": 2,
    "canonical": 2, "numeric": 2, "parsing": 2,
    "convert": 3,
    "engine": 4,
    "api": 5, "probability": 5,
    "nn": 6, "teaching": 6,
    "plot": 7,
    "web": 8,
    "cli": 9,
    "__init__": 10,
    "__main__": 11,
}
#: What the independent numeric check may import (never the code it checks).
NUMERIC_MAY_IMPORT = {"errors", "limits", "functions", "numeric"}
#: Modules over this many lines are a sign to split.
MAX_LINES = 1000


def modules():
    out = {}
    for path in PKG.rglob("*.py"):
        parts = path.with_suffix("").relative_to(PKG.parent).parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = modules()


def package(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(name):
    """Every symconv module ``name`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("symconv"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("symconv"))
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports(name) for name in MODULES}


def test_every_package_has_a_rank():
    assert {package(m) for m in MODULES} <= set(RANK)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_flow_one_way(name):
    here = package(name)
    for dep in GRAPH[name]:
        there = package(dep)
        if dep == "symconv" or there == here:
            continue
        assert RANK[there] < RANK[here], f"{name} imports {dep} ({there} is not below {here})"


def test_no_import_cycles():
    """Depth-first search over the module graph (a lazy import counts like any other)."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for dep in sorted(GRAPH[m]):
            if dep == "symconv":
                continue
            if state.get(dep) == "open":
                cycle = stack[stack.index(dep):] + [dep]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[m] = "done"

    for m in sorted(MODULES):
        if m not in state:
            visit(m)


def test_the_numeric_check_imports_only_the_foundation():
    for name in MODULES:
        if package(name) == "numeric":
            assert {package(d) for d in GRAPH[name]} <= NUMERIC_MAY_IMPORT, name


def test_nothing_below_the_command_line_imports_it():
    users = {m for m, deps in GRAPH.items() if "symconv.cli" in deps}
    assert users <= {"symconv.__main__"}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_the_size_limit(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines (split it by concept)"


def test_the_rules_catch_a_cycle():
    """The cycle check is not vacuous: a graph with a cycle is reported."""
    global GRAPH
    saved = GRAPH
    try:
        GRAPH = {**saved, "symconv.errors": saved["symconv.errors"] | {"symconv.api"}}
        with pytest.raises(AssertionError, match="import cycle"):
            test_no_import_cycles()
    finally:
        GRAPH = saved
