"""Unit-typed IR values: a mistake of units fails where it is written, and each value prints its unit."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest

from policylang import ir
from policylang.ir.values import (
    Age,
    Count,
    Days,
    FormulaKind,
    Money,
    Months,
    Number,
    Ratio,
    RoundingMode,
    magnitude,
)
from policylang.source import Span


def test_each_value_prints_with_its_own_unit() -> None:
    assert str(Money(123456)) == "1,234.56 元"
    assert str(Ratio(Fraction(17, 200))) == "8.5%"
    assert str(Days(98)) == "98 天"
    assert str(Months(3)) == "3 个月"
    assert str(Count(2)) == "2 次"


def test_operations_defined_where_they_mean_something() -> None:
    assert Money(100) + Money(50) == Money(150)
    exact = Money(1001) * Ratio(Fraction(1, 2))
    assert exact == Money(Fraction(1001, 2)) and not exact.whole
    assert exact.rounded(RoundingMode.HALF_UP) == Money(501)
    assert exact.rounded(RoundingMode.DOWN) == Money(500)
    assert Days(98) * Money(20000) == Money(1_960_000)
    assert Ratio(Fraction(4, 5)) + Ratio(Fraction(1, 20)) == Ratio(Fraction(17, 20))
    assert Money(1) < Money(2) and Ratio(0) < Ratio(1) and Days(1) < Days(2)


@pytest.mark.parametrize("mistake", [
    lambda: Money(100) + Ratio(Fraction(1, 2)),
    lambda: Ratio(Fraction(1, 2)) + Fraction(1, 20),
    lambda: Days(98) + Money(100),
    lambda: Money(100) + 100,
    lambda: Money(100) < 200,
    lambda: Ratio(Fraction(1, 2)) >= 0,
    lambda: Ratio(Fraction(4, 5)) + ir.Formula(ir.Num(Ratio(Fraction(4, 5))), FormulaKind.RATIO),
    lambda: int(Money(Fraction(1, 2))),
    lambda: Money(1.5),  # money is never a float
])
def test_a_unit_mistake_raises_type_error(mistake) -> None:
    with pytest.raises(TypeError):
        mistake()


def test_ages_and_plain_numbers_print_with_their_unit() -> None:
    assert str(Age(60)) == "60 岁" and str(Age(Fraction(121, 2))) == "121/2 岁"
    assert str(Number(12)) == "12"
    assert magnitude(Age(60)) == 60 and magnitude(Number(Fraction(1, 2))) == Fraction(1, 2)


def test_walk_skips_spans_by_metadata_not_by_name() -> None:
    span = Span("f", 1, 1, 1, 2)
    allowance = ir.Allowance(ir.Param("津贴天数", ()), rate="日工资", rate_origin=span)
    assert span not in list(ir.walk(allowance))
    assert "rate_origin" not in {f.name for f, _ in ir.node_fields(allowance)}

    @attrs.frozen
    class Novel:  # a future node with a span field of another name
        value: int
        where: Span | None = attrs.field(eq=False, default=None)

    assert list(ir.walk(Novel(1, span))) == [Novel(1, span), 1]
