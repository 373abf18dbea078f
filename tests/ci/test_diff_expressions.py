"""A changed expression — in a cell, in a bound — shows as a change with both texts; the same expression
written with other spacing shows none."""

from __future__ import annotations

from ci.helpers import write_region
from policylang.api import compile_path
from policylang.tools.diff import CHANGED, diff_policies

RULES = """地区 测试市
依据 《测试办法》
导入 "fields"
字段 缴费月数 月数 默认 12 个月
参考值 职工平均工资 2023 年 90000 元, 2024 年 120000 元
方案 职工住院 (险种 = 职工医保, 就医类型 = 住院) {
    起付线 每次住院 一级 (上年度 职工平均工资 × 0.5%), 三级 (上年度 职工平均工资 × 1%，最低 1500 元)
    比例 80%
    封顶线 年度 = 取小(缴费月数 ÷ 12 个月, 1) × 50000 元，最低 上年度 职工平均工资 × 10%
}
"""


def _changes(tmp_path, new: str):
    a = compile_path(write_region(tmp_path / "old", RULES))
    b = compile_path(write_region(tmp_path / "new", new))
    return diff_policies(a, b)


def test_same_expressions_respaced_are_no_change(tmp_path) -> None:
    assert _changes(tmp_path, RULES.replace(" × ", "×").replace("，", ",")) == ()


def test_a_changed_cell_and_a_changed_bound_are_changes(tmp_path) -> None:
    new = RULES.replace("最低 1500 元", "最低 1600 元").replace("× 10%", "× 12%")
    changes = _changes(tmp_path, new)
    assert {c.status for c in changes} == {CHANGED}
    shown = {(c.old, c.new) for c in changes}
    assert ("= 上年度职工平均工资 × 1%，最低 1,500.00 元", "= 上年度职工平均工资 × 1%，最低 1,600.00 元") in shown
    assert ("= 取小(缴费月数 ÷ 12 个月, 1) × 50000 元，最低 上年度职工平均工资 × 10%",
            "= 取小(缴费月数 ÷ 12 个月, 1) × 50000 元，最低 上年度职工平均工资 × 12%") in shown
