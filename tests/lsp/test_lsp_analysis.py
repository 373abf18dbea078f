"""The editor's view of a region: open buffers instead of files, the loader left as it was afterwards."""

from __future__ import annotations

from lsp.lspclient import ROOT, uri
from policylang.lsp.analysis import analyse, region_root
from policylang.resolve import loader
from policylang.source import Source
from policylang.syntax.parser import parse

WEIHAI = ROOT / "regions" / "weihai" / "policy.policy"


def test_an_open_buffer_is_checked_instead_of_the_file_and_the_loader_is_restored() -> None:
    text = WEIHAI.read_text(encoding="utf-8").replace("二级 85%, 三级 80%", "二级 85%, 三级 800%", 1)
    analysis = analyse(WEIHAI, {WEIHAI: text})
    assert [d.code for d in analysis.checked.diagnostics] == ["E006"]
    assert loader.Source is Source and loader.parse is parse
    assert analyse(WEIHAI, {}).checked.diagnostics == ()


def test_region_root() -> None:
    assert region_root(WEIHAI) == WEIHAI.parent  # a region folder: all its scripts together
    assert region_root(ROOT / "stdlib" / "enums.policy") == (ROOT / "stdlib" / "enums.policy").resolve()
    assert region_root(ROOT / "nowhere.policy") == (ROOT / "nowhere.policy").resolve()


def test_uri_is_absolute() -> None:
    assert uri(ROOT / "regions" / "weihai").startswith("file:///")
