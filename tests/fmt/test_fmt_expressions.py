"""fmt keeps expressions and normalises their spacing: 取小(…) tight, 200 元/天 tight, a cell's (…) kept."""

from __future__ import annotations

from policylang.tools.fmt import format_text

MESSY = """方案 甲 (险种 = 职工医保) {
  封顶线 年度 = 取小 ( 缴费月数÷12个月 ,1 )×5000元,最低 上年度 职工平均工资×1%
  定额 = 住院天数 × 200 元 / 天
 起付线 一级 ( 上年度 职工平均工资 × 1% ,最低 600 元 ), 二级 (1%)
}
"""

CANONICAL = """方案 甲 (险种 = 职工医保) {
    封顶线 年度 = 取小(缴费月数 ÷ 12 个月, 1) × 5000 元, 最低 上年度 职工平均工资 × 1%
    定额 = 住院天数 × 200 元/天
    起付线 一级 (上年度 职工平均工资 × 1%, 最低 600 元), 二级 (1%)
}
"""


def test_expressions_are_laid_out_canonically() -> None:
    assert format_text(MESSY).text == CANONICAL


def test_the_layout_is_a_fixed_point() -> None:
    assert format_text(CANONICAL).text == CANONICAL
