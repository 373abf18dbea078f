"""A citizen reads an expression in words, never as a formula: 上年度职工平均工资的1%，最低1,500元."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang import ir
from policylang.api import compile_path
from policylang.ir.wording import formula_cn, value_text

REGION = Path(__file__).resolve().parents[1] / "vocabulary" / "expressions2"


@pytest.fixture(scope="module")
def formulas() -> dict[str, ir.Formula]:
    policy = compile_path(REGION)
    return {o.text: o for o in ir.walk(policy.schemes) if isinstance(o, ir.Formula)}


@pytest.mark.parametrize(("text", "words"), [
    ("上年度职工平均工资 × 0.5%", "上年度职工平均工资的0.5%"),
    ("取小(缴费月数 ÷ 12 个月, 1) × 50000 元", "（缴费月数除以12个月与1中较小者）乘以5万元，最低上年度职工平均工资的10%"),
    ("取大(200 元, 全自费 × 2)", "200元与本次就诊的全自费的2倍中较大者"),
    ("住院天数 × 200 元/天", "住院天数乘以每天200元"),
    ("98 天 + 取小(胎数 - 1 次, 2 次) × 15 天/次", "98天加（胎数减1次与2次中较小者）乘以每次15天"),
    ("月工资 ÷ 30 天", "月工资除以30天，最低每天100元"),
])
def test_formulas_in_words(formulas, text: str, words: str) -> None:
    assert formula_cn(formulas[text]) == words
    assert "×" not in words and "÷" not in words


def test_the_officers_form_shows_bounds_so_a_diff_sees_them(formulas) -> None:
    assert value_text(formulas["月工资 ÷ 30 天"]) == "= 月工资 ÷ 30 天，最低 100 元/天"


def test_the_page_says_what_a_cell_computes(page_html) -> None:
    html = page_html("expressions2")
    assert "三级：起付线（每次住院）为上年度职工平均工资的1%，最低1,500元；2024 年为 1,500元（按最低值）" in html
    assert "其中本次就诊的全自费按参保人本人（或本次就诊）的实际情况计算，因人而异" in html
