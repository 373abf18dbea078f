"""Lexer pins: how Chinese keywords, names, full-width characters, dates and units are tokenised."""

from __future__ import annotations

import pytest

from policylang.source import fold_width
from policylang.syntax.parser import _lark, keywords


def lexed(text: str) -> list[tuple[str, str]]:
    """Tokens as the LALR parser sees them (contextual lexer), for text that parses."""
    ip = _lark().parse_interactive(fold_width(text))
    return [(t.type, str(t)) for t in ip.iter_parse()]


def raw_lexed(text: str) -> list[tuple[str, str]]:
    """Tokens of the plain lexer, for fragments that are not whole scripts."""
    return [(t.type, str(t)) for t in _lark().lex(fold_width(text))]


def test_keyword_then_space_then_name() -> None:
    assert raw_lexed("方案 职工医保") == [("方案", "方案"), ("NAME", "职工医保")]


def test_keyword_glued_to_name_is_one_name() -> None:
    assert raw_lexed("方案职工医保") == [("NAME", "方案职工医保")]
    assert raw_lexed("比例调整") == [("NAME", "比例调整")]


def test_scheme_tokens_in_context() -> None:
    assert lexed("方案 职工医保 { 比例 50% }") == [
        ("方案", "方案"), ("NAME", "职工医保"), ("LBRACE", "{"), ("比例", "比例"),
        ("NUMBER", "50"), ("PERCENT", "%"), ("RBRACE", "}"),
    ]


@pytest.mark.parametrize(("full", "ascii_"), [
    ("方案 甲 （险种 ＝ 职工医保） ｛ 比例 ６０％；｝", "方案 甲 (险种 = 职工医保) { 比例 60%; }"),
    ("方案 甲 { 比例 一级 ８０％，二级 ７０％。}", "方案 甲 { 比例 一级 80%, 二级 70%; }"),
    ("方案 甲 { 起付线 １２３．４５ 元 }", "方案 甲 { 起付线 123.45 元 }"),
])
def test_full_width_lexes_like_ascii(full: str, ascii_: str) -> None:
    assert lexed(full) == lexed(ascii_)


def test_folding_keeps_columns() -> None:
    text = "比例 一级 ８０％，二级"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "比例 一级 80%,二级"


def test_comments_are_ignored() -> None:
    assert lexed("# 注释 方案\n方案 甲 { # 行尾注释\n 比例 50% }  # 结束") == lexed("方案 甲 { 比例 50% }")


@pytest.mark.parametrize("date", ["2024-01-01", "2024-1-1", "2024年1月1日", "2024年12月31日"])
def test_dates(date: str) -> None:
    assert lexed(f"生效 {date}") == [("生效", "生效"), ("DATE", date)]


def test_date_is_not_a_number() -> None:
    assert raw_lexed("2024-01-01")[0][0] == "DATE"
    assert raw_lexed("2024")[0][0] == "NUMBER"


@pytest.mark.parametrize("unit", ["元", "万元", "%", "天", "个月", "月", "年"])
def test_units_after_numbers(unit: str) -> None:
    tokens = lexed(f"方案 甲 {{ 比例 50% 起付线 3 {unit} }}")
    names = {"元": "UNIT_YUAN", "万元": "UNIT_WAN_YUAN", "万": "UNIT_WAN", "%": "PERCENT", "天": "UNIT_DAY",
             "个月": "UNIT_MONTHS", "月": "UNIT_MONTH", "年": "UNIT_YEAR", "岁": "UNIT_AGE", "次": "UNIT_TIMES"}
    assert tokens[-3:-1] == [("NUMBER", "3"), (names[unit], unit)]


def test_unit_glued_to_number() -> None:
    assert lexed("方案 甲 { 起付线 500元 比例 50% }")[4:6] == [("NUMBER", "500"), ("UNIT_YUAN", "元")]


def test_unit_glued_to_a_following_keyword() -> None:
    assert lexed("方案 甲 { 分段 { 5万元以内 60% } }")[5:8] == [("NUMBER", "5"), ("UNIT_WAN_YUAN", "万元"), ("以内", "以内")]


def test_strings_in_three_quote_styles() -> None:
    for s in ('"文件"', "“文件”", "《文件》"):
        assert lexed(f"依据 {s}") == [("依据", "依据"), ("STRING", s)]


def test_every_keyword_is_cjk_and_named_for_itself() -> None:
    kws = keywords()
    assert {"方案", "起付线", "比例", "封顶线", "测试", "就诊", "期望", "舍入"} <= set(kws)
    # units are named UNIT_*: they take priority right after a number ("5万元以内")
    assert all(name == text or name.startswith("UNIT_") for text, name in kws.items())
