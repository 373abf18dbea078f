"""AST shape and spans: what the parser builds from a script, and where each node came from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse, parse_date

SCRIPT = """\
地区 湖北省随州市
依据 《细则》 文号 "随医保发〔2024〕1号"
生效 2024-01-01 至 2024年12月31日
导入 "enums"
舍入 截尾

方案 职工医保 门诊 (险种 = 职工医保, 就医类型 = 普通门诊/急诊) {
    周期 社保年度 自 7 月 起
    起付线 每次 在职 500 元, 退休 400 元
    比例 一级 80%, 二级 70% 自 2024-03-01 起
    退休 比例 提高 5%
    封顶线 每日 1.5 万元
}

测试 "一例" {
    参保人 职工医保 人员类别=在职
    就诊 2024-03-01 普通门诊 一级 2000 元 期望 统筹支付 1050 元, 个人自付 950 元
}
"""


def module() -> ast.Module:
    m, diags = parse(Source("x.policy", SCRIPT))
    assert diags == []
    assert m is not None
    return m


def test_top_level_items_in_order() -> None:
    kinds = [type(i).__name__ for i in module().items]
    assert kinds == ["Region", "Basis", "Effective", "Import", "Rounding", "Scheme", "Test"]


def test_header_values() -> None:
    region, basis, effective, imp, rounding, *_ = module().items
    assert region.name == "湖北省随州市"
    assert (basis.title, basis.number) == ("《细则》"[1:-1], "随医保发〔2024〕1号")
    assert effective.validity.start.value == dt.date(2024, 1, 1)
    assert effective.validity.end.value == dt.date(2024, 12, 31)
    assert imp.name == "enums"
    assert rounding.mode == "截尾"


def test_scheme_shape() -> None:
    scheme = module().items[5]
    assert scheme.name == "职工医保 门诊"
    assert [(c.field.text, [v.text for v in c.values]) for c in scheme.when] == [
        ("险种", ["职工医保"]), ("就医类型", ["普通门诊", "急诊"])]
    period, ded, ratio, adj, cap = scheme.body
    assert period == ast.Period("社保年度", ast.Quantity(Decimal(7), "月", None), None)
    assert (ded.kind, ded.scope) == ("起付线", "每次")
    assert [([n.text for k in e.keys for n in k.values], e.value.number, e.value.unit) for e in ded.entries] == [
        (["在职"], Decimal(500), "元"), (["退休"], Decimal(400), "元")]
    assert ratio.validity.start.value == dt.date(2024, 3, 1) and ratio.validity.end is None
    assert (adj.op, adj.delta.number, [n.text for k in adj.keys for n in k.values]) == ("提高", Decimal(5), ["退休"])
    assert (cap.scope, cap.entries[0].value) == ("每日", ast.Quantity(Decimal("1.5"), "万元", None))


def test_test_block_shape() -> None:
    test = module().items[6]
    person, claim = test.body
    assert test.name == "一例"
    assert person.attrs[1].field.text == "人员类别" and person.attrs[1].value.text == "在职"
    assert claim.date.value == dt.date(2024, 3, 1)
    assert [a.value.text for a in claim.attrs] == ["普通门诊", "一级"]
    assert claim.amount.number == 2000
    assert [(e.name.text, e.value.number) for e in claim.expects] == [("统筹支付", 1050), ("个人自付", 950)]


def test_spans_are_line_and_column() -> None:
    items = module().items
    scheme, test = items[5], items[6]
    assert (scheme.span.line, scheme.span.column) == (7, 1)
    assert (scheme.span.end_line, scheme.span.end_column) == (13, 2)
    assert (scheme.name_span.line, scheme.name_span.column, scheme.name_span.end_column) == (7, 4, 11)
    ded = scheme.body[1]
    assert (ded.span.line, ded.span.column) == (9, 5)
    entry = ded.entries[1]
    assert (entry.span.line, entry.span.column, entry.span.end_column) == (9, 22, 30)
    assert (entry.value.span.column, entry.value.span.end_column) == (25, 30)
    claim = test.body[1]
    assert (claim.date.span.line, claim.date.span.column) == (17, 8)
    assert all(n.span.file == "x.policy" for n in (scheme, ded, entry, claim))


def test_spans_ignored_by_equality() -> None:
    a = parse(Source("a.policy", "方案 甲 { 比例 50% }"))[0]
    b = parse(Source("b.policy", "\n\n方案   甲 {\n 比例 50%\n}"))[0]
    assert a.items == b.items


def test_strings_keep_full_width_text() -> None:
    m = parse(Source("x", "说明 “（全角）１２３”"))[0]
    assert m.items[0].text == "（全角）１２３"


def test_full_width_script_gives_the_same_ast() -> None:
    ascii_ = parse(Source("x", "方案 甲 (险种 = 职工医保) { 比例 一级 80%, 二级 70%; 封顶线 1300 元; }"))[0]
    full = parse(Source("x", "方案 甲 （险种 ＝ 职工医保） ｛ 比例 一级 ８０％，二级 ７０％；封顶线 １３００ 元。｝"))[0]
    assert ascii_.items == full.items


def test_empty_and_comment_only_scripts() -> None:
    for text in ("", "   \n", "# 只有注释\n"):
        m, diags = parse(Source("x", text))
        assert diags == [] and m is not None and m.items == ()


def test_parse_date_forms() -> None:
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_date("2024年2月9日") == dt.date(2024, 2, 9)
    assert parse_date("2023-02-29") is None
    assert parse_date("2024年13月1日") is None
    assert parse_date("24-1-1") is None
