"""Hover, navigation into stdlib/ and across 继承, completion in context, formatting, outline, the test lens."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_lsp", reason="pytest-lsp is a dev dependency: pip install -e '.[dev]'")

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from lsp.lspclient import ROOT, change_doc, diagnostics_for, open_doc, position_of, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")
WEIHAI = ROOT / "regions" / "weihai" / "policy.policy"
WEIHAI_TESTS = ROOT / "regions" / "weihai" / "tests.policy"
CHILD = ROOT / "tests" / "inherit" / "child" / "rules.policy"
BASE = ROOT / "tests" / "inherit" / "base" / "rules.policy"
ENUMS = ROOT / "stdlib" / "enums.policy"


async def _opened(client: LanguageClient, path, text: str | None = None) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8") if text is None else text
    doc = open_doc(client, path, text)
    await diagnostics_for(client, doc)
    return doc, text


async def _hover(client: LanguageClient, doc: str, pos: lsp.Position) -> str:
    result = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(doc), pos))
    assert result is not None
    return result.contents.value


async def test_hover_on_a_keyword_shows_its_reference_entry(client: LanguageClient) -> None:
    doc, text = await _opened(client, WEIHAI)
    value = await _hover(client, doc, position_of(text, "周期 自然年度", 1))
    assert value.startswith("**周期**（关键字 keyword）")
    assert "语言参考 · 周期" in value


async def test_hover_on_a_parameter_shows_where_it_is_overridden(client: LanguageClient) -> None:
    doc, text = await _opened(client, CHILD)
    value = await _hover(client, doc, position_of(text, "封顶线 在职 1500 元", 1))
    assert "**职工门诊 · 封顶线**" in value
    assert "  - 在职 1,500.00 元（覆盖（override）第 5 行）" in value
    assert "  - 退休 1,600.00 元（继承自 tests/inherit/base/rules.policy:8:" in value


async def test_hover_in_the_inherited_region_says_where_it_is_overridden(client: LanguageClient) -> None:
    doc, text = await _opened(client, BASE)
    value = await _hover(client, doc, position_of(text, "封顶线 在职 1300 元", 1))
    assert "  - 在职 1,300.00 元（第 8 行）" in value
    overridden = value.split("被以下地区覆盖（overridden in）：")[1].split("\n")[0].split("；")
    assert "tests/inherit/child/rules.policy:4:1" in overridden
    assert not any("e028" in o for o in overridden)  # 覆盖 of a same-named scheme in a region that does not 继承 base


async def test_hover_on_a_parameter_shows_its_value_at_each_effective_date(client: LanguageClient) -> None:
    suizhou = ROOT / "regions" / "suizhou" / "policy.policy"
    doc, text = await _opened(client, suizhou)
    value = await _hover(client, doc, position_of(text, "封顶线 年度 15 万元 至 2023-12-31", 1))
    assert "- 至 2023年12月31日：\n  - 全部 150,000.00 元" in value
    assert "- 自 2024年1月1日 起：\n  - 全部 200,000.00 元" in value


async def test_hover_on_a_reference_value_shows_it_by_year(client: LanguageClient) -> None:
    doc, text = await _opened(client, WEIHAI)
    value = await _hover(client, doc, position_of(text, "按 居民一档个人缴费", 3))
    assert "**参考值 居民一档个人缴费**" in value
    assert "| 2020 年 | 450.00 元 |" in value


async def test_hover_on_a_scheme_shows_its_public_table(client: LanguageClient) -> None:
    doc, text = await _opened(client, WEIHAI)
    value = await _hover(client, doc, position_of(text, "方案 住院医疗", 4))
    assert value.startswith("**方案 住院医疗**")
    assert "| 医院等级 | 起付线（每次住院） | 报销比例 |" in value
    assert "| 三级 | 900元 | 80% |" in value


async def test_definition_of_an_enumeration_value_is_in_stdlib(client: LanguageClient) -> None:
    doc, text = await _opened(client, WEIHAI)
    pos = position_of(text, "    住院 异地转诊", 5)
    [loc] = await client.text_document_definition_async(lsp.DefinitionParams(lsp.TextDocumentIdentifier(doc), pos))
    assert loc.uri == uri(ENUMS)
    line = ENUMS.read_text(encoding="utf-8").split("\n")[loc.range.start.line]
    assert line[loc.range.start.character:loc.range.end.character] == "住院"


async def test_definition_of_an_overridden_scheme_is_in_the_inherited_region(client: LanguageClient) -> None:
    doc, text = await _opened(client, CHILD)
    pos = position_of(text, "覆盖 方案 职工门诊", 7)
    [loc] = await client.text_document_definition_async(lsp.DefinitionParams(lsp.TextDocumentIdentifier(doc), pos))
    assert loc.uri == uri(BASE)
    assert loc.range.start == position_of(BASE.read_text(encoding="utf-8"), "职工门诊")


async def test_definition_on_an_import_opens_the_stdlib_file(client: LanguageClient) -> None:
    doc, text = await _opened(client, WEIHAI)
    pos = position_of(text, '导入 "fields"', 1)
    [loc] = await client.text_document_definition_async(lsp.DefinitionParams(lsp.TextDocumentIdentifier(doc), pos))
    assert loc.uri == uri(ROOT / "stdlib" / "fields.policy")


async def test_references_of_a_stdlib_value_reach_the_regions(client: LanguageClient) -> None:
    doc, text = await _opened(client, ENUMS)
    pos = position_of(text, "门诊慢特病", 1)
    locs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(doc), position=pos,
        context=lsp.ReferenceContext(include_declaration=True)))
    files = {loc.uri for loc in locs}
    assert uri(ENUMS) in files and uri(WEIHAI) in files and uri(WEIHAI_TESTS) in files


async def _complete(client: LanguageClient, doc: str, pos: lsp.Position) -> list[str]:
    result = await client.text_document_completion_async(lsp.CompletionParams(lsp.TextDocumentIdentifier(doc), pos))
    return [i.label for i in result.items]


async def test_completion_in_context(client: LanguageClient) -> None:
    text = WEIHAI_TESTS.read_text(encoding="utf-8")
    typing = text.replace("救助身份=低保对象\n", "救助身份=\n", 1).replace(
        "期望 统筹支付 116400 元, 医疗救助 22000 元, 个人自付 8000 元", "期望 ", 1)
    doc, _ = await _opened(client, WEIHAI_TESTS, typing)
    values = await _complete(client, doc, position_of(typing, "救助身份=\n", 5))
    assert "低保对象" in values and "特困人员" in values and "方案" not in values
    names = await _complete(client, doc, position_of(typing, "期望 \n", 3))
    assert {"统筹支付", "个人自付", "医疗救助"} <= set(names)
    start = await _complete(client, doc, lsp.Position(position_of(typing, "救助身份=\n").line + 1, 4))
    assert "就诊" in start and "参保人" in start
    open_doc(client, WEIHAI_TESTS)  # back to the file's text for the other tests
    await diagnostics_for(client, uri(WEIHAI_TESTS))


async def test_formatting_through_fmt(client: LanguageClient) -> None:
    doc, _ = await _opened(client, BASE, "地区   母版市\n导入 \"enums\"\n方案 职工门诊 {比例 80 %}\n")
    opts = lsp.FormattingOptions(tab_size=4, insert_spaces=True)
    [edit] = await client.text_document_formatting_async(lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(doc), opts))
    assert edit.new_text == '地区 母版市\n导入 "enums"\n方案 职工门诊 {\n    比例 80%\n}\n'
    open_doc(client, BASE)
    await diagnostics_for(client, doc)


async def test_document_symbols_outline(client: LanguageClient) -> None:
    doc, _ = await _opened(client, WEIHAI)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(doc)))
    names = [(s.detail, s.name) for s in symbols]
    assert ("地区", "山东省威海市") in names and ("方案", "住院医疗") in names
    scheme = next(s for s in symbols if s.name == "住院医疗")
    assert [c.name for c in scheme.children] == ["医疗救助"]


async def test_the_test_lens_runs_a_test_and_shows_the_first_difference(client: LanguageClient) -> None:
    doc, text = await _opened(client, CHILD)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(lsp.TextDocumentIdentifier(doc)))
    assert [lens.command.title for lens in lenses] == ["▶ 运行测试", "▶ 运行测试"]
    cmd = lenses[0].command
    result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(cmd.command, cmd.arguments))
    assert result["passed"] is True

    broken = text.replace("期望 统筹支付 1500 元", "期望 统筹支付 1400 元")
    change_doc(client, doc, broken, 9)
    await diagnostics_for(client, doc)
    result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(cmd.command, [doc, "覆盖的封顶线"]))
    assert result["passed"] is False
    assert "第 1 次就诊 统筹支付：期望 1,400.00 元，实际 1,500.00 元（共 1 处不同）" in result["message"]
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(lsp.TextDocumentIdentifier(doc)))
    assert lenses[0].command.title.startswith("▶ 运行测试 · ✗ ")
    assert any("✗" in m.message for m in client.messages)
    assert client.lens_refreshes >= 2
    change_doc(client, doc, text, 10)
    await diagnostics_for(client, doc)
