"""ir.terms: the row-local semantics every backend shares, each pinned once here."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from policylang import ir
from policylang.ir import terms
from policylang.ir.values import Days, Money, Ratio

D = dt.date


def test_overlap_of_validity_intervals() -> None:
    assert terms.overlap(None, None, D(2024, 1, 1), D(2024, 12, 31))
    assert terms.overlap(D(2024, 1, 1), D(2024, 6, 30), D(2024, 6, 30), None)  # both ends inclusive
    assert not terms.overlap(D(2024, 1, 1), D(2024, 6, 29), D(2024, 6, 30), None)
    assert not terms.overlap(D(2025, 1, 1), None, None, D(2024, 12, 31))


def _adj(delta: str, lower: str | None = None, upper: str | None = None) -> ir.Adjustment:
    return ir.Adjustment((), Ratio(Fraction(delta)), lower=lower and Ratio(Fraction(lower)),
                         upper=upper and Ratio(Fraction(upper)))


def test_adjustments_in_order_with_bounds_then_the_clamp() -> None:
    r = Ratio(Fraction(85, 100))
    assert terms.adjust(_adj("1/10", upper="9/10"), r) == (Ratio(Fraction(9, 10)), Ratio(Fraction(9, 10)))
    # a bound never moves a ratio against the adjustment: already above 最高, it stays
    assert terms.adjust(_adj("1/10", upper="4/5"), r) == (r, Ratio(Fraction(4, 5)))
    assert terms.final_ratio(r, (_adj("1/10"), _adj("1/10")), {}, D(2024, 1, 1)) == Ratio(1)
    assert terms.final_ratio(r, (_adj("-1"),), {}, D(2024, 1, 1)) == Ratio(0)


def test_reference_value_by_year_or_missing() -> None:
    policy = ir.Policy("甲", (), None, None, (), (), (), (), references=(ir.Reference("工资", ((2023, Money(9_000_000)),)),))
    assert terms.reference_value(policy, ir.RefValue("工资", -1), D(2024, 3, 1)) == Money(9_000_000)
    with pytest.raises(terms.Missing, match="2024 年的工资"):
        terms.reference_value(policy, ir.RefValue("工资", 0), D(2024, 3, 1))


def test_allowance_days_add_up() -> None:
    cell = ir.Cell((), Days(98))
    allowance = ir.Allowance(ir.Param("津贴天数", (ir.Version(None, None, ir.Table((cell,))),)),
                             (ir.DaysAddition((ir.Condition("分娩方式", frozenset({"难产"})),), Days(15)),),
                             (ir.DaysPerCount("胎数", 1, Days(15)),))
    found = terms.allowance_days(allowance, {"分娩方式": "难产", "胎数": 3}, D(2024, 1, 1))
    assert found.total == Days(98 + 15 + 30)
    assert terms.allowance_days(allowance, {"胎数": 1}, D(2024, 1, 1)).total == Days(98)
