"""Parse errors an officer can act on: each common mistake by example, and never a grammar token name."""

from __future__ import annotations

import random
import re
import zlib
from pathlib import Path

import pytest

from policylang.source import Source
from policylang.syntax import messages
from policylang.syntax.parser import _lark, _statement_starters, keywords, parse

ROOT = Path(__file__).resolve().parents[2]
CASES = [(m.label, ex) for m in messages.MISTAKES for ex in m.examples]
# A grammar terminal's name in a message: NAME, ADD_OP, UNIT_YUAN, __ANON_3, or a token name quoted as text.
TERMINAL_NAME = re.compile(r"[A-Z]{2,}(_[A-Z]+)*|__ANON|_SEMI|_COMMA|“(名称|数字|日期)”")


def diagnostics(text: str):
    module, diags = parse(Source("x.policy", text))
    assert module is None and diags, text
    return diags


@pytest.mark.parametrize(("label", "example"), CASES, ids=[f"{label}-{i}" for i, (label, _) in enumerate(CASES)])
def test_each_example_still_maps_to_its_label(label: str, example: str) -> None:
    assert messages.example_label(_lark(), example) == label
    first = diagnostics(example)[0]
    mistake = next(m for m in messages.MISTAKES if m.label == label)
    assert (first.code, first.message, first.help) == (mistake.code, mistake.message, mistake.help)


@pytest.mark.parametrize(("mistake", "example", "fields"), [
    (messages.BOUND_FIRST, messages.BOUND_FIRST.examples[0], {"token": "最低"}),
    (messages.BOUND_FIRST, messages.BOUND_FIRST.examples[1], {"token": "最低"}),
    (messages.BOUND_FIRST, "方案 甲 { 退休 比例 最高 90% 提高 5% }", {"token": "最高"}),
    (messages.KEYWORD_AS_NAME, messages.KEYWORD_AS_NAME.examples[0], {"prev": "个人账户"}),
    (messages.KEYWORD_AS_NAME, messages.KEYWORD_AS_NAME.examples[1], {"prev": "说明"}),
    (messages.TIMES_AS_LETTER, messages.TIMES_AS_LETTER.examples[0], {}),
])
def test_mistakes_recognised_by_their_words(mistake: messages.Mistake, example: str, fields: dict[str, str]) -> None:
    first = diagnostics(example)[0]
    assert first.message == mistake.fill(mistake.message, fields)
    assert first.help == mistake.fill(mistake.help, fields)


def test_a_bound_before_what_it_bounds_is_never_a_table_key() -> None:
    # 封顶线 最低 100 元 used to parse as a table keyed by 最低, then be called an unknown enumeration value
    (d,) = diagnostics("方案 甲 { 比例 50%\n 封顶线 最低 100 元 }")
    assert (d.code, d.span.line, d.span.column) == ("E001", 2, 6)
    assert d.message.startswith("“最低”只能写在")


@pytest.mark.parametrize("char", sorted(messages.CHARACTERS))
def test_look_alike_characters_say_what_to_write(char: str) -> None:
    d = diagnostics(f"方案 甲 {{ 比例 50% {char} }}")[0]
    assert d.code == "E003" and char in d.message and " — " in d.message and d.help


def test_a_top_level_statement_inside_a_block_reports_the_missing_brace_once() -> None:
    diags = diagnostics("方案 甲 {\n 比例 50%\n\n方案 乙 { 比例 60% }\n")
    assert [(d.code, d.span.line) for d in diags] == [("E009", 4)]
    assert "第 1 行的 { 没有对应的 }" in diags[0].message and "补上 }" in diags[0].help


def test_a_generic_error_shows_the_form_of_the_statement() -> None:
    d = diagnostics("方案 甲 (险种 = ) { 比例 5% }")[0]
    assert d.message == "此处不应出现“)”，应为 名称"
    assert d.help == f"“方案”的写法：{messages.FORMS['方案']}"


