"""Imports flow one way; the numeric check never imports the engine it checks."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "symconv"

LAYERS = {
    "errors": 0, "limits": 0, "functions": 0, "rational": 0, "expoly": 0, "signal": 0, "order": 0,
    "convert": 1, "special": 1,
    "continuous": 2,
    "numeric": 1,
    "nn": 3,
    "plot": 3,
}
ENGINE = {"expoly", "signal", "convert", "continuous", "rational", "order", "special"}


def symconv_imports(module):
    tree = ast.parse((PKG / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("symconv"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("symconv."):
                    found.add(a.name.split(".")[1])
    return found


def test_numeric_check_is_independent_of_the_engine():
    assert not symconv_imports("numeric") & ENGINE


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_no_import_from_a_higher_layer(module):
    for dep in symconv_imports(module):
        if dep in LAYERS and dep != "numeric":
            assert LAYERS[dep] <= LAYERS[module], f"{module} imports {dep}"
