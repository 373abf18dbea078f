"""Numbers in scripts are exact: an amount is either taken to the 分 or refused, never silently rounded."""

from __future__ import annotations

from fractions import Fraction

from conftest import compile_text

from policylang.api import check_path
from policylang.ir.values import Money, Ratio


def test_long_amount_is_exact_or_refused(script) -> None:
    path = script('地区 甲\n依据 "x"\n方案 甲 {\n 起付线 123456789012345678901234567891.01 元\n 比例 50%\n}\n')
    checked = check_path(path)
    if checked.policy is None:
        assert any(d.code == "E012" for d in checked.diagnostics)
    else:
        cell = checked.policy.schemes[0].layers[0].deductible.param.versions[0].table.cells[0]
        assert cell.value == Money(12345678901234567890123456789101)


def test_wan_yuan_and_decimals_are_exact() -> None:
    policy = compile_text('地区 甲\n依据 "x"\n方案 甲 {\n 起付线 0.05 万元\n 比例 33.3%\n 封顶线 1.25 万\n}\n')
    layer = policy.schemes[0].layers[0]
    assert layer.deductible.param.versions[0].table.cells[0].value == Money(50000)
    assert layer.caps[0].param.versions[0].table.cells[0].value == Money(1250000)
    assert layer.ratio.param.versions[0].table.cells[0].value == Ratio(Fraction(333, 1000))


def test_misplaced_keyword_in_a_claim_is_still_an_error(script) -> None:
    # a claim without an amount (and without items) is an error, not a claim of 0 元
    path = script('导入 "enums"\n方案 甲 { 比例 50% }\n测试 "t" {\n 参保人 职工医保 在职\n'
                  ' 就诊 2024-03-01 普通门诊 期望 统筹支付 60 元\n}\n')
    codes = {d.code for d in check_path(path).diagnostics if d.is_error}
    assert "E031" in codes
