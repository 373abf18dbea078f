"""IR nodes accept only their typed values: a bare int where Money is expected, a Fraction where a Ratio is, a
kind string where an enumeration is, raises TypeError where the node is built; lowering builds typed values."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import compile_text

from policylang import ir
from policylang.api import check_path, compile_path
from policylang.ir.serial import IRFormatError
from policylang.ir.values import (
    Age,
    Count,
    Days,
    FormulaKind,
    Money,
    Months,
    Number,
    OperandKind,
    OperandUnit,
    Ratio,
    RoundingMode,
    SubsidyKind,
)

ROOT = Path(__file__).resolve().parents[2]


def _param(*values: object) -> ir.Param:
    return ir.Param("表", (ir.Version(None, None, ir.Table(tuple(ir.Cell((), v) for v in values))),))


def _policy(rounding: object = RoundingMode.HALF_UP) -> ir.Policy:
    return ir.Policy("甲", (), None, None, (), (), (), (), rounding)  # type: ignore[arg-type]


def test_a_bare_int_where_money_is_expected_raises() -> None:
    with pytest.raises(TypeError, match=r"OneOff.amount: Money expected, got 50000"):
        ir.OneOff(50000, Money(100000))  # type: ignore[arg-type]
    assert ir.OneOff(Money(50000), Money(100000)).amount == Money(50000)


@pytest.mark.parametrize(("build", "where"), [
    (lambda: ir.Cell((), 80000), "Cell.value"),
    (lambda: ir.Band(0, Money(100), Ratio(1)), "Band.lower"),
    (lambda: ir.Reference("工资", ((2023, 9_000_000),)), "Reference.values"),
    (lambda: ir.Deductible(ir.Scope.PERIOD, _param(Money(1)), step=10000), "Deductible.step"),
    (lambda: ir.SubsidyRule((), SubsidyKind.FIXED, 28000), "SubsidyRule.amount"),
    (lambda: ir.SubsidyRule((), SubsidyKind.SHARE, Money(1)), "SubsidyRule.amount"),  # 比例 holds a Ratio
    (lambda: ir.Formula(ir.Num(Number(1)), FormulaKind.MONEY, 60000), "Formula.lower"),
    (lambda: ir.Formula(ir.Num(Number(1)), FormulaKind.RATIO, Money(1)), "Formula.lower"),
    (lambda: ir.Num(Fraction(4, 5)), "Num.value"),
    (lambda: ir.Fixed(_param(Ratio(1))), "Fixed.param"),  # a ratio in a table of money
    (lambda: ir.Fixed(_param(ir.Formula(ir.Num(Ratio(1)), FormulaKind.RATIO))), "Fixed.param"),
    (lambda: ir.Ratio(_param(Money(1))), "Ratio.param"),
    (lambda: ir.Adjustment((), Fraction(1, 20)), "Adjustment.delta"),
    (lambda: ir.Cap(ir.Scope.STAY, _param(Money(1)), 90), "Cap.stay_days"),
    (lambda: ir.DaysAddition((), 15), "DaysAddition.days"),
    (lambda: ir.Allowance(_param(Money(1))), "Allowance.days"),
    (lambda: ir.Formula(ir.Num(Number(1)), "money"), "Formula.kind"),  # a kind string, not the enumeration
    (lambda: ir.Bin("+", ir.Num(Number(1)), ir.Num(Number(2))), "Bin.op"),
    (lambda: _policy("截尾"), "Policy.rounding"),
    (lambda: ir.Operand(OperandKind.CONST, Money(1), "分"), "Operand.unit"),
    (lambda: ir.Operand(OperandKind.CONST, Fraction(60), OperandUnit.AGE), "Operand.value"),
    (lambda: ir.Operand(OperandKind.CONST, Money(1), OperandUnit.DAYS), "Operand.value"),
    (lambda: ir.Operand(OperandKind.FIELD, "医院等级", OperandUnit.ENUM), "Operand.enumeration"),
    (lambda: ir.FieldDef("年龄", "年龄"), "FieldDef.type"),
])
def test_a_bare_or_wrong_value_is_refused_where_the_node_is_built(build, where) -> None:
    with pytest.raises(TypeError, match=where):
        build()


def test_the_typed_counterparts_build() -> None:
    ir.Cell((), Money(80000))
    ir.Band(Money(0), None, Ratio(1))
    ir.Reference("工资", ((2023, Money(9_000_000)),))
    ir.Deductible(ir.Scope.PERIOD, _param(Money(1), ir.RefValue("工资", -1)), step=Money(10000))
    ir.SubsidyRule((), SubsidyKind.SHARE, Ratio(Fraction(1, 2)), Money(1))
    ir.SubsidyRule((), SubsidyKind.FULL)
    ir.Formula(ir.Num(Number(1)), FormulaKind.MONEY, Money(60000), Money(180000))
    ir.Fixed(_param(ir.Formula(ir.Num(Money(1)), FormulaKind.MONEY)))
    ir.Ratio(_param(Ratio(1), ir.Formula(ir.Num(Ratio(1)), FormulaKind.RATIO)))
    ir.Cap(ir.Scope.STAY, _param(Money(1)), Days(90))
    ir.Allowance(_param(Days(98)), rate="日工资")
    _policy(RoundingMode.DOWN)
    for value, unit in ((Money(1), OperandUnit.MONEY), (Days(1), OperandUnit.DAYS), (Months(3), OperandUnit.MONTHS),
                        (Count(2), OperandUnit.COUNT), (Age(60), OperandUnit.AGE)):
        ir.Operand(OperandKind.CONST, value, unit)
    ir.Operand(OperandKind.FIELD, "医院等级", OperandUnit.ENUM, "医院等级")


def test_the_loader_refuses_a_bare_value_with_a_located_reason() -> None:
    data = json.loads(json.dumps(ir.to_json(compile_path(ROOT / "tests" / "vocabulary" / "maternity"))))
    cell = data["policy"]["schemes"][0]["layers"][0]["fixed"]["param"]["versions"][0]["table"]["cells"][0]
    cell["value"] = 280000  # 分, but not Money
    with pytest.raises(IRFormatError, match=r"layers\[0\]\.fixed.*无法构造 Cell"):
        ir.from_json(data)


_SCRIPT = """地区 测试市
依据 《测试细则》
导入 "fields"

