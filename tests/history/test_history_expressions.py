"""A new version of an expression is listed in the history in a citizen's words."""

from __future__ import annotations

from pathlib import Path

from policylang.api import check_path
from policylang.tools.history import history, sentence

SCRIPT = """\
地区 历史示例
导入 "fields"
字段 缴费月数 月数 默认 12 个月
参考值 职工平均工资 2023 年 90000 元, 2024 年 120000 元

方案 职工住院 (险种 = 职工医保, 就医类型 = 住院) {
    起付线 每次住院 一级 (上年度 职工平均工资 × 0.5%), 三级 1000 元 至 2023-12-31
    起付线 每次住院 一级 (上年度 职工平均工资 × 1%，最低 800 元), 三级 1000 元 自 2024-01-01 起
    比例 80%
    封顶线 年度 = 取小(缴费月数 ÷ 12 个月, 1) × 50000 元 至 2023-12-31
    封顶线 年度 = 取小(缴费月数 ÷ 12 个月, 1) × 60000 元 自 2024-01-01 起
}
"""


def test_changed_expressions_are_listed_in_words(tmp_path: Path) -> None:
    path = tmp_path / "rules.policy"
    path.write_text(SCRIPT, encoding="utf-8")
    checked = check_path(path)
    lines = [sentence(c) for c in history(checked.policy)]
    assert any("一级 每次住院起付线由上年度职工平均工资的0.5%调整为上年度职工平均工资的1%，最低800元" in x for x in lines)
    assert any("年度封顶线由（缴费月数除以12个月与1中较小者）乘以5万元调整为（缴费月数除以12个月与1中较小者）乘以6万元" in x
               for x in lines)
    assert not any("三级" in x for x in lines)  # an unchanged constant cell is no change
