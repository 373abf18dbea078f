"""fmt over every script in the repository: parses to the same AST, compiles to the same IR, idempotent."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fmt.corpus import ROOT, SCRIPTS, label
from policylang.api import compile_path
from policylang.resources import stdlib_dir
from policylang.source import Source
from policylang.syntax.parser import parse
from policylang.tools.fmt import format_source, format_text


def _comments(text: str) -> list[str]:
    return [m.group().rstrip() for m in re.finditer(r"#[^\n]*", re.sub(r'"[^"\n]*"|“[^”\n]*”|《[^》\n]*》', "", text))]


@pytest.mark.parametrize("path", SCRIPTS, ids=label)
def test_same_ast_comments_and_idempotent(path: Path) -> None:
    source = Source.read(path, label(path))
    once = format_source(source)
    assert once.ok, once.diagnostics
    assert parse(Source(source.path, once.text))[0] == parse(source)[0]
    assert _comments(once.text) == _comments(source.text)
    assert format_text(once.text, source.path).text == once.text


@pytest.fixture(scope="module")
def formatted_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of regions/ and tests/vocabulary/ with every script formatted (siblings kept for 继承)."""
    out = tmp_path_factory.mktemp("formatted")
    for tree in ("regions", "tests/vocabulary"):
        shutil.copytree(ROOT / tree, out / tree)
    for path in out.rglob("*.policy"):
        path.write_text(format_text(path.read_text(encoding="utf-8")).text, encoding="utf-8")
    return out


REGIONS = sorted(d for tree in ("regions", "tests/vocabulary") for d in (ROOT / tree).iterdir()
                 if d.is_dir() and any(d.glob("*.policy")))


@pytest.mark.parametrize("region", REGIONS, ids=label)
def test_formatted_region_compiles_to_the_same_ir(region: Path, formatted_tree: Path) -> None:
    assert compile_path(formatted_tree / region.relative_to(ROOT)) == compile_path(region)


def test_formatted_stdlib_compiles_to_the_same_ir(tmp_path: Path) -> None:
    """A region that imports the formatted stdlib (placed beside it, which 导入 looks at first)."""
    region = ROOT / "regions" / "weihai"
    for path in [*region.glob("*.policy"), *stdlib_dir().glob("*.policy")]:
        (tmp_path / path.name).write_text(format_text(path.read_text(encoding="utf-8")).text, encoding="utf-8")
    assert compile_path(tmp_path) == compile_path(region)