def test_a_table_row_on_a_field_range_shows_the_comparison_form() -> None:
    """年龄 60 岁以上 is for scheme and layer conditions; a table row compares: the help says how."""
    d = diagnostics("方案 甲 (险种 = 职工医保) {\n    比例 年龄 60 岁以上 70%, 50%\n}")[0]
    assert "以上" in d.message and "比例 年龄 >= 60 岁 70%，60%" in d.help


def test_every_statement_has_an_allowed_form() -> None:
    assert _statement_starters() <= set(messages.FORMS)
    assert set(messages.FORMS) <= set(keywords())


def test_expected_lists_are_chinese_words() -> None:
    kws = keywords()
    assert messages.describe({"NAME", "NUMBER"}, kws, False) == "数字、名称"
    assert messages.describe({"UNIT_YUAN", "UNIT_WAN_YUAN", "PERCENT"}, kws, False) == "单位（万元、元、%）"
    assert messages.describe({"ADD_OP", "MUL_OP", "RBRACE"}, kws, False) == "“+” 或 “-”、“×” 或 “÷”、“}”"
    assert messages.describe({"__ANON_0"}, kws, False) == "其他写法"


def _broken_scripts() -> list[str]:
    """Every example, plus region scripts with a few tokens deleted, swapped or replaced (fixed seeds)."""
    texts = [ex for m in (*messages.MISTAKES, messages.BOUND_FIRST, messages.KEYWORD_AS_NAME) for ex in m.examples]
    pieces = ["=", "+", "×", "%", "元", "{", "}", "(", ")", "，", "最低", "期望", "比例", "7", "x"]
    for path in sorted(ROOT.glob("regions/*/*.policy"))[:12]:
        words = path.read_text(encoding="utf-8").split(" ")
        rnd = random.Random(zlib.crc32(path.name.encode()))
        for _ in range(6):
            mutated = list(words)
            for _ in range(3):
                i = rnd.randrange(len(mutated))
                mutated[i] = rnd.choice(pieces) if rnd.random() < 0.7 else ""
            texts.append(" ".join(mutated))
    return texts


def test_no_message_names_a_grammar_terminal() -> None:
    seen = 0
    for text in _broken_scripts():
        for d in parse(Source("x.policy", text))[1]:
            seen += 1
            for said in (d.message, d.help or ""):
                assert not TERMINAL_NAME.search(said), (said, text[:200])
    assert seen > 50


@pytest.mark.parametrize(("text", "word", "fixed"), [
    ("方案职工医保 { 比例 50% }", "方案职工医保", "方案 职工医保"),
    ("方案 甲 { 比例一级 80% }", "比例一级", "比例 一级"),
    ('测试 "t" { 参保人在职 }', "参保人在职", "参保人 在职"),
])
def test_a_keyword_glued_to_a_name_says_where_the_space_goes(text: str, word: str, fixed: str) -> None:
    d = diagnostics(text)[0]
    assert (d.code, d.message.split("：")[0]) == ("E002", f"未知关键字“{word}”")
    assert f"是否想写“{fixed}”" in d.help


def test_a_name_built_on_a_keyword_is_not_called_a_misspelt_keyword() -> None:
    # 出生日期 is a field, not a misspelt 日期; 统筹支付 is an output, not a misspelt 支付
    for text in ("方案 甲 { 要求 出生日期 >= 2000-01-01 否则 }",
                 '测试 "t" { 参保人 在职 就诊 2024-03-01 100 元 期望 统筹支付, 个人自付 40 元 }'):
        assert all(d.code != "E002" for d in diagnostics(text)), text


def test_a_shortened_keyword_is_still_a_misspelt_keyword() -> None:
    d = diagnostics("方案 甲 {\n 比例 80%\n 封顶 1300 元\n}")[0]
    assert (d.code, d.span.line, d.help) == ("E002", 3, "是否想写“封顶线”？(did you mean 封顶线?)")
