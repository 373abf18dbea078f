"""Names as officers write them: digits inside a name, 〇, and a bracketed part glued to the name.

The rule (grammar/policy.lark, NAME): ASCII digits belong to a name when a letter that does not start a unit
follows them; a bracket belongs to a name when it is glued to name characters on both sides. Everything
else lexes as before: numbers with units (5万元以内, 60岁以上, 第2次, 超过2000元), dates, conditions after a
space (方案 甲 (在职)). tests/parse/test_lexer.py pins the rest of the lexer.
"""

from __future__ import annotations

import pytest

from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse
from tests.parse.test_lexer import after, lexed

IN_TABLE = "方案 甲 { 比例 "


@pytest.mark.parametrize(("text", "name"), [
    ("一九九〇年前参加工作", "一九九〇年前参加工作"),
    ("〇号病区", "〇号病区"),
    ("2型糖尿病", "2型糖尿病"),
    ("某市2区", "某市2区"),
    ("某市12区A", "某市12区A"),
    ("第3类", "第3类"),
    ("某市(试点)", "某市(试点)"),
    ("某市（试点）", "某市(试点)"),
    ("某病(轻度)甲", "某病(轻度)甲"),
    ("某(2)", "某(2)"),
    ("B2超检查", "B2超检查"),
])
def test_one_name(text: str, name: str) -> None:
    assert after(IN_TABLE, f"{text} 80%")[0] == ("NAME", name)


@pytest.mark.parametrize(("text", "tokens"), [
    ("60岁", [("NUMBER", "60"), ("UNIT_AGE", "岁")]),
    ("3个月", [("NUMBER", "3"), ("UNIT_MONTHS", "个月")]),
    ("90天", [("NUMBER", "90"), ("UNIT_DAY", "天")]),
    ("2次", [("NUMBER", "2"), ("UNIT_TIMES", "次")]),
])
def test_numbers_with_units_are_not_names(text: str, tokens: list[tuple[str, str]]) -> None:
    assert after("方案 甲 { 封顶线 年度 ", text)[:len(tokens)] == tokens


def test_a_bound_glued_to_its_unit_keeps_its_keyword() -> None:
    assert after("方案 甲 { 分段 { ", "5万元以内 50%")[:3] == [("NUMBER", "5"), ("UNIT_WAN_YUAN", "万元"), ("以内", "以内")]


@pytest.mark.parametrize(("text", "first"), [
    ("方案 甲 { 起付线 第2次 80% }", [("起付线", "起付线"), ("第", "第"), ("NUMBER", "2"), ("UNIT_TIMES", "次")]),
    ("方案 甲 { 起付线 每90天 500元 }", [("起付线", "起付线"), ("每", "每"), ("NUMBER", "90"), ("UNIT_DAY", "天")]),
    ("方案 甲 { 分段 { 超过2000元 50% } }", [("分段", "分段"), ("LBRACE", "{"), ("超过", "超过"), ("NUMBER", "2000")]),
    ("方案 甲 { 分段 { 超过2000 元 50% } }", [("分段", "分段"), ("LBRACE", "{"), ("超过", "超过"), ("NUMBER", "2000")]),
    ("方案 甲 自2024-01-01起 { }", [("NAME", "甲"), ("自", "自"), ("DATE", "2024-01-01"), ("起", "起")]),
    ("方案 甲 从2024年1月1日起 { }", [("NAME", "甲"), ("从", "从"), ("DATE", "2024年1月1日"), ("起", "起")]),
    ("方案 甲 { 分段 { 1000元(含)以上 50% } }", [("分段", "分段"), ("LBRACE", "{"), ("NUMBER", "1000"),
                                                ("UNIT_YUAN", "元"), ("LPAR", "(")]),
])
def test_glued_numbers_keep_their_tokens(text: str, first: list[tuple[str, str]]) -> None:
    tokens = lexed(text)
    start = next(i for i, t in enumerate(tokens) if t == first[0])
    assert tokens[start:start + len(first)] == first


def test_conditions_after_a_space_stay_conditions() -> None:
    assert lexed("方案 甲 (在职) { }")[:4] == [("方案", "方案"), ("NAME", "甲"), ("LPAR", "("), ("NAME", "在职")]
    assert lexed("方案 甲(在职) { }")[:3] == [("方案", "方案"), ("NAME", "甲(在职)"), ("LBRACE", "{")]


def test_a_bracket_not_glued_on_both_sides_is_punctuation() -> None:
    assert lexed("方案 甲( 乙) { }")[1:3] == [("NAME", "甲"), ("LPAR", "(")]
    assert lexed("方案 甲() { }")[1:3] == [("NAME", "甲"), ("LPAR", "(")]


def test_names_keep_full_width_brackets_in_the_ast() -> None:
    module, diags = parse(Source("x", "地区 某市（试点）\n枚举 病种 { 某病(轻度), 2型糖尿病 }"))
    assert not diags and module is not None
    region, enum = module.items
    assert isinstance(region, ast.Region) and region.name == "某市（试点）"
    assert isinstance(enum, ast.EnumDef) and [v.text for v in enum.values] == ["某病（轻度）", "2型糖尿病"]


def test_digits_at_the_end_of_a_word_are_a_number() -> None:
    """超过2000 元 must stay 超过 · 2000 · 元, so a name never ends in digits."""
    assert after(IN_TABLE, "病区1 80%")[:2] == [("NAME", "病区"), ("NUMBER", "1")]
