"""Lexer pins: how Chinese keywords, names, full-width characters, dates and units are tokenised.

Every case runs the parser's own lexer (the contextual one, driven by the parser state), never a
stand-alone lexer: a pin on a lexer the parser does not run would pin behaviour no user sees.
"""

from __future__ import annotations

import pytest
from lark.exceptions import UnexpectedInput

from policylang.source import Source, fold_width
from policylang.syntax.parser import _lark, build_lark, keywords, parse


def lexed(text: str) -> list[tuple[str, str]]:
    """Tokens as the LALR parser sees them, up to and including the first token it cannot accept."""
    ip = _lark().parse_interactive(fold_width(text))
    out: list[tuple[str, str]] = []
    try:
        for t in ip.iter_parse():  # yields each token before feeding it, so the refused one is kept
            out.append((t.type, str(t)))
    except UnexpectedInput:
        pass
    return out


def after(prefix: str, text: str) -> list[tuple[str, str]]:
    """The tokens of text when it follows prefix (the prefix puts the parser in a context)."""
    return lexed(prefix + text)[len(lexed(prefix)):]


# A context (text that leaves the parser where a statement may start) → the keyword that starts one there.
CONTEXTS = {
    "top level": ("", "方案"),
    "scheme block": ("方案 甲 { ", "比例"),
    "layer block": ("方案 甲 { 层 大病 { ", "比例"),
    "subsidy block": ("资助 按 类别 { ", "说明"),
    "question block": ("判断 可报 { ", "允许"),
    "test block": ('测试 "t" { ', "参保人"),
    "enum block": ("枚举 等级 { ", None),
    "brackets": ("方案 甲 { 分段 { ", None),
}


def test_grammar_is_strict() -> None:
    """No shift/reduce conflict and no terminal collision: strict mode would refuse to load the grammar."""
    assert _lark().options.strict
    build_lark(cache=False)  # a cached parser skips the analysis; build it afresh


def test_keyword_then_space_then_name() -> None:
    assert lexed("方案 职工医保") == [("方案", "方案"), ("NAME", "职工医保")]


@pytest.mark.parametrize("context", CONTEXTS, ids=list(CONTEXTS))
def test_keyword_glued_to_a_name_is_one_name_in_every_context(context: str) -> None:
    prefix, keyword = CONTEXTS[context]
    if keyword:
        assert after(prefix, f"{keyword} 甲")[0] == (keyword, keyword)
        assert after(prefix, f"{keyword}甲") == [("NAME", f"{keyword}甲")]
    assert after(prefix, "比例调整")[0] == ("NAME", "比例调整")
    assert after(prefix, "方案职工医保")[0] == ("NAME", "方案职工医保")


@pytest.mark.parametrize(("text", "name"), [
    ("方案职工医保 { 比例 50% }", "方案职工医保"),
    ("方案 甲 { 比例一级 80% }", "比例一级"),
    ("方案 甲 { 层 大病 { 封顶线年度 30万元 } }", "封顶线年度"),
    ('测试 "t" { 参保人在职 }', "参保人在职"),
])
def test_glued_keyword_is_an_unknown_word_at_top_level_as_in_blocks(text: str, name: str) -> None:
    assert ("NAME", name) in lexed(text)  # one word: no keyword is cut off its front
    _, diags = parse(Source("x", text))
    assert [d.code for d in diags] == ["E002"] and name in diags[0].message


def test_keyword_where_it_cannot_stand_is_a_name() -> None:
    # after 方案 only a name may follow, so 比例 here is the scheme's name (kept: scripts use such names)
    assert lexed("方案 比例 { 比例 50% }")[:2] == [("方案", "方案"), ("NAME", "比例")]


def test_a_keyword_followed_by_a_digit_ends_there() -> None:
    assert lexed("方案 甲 { 比例50% }")[3:6] == [("比例", "比例"), ("NUMBER", "50"), ("PERCENT", "%")]


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
    assert lexed("生效 2024-01-01")[1][0] == "DATE"
    assert after("方案 甲 { 比例 ", "2024")[0] == ("NUMBER", "2024")


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


def test_yes_and_no_are_keywords_only_where_an_answer_stands() -> None:
    ask = '测试 "t" { 参保人 在职 询问 2024-01-01 可报 期望 是 }'
    assert lexed(ask)[-2:] == [("是", "是"), ("RBRACE", "}")]
    assert after("枚举 答 { ", "是 否 }") == [("NAME", "是"), ("NAME", "否"), ("RBRACE", "}")]


def test_strings_in_three_quote_styles() -> None:
    for s in ('"文件"', "“文件”", "《文件》"):
        assert lexed(f"依据 {s}") == [("依据", "依据"), ("STRING", s)]


def test_every_keyword_is_cjk_and_named_for_itself() -> None:
    kws = keywords()
    assert {"方案", "起付线", "比例", "封顶线", "测试", "就诊", "期望", "舍入"} <= set(kws)
    # units are named UNIT_*: they take priority right after a number ("5万元以内")
    assert all(name == text or name.startswith("UNIT_") for text, name in kws.items())


def test_a_per_unit_field_stands_after_每_with_a_space():
    """每 床日数 is the keyword 每 and a name; 每床日数 is one name (a table key), as every keyword rule says."""
    from policylang.source import Source
    from policylang.syntax.parser import parse

    module, diags = parse(Source("t.policy", "方案 住院 {\n    封顶线 每 床日数 200 元\n    定额 每 护理天数 50 元\n"
                                 "    支付后扣除 每次 5 元\n    封顶后扣除 每 就诊人次 1 元\n}\n"))
    assert not diags
    stmts = module.items[0].body
    assert [(s.kind, s.scope, s.per.text if s.per else None) for s in stmts] == [
        ("封顶线", None, "床日数"), ("定额", None, "护理天数"), ("支付后扣除", "每次", None), ("封顶后扣除", None, "就诊人次")]
    module, _ = parse(Source("t.policy", "方案 住院 {\n    封顶线 每床日数 200 元\n}\n"))
    (cap,) = module.items[0].body
    assert cap.per is None and cap.entries[0].keys[0].values[0].text == "每床日数"
