"""Diagnostics as you type: the same codes, spans and hints as `policylang check`, quick fixes from hints."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_lsp", reason="pytest-lsp is a dev dependency: pip install -e '.[dev]'")

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from lsp.lspclient import ROOT, change_doc, diagnostics_for, open_doc, position_of
from policylang.api import check_path

pytestmark = pytest.mark.asyncio(loop_scope="module")
WEIHAI = ROOT / "regions" / "weihai" / "policy.policy"


async def test_open_a_region_then_type_an_error(client: LanguageClient) -> None:
    text = WEIHAI.read_text(encoding="utf-8")
    doc = open_doc(client, WEIHAI, text)
    assert await diagnostics_for(client, doc) == []

    typo = text.replace("封顶线 年度 5 万元", "封项线 年度 5 万元", 1)
    change_doc(client, doc, typo, 2)
    [diag] = await diagnostics_for(client, doc)
    assert diag.code == "E002"
    assert diag.severity == lsp.DiagnosticSeverity.Error
    assert diag.range.start == position_of(typo, "封项线")
    assert "未知关键字“封项线”" in diag.message and "是否想写“封顶线”" in diag.message

    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(doc), diag.range, lsp.CodeActionContext([diag])))
    [fix] = actions
    assert fix.kind == lsp.CodeActionKind.QuickFix
    [edit] = fix.edit.changes[doc]
    assert edit.new_text == "封顶线" and edit.range == diag.range

    change_doc(client, doc, text, 3)
    assert await diagnostics_for(client, doc) == []


async def test_same_codes_and_spans_as_check(client: LanguageClient) -> None:
    """A semantic error (an over-100% ratio, E006) with the checker's own hint, as a quick fix."""
    text = WEIHAI.read_text(encoding="utf-8")
    doc = open_doc(client, WEIHAI, text)
    await diagnostics_for(client, doc)
    bad = text.replace("二级 85%, 三级 80%", "二级 85%, 三级 800%", 1)
    change_doc(client, doc, bad, 5)
    [diag] = await diagnostics_for(client, doc)
    assert diag.code == "E006"
    assert diag.range.start == position_of(bad, "800%")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(doc), diag.range, lsp.CodeActionContext([diag])))
    assert [a.edit.changes[doc][0].new_text for a in actions] == ["80%"]
    change_doc(client, doc, text, 6)
    assert await diagnostics_for(client, doc) == []


async def test_an_error_in_an_inherited_region_shows_in_that_file(client: LanguageClient) -> None:
    """Typing in the parent region re-checks the open child region too; the parent's error shows in it."""
    child = ROOT / "tests" / "inherit" / "child" / "rules.policy"
    base = ROOT / "tests" / "inherit" / "base" / "rules.policy"
    base_text = base.read_text(encoding="utf-8")
    base_doc = open_doc(client, base, base_text)
    await diagnostics_for(client, base_doc)
    child_doc = open_doc(client, child)
    assert await diagnostics_for(client, child_doc) == []
    assert check_path(child.parent).diagnostics == ()  # on disk there is no error

    client.diagnostics.pop(child_doc)
    change_doc(client, base_doc, base_text.replace("二级 70%", "二级 70"), 2)
    [diag] = await diagnostics_for(client, base_doc)  # published last, after the child region's check
    assert child_doc in client.diagnostics  # the open child region was checked again
    assert diag.code == "E004"
    assert diag.range.start == position_of(base_text, "70%")

    change_doc(client, base_doc, base_text, 3)
    assert await diagnostics_for(client, base_doc) == []


async def test_a_new_unsaved_script_gets_syntax_checks(client: LanguageClient) -> None:
    doc = "untitled:Untitled-1"
    client.diagnostics.pop(doc, None)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(doc, "policy", 1, "方案 a {\n    比例 90%\n")))
    [diag] = await diagnostics_for(client, doc)
    assert diag.code == "E009"
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(doc), lsp.Position(1, 5)))
    assert hover is None
