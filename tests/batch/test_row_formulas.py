"""Formulas that read a claim field or the claim's own amounts, evaluated over columns (batch/wave/formulas.py):
exact as terms.formula_value, never once per distinct value of the field."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import numpy as np
import pytest
from batchcheck import assert_same, policy_of
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang import ir
from policylang.batch.columns import Columns, FactColumn
from policylang.batch.generate import generate
from policylang.batch.settle import settle_columns
from policylang.batch.wave import formulas
from policylang.batch.wave.rows import wave_fields
from policylang.ir import terms
from policylang.ir.values import ArithOp, Money, Number, PickOp


def _with_wages(cols: Columns, seed: int, missing_every: int = 0) -> Columns:
    """A 月工资 per person (every missing_every-th person without one)."""
    rng = np.random.default_rng(seed)
    wages = rng.integers(250_000, 3_000_000, size=int(cols.person.max()) + 1)
    values = tuple(int(w) for w in np.unique(wages))
    index = {v: i for i, v in enumerate(values)}
    codes = np.array([index[int(w)] for w in wages[cols.person]], dtype=np.int64)
    if missing_every:
        codes[cols.person % missing_every == 0] = -1
    return attrs.evolve(cols, facts={**cols.facts, "月工资": FactColumn(codes, values)})


def test_a_daily_rate_from_each_persons_wage_is_not_a_key() -> None:
    """日津贴 = 月工资 ÷ 30: one wage per person, yet the row-local lookups run per distinct key without it."""
    policy = policy_of("rounding_order")
    assert "月工资" not in wave_fields(policy)
    cols = _with_wages(generate(policy, 3_000, 300, seed=2), seed=3, missing_every=7)
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    assert any("缺少计算津贴所需的数值" in r for r in settled.reasons)  # a person without 月工资 is refused
    assert settled.money["津贴"].sum() > 0


def test_a_cap_from_the_claims_own_amounts() -> None:
    """封顶线 每次 = 取大(200 元, 全自费 × 2) reads the claim's 全自费: per row, no per-row lookups."""
    policy = policy_of("expressions2")
    assert "费用" not in wave_fields(policy)
    cols = generate(policy, 3_000, 300, seed=5)
    assert_same(policy, cols, settle_columns(policy, cols))


def _q(x: Fraction, n: int = 1) -> formulas.Q:
    return formulas.Q.const(x, n)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=-10**12, max_value=10**12, max_denominator=10**6), min_size=2, max_size=2),
       st.sampled_from(list(ArithOp)))
def test_exact_rationals_match_fractions(pair: list[Fraction], op: ArithOp) -> None:
    """+, −, ×, ÷ over the pair arrays equal Fraction arithmetic, int64 or promoted to Python integers."""
    a, b = pair
    if op == ArithOp.DIV and b == 0:
        return
    got = {ArithOp.ADD: lambda: formulas.add(_q(a), _q(b)), ArithOp.SUB: lambda: formulas.add(_q(a), _q(b), -1),
           ArithOp.MUL: lambda: formulas.mul(_q(a), _q(b)), ArithOp.DIV: lambda: formulas.div(_q(a), _q(b))}[op]()
    want = {ArithOp.ADD: lambda: a + b, ArithOp.SUB: lambda: a - b, ArithOp.MUL: lambda: a * b,
            ArithOp.DIV: lambda: a / b}[op]()
    assert Fraction(int(got.num[0]), int(got.den[0])) == want


@pytest.mark.parametrize("op", [PickOp.MIN, PickOp.MAX])
def test_pick_and_bounds_as_the_scalar_formula(op: PickOp) -> None:
    policy = policy_of("expressions2")
    wage = ir.FieldRef("月工资")
    expr = ir.Pick(op, (ir.Bin(ArithOp.DIV, wage, ir.Num(Number(Fraction(3)))), ir.Num(Money(50_000))))
    formula = ir.Formula(expr, ir.values.FormulaKind.MONEY, lower=Money(20_000), upper=Money(400_000))
    wages = [10_000, 100_000, 150_001, 1_300_000, 99_999_999]
    cols = Columns.from_records([{"参保人ID": str(k), "日期": dt.date(2024, 1, 1), "费用": 1, "月工资": w}
                                 for k, w in enumerate(wages)])
    ctx = formulas.Rows(policy, cols.facts, np.arange(len(wages)), np.zeros(len(wages), dtype=np.int64), {})
    got = formulas.money(formula, ctx)
    want = [int(terms.resolve(formula, policy, {"月工资": w}, dt.date(2024, 1, 1)).value) for w in wages]
    assert got.tolist() == want