方案 门诊 (险种 = 职工医保) {
    要求 年龄 >= 18 岁 否则 "未满 18 岁"
    要求 年龄 < 男 60 岁, 女 55 岁 否则 "已到退休年龄"
    要求 医院等级 = 三级 否则 "只在三级医院"
    起付线 每90天 500 元
    比例 = 80% - 年龄 × 0.1%，最低 60%
}
"""


def _requirements() -> tuple[ir.Requirement, ...]:
    policy = compile_text(_SCRIPT)
    assert policy is not None
    return policy.schemes[0].requirements


def test_lowering_types_ages_in_requirements() -> None:
    minimum, table, _ = _requirements()
    (_, age_field), = minimum.predicate.lhs.terms
    (_, bound), = minimum.predicate.rhs.terms
    assert (age_field.unit, bound.unit, bound.value) == (OperandUnit.AGE, OperandUnit.AGE, Age(18))
    assert [c.value for c in table.predicate.rhs.cells] == [Age(60), Age(55)]


def test_lowering_names_the_enumeration_of_an_enum_comparison() -> None:
    *_, level = _requirements()
    (_, field), = level.predicate.lhs.terms
    (_, value), = level.predicate.rhs.terms
    assert (field.unit, field.enumeration, value.kind, value.value, value.enumeration) == (
        OperandUnit.ENUM, "医院等级", OperandKind.CONST, "三级", "医院等级")


def test_lowering_types_stay_days_and_formula_constants() -> None:
    policy = compile_text(_SCRIPT)
    assert policy is not None
    layer = policy.schemes[0].layers[0]
    assert layer.deductible.stay_days == Days(90)
    formula = layer.ratio.param.versions[0].table.cells[0].value
    assert isinstance(formula, ir.Formula) and formula.lower == Ratio(Fraction(3, 5))
    assert formula.expr.left == ir.Num(Ratio(Fraction(4, 5))) and formula.expr.left.unit == "ratio"


def test_a_count_constant_must_be_whole(tmp_path: Path) -> None:
    """Count holds whole numbers: 1.5 次 in a requirement is E036 (it used to be compared as 3/2)."""
    (tmp_path / "t.policy").write_text(_SCRIPT.replace("年龄 >= 18 岁", "胎数 >= 1.5 次"), encoding="utf-8")
    checked = check_path(tmp_path)
    assert [(d.code, d.message) for d in checked.diagnostics if d.is_error] == [("E036", "次数 应为整数：1.5")]
