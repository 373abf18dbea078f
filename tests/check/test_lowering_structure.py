"""Lowering stays plain functions over a small context: no mixins, and no surface-syntax node is ever built."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LOWER = Path(__file__).resolve().parents[2] / "policylang" / "lower"
MODULES = sorted(LOWER.glob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_no_class_inherits(path: Path) -> None:
    """A lowering step is a function; classes are plain records (attrs), never mixins of one object."""
    bases = [(c.name, ast.unparse(b)) for c in ast.walk(_tree(path)) if isinstance(c, ast.ClassDef) for b in c.bases]
    assert not bases


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_no_surface_node_is_fabricated(path: Path) -> None:
    """Lowering reads the AST; it never constructs an AST node to reuse a helper."""
    built = [f"{path.name}:{n.lineno} ast.{n.func.attr}" for n in ast.walk(_tree(path))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
             and n.func.value.id == "ast" and n.func.attr[:1].isupper()]
    assert not built


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The two scans above see what they look for."""
    bad = tmp_path / "bad.py"
    bad.write_text("class A(B):\n    pass\nx = ast.Quantity(1, None, s)\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        test_no_class_inherits(bad)
    with pytest.raises(AssertionError):
        test_no_surface_node_is_fabricated(bad)
