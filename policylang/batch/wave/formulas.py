"""Formulas (ir.Formula over ir.Arith) evaluated over columns: exact rationals per row, as terms.formula_value.

A formula that reads a claim's field (月工资) or its own amounts (全自费) differs from row to row, so looking it
up once per distinct key would mean once per row. Here it is one NumPy expression per node: a value is a pair
of integer arrays (numerator, denominator > 0), int64 while the magnitudes allow and Python integers (object
arrays) beyond, so nothing is ever rounded before the formula's own rounding. A row whose value cannot be had
(a missing field, a missing year of a reference value, a division by 0) gets the scalar evaluator's reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from fractions import Fraction

import attrs
import numpy as np

from policylang import ir
from policylang.batch.columns import FactColumn, from_day
from policylang.batch.segments import round_div
from policylang.ir import terms
from policylang.ir.values import ArithOp, FieldType, FormulaKind, PickOp, RoundTo, magnitude

_SAFE = 1 << 31  # int64 products of two values below this cannot overflow


@attrs.frozen
class Q:
    """Exact rationals per row."""

    num: np.ndarray
    den: np.ndarray

    @classmethod
    def const(cls, value: Fraction, n: int) -> Q:
        return cls(np.full(n, value.numerator, dtype=_dtype(value.numerator)),
                   np.full(n, value.denominator, dtype=_dtype(value.denominator)))


def _dtype(x: int):
    return np.int64 if abs(x) < _SAFE else object


def _big(*arrays: np.ndarray) -> bool:
    return any(a.dtype == object or (len(a) and int(np.abs(a).max()) >= _SAFE) for a in arrays)


def _norm(num: np.ndarray, den: np.ndarray) -> Q:
    if num.dtype == object or den.dtype == object:
        g = np.array([abs(_gcd(int(a), int(b))) or 1 for a, b in zip(num, den, strict=True)], dtype=object)
        num, den = num // g, den // g
        if not _big(num, den):
            num, den = num.astype(np.int64), den.astype(np.int64)
        return Q(num, den)
    g = np.gcd(num, den)
    g[g == 0] = 1
    return Q(num // g, den // g)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _wide(*arrays: np.ndarray) -> list[np.ndarray]:
    return [a.astype(object) for a in arrays] if _big(*arrays) else list(arrays)


def add(a: Q, b: Q, sign: int = 1) -> Q:
    an, ad, bn, bd = _wide(a.num, a.den, b.num, b.den)
    return _norm(an * bd + sign * bn * ad, ad * bd)


def mul(a: Q, b: Q) -> Q:
    an, ad, bn, bd = _wide(a.num, a.den, b.num, b.den)
    return _norm(an * bn, ad * bd)


def div(a: Q, b: Q) -> Q:
    """a / b where b ≠ 0 (rows with b = 0 give 0; the caller refuses them)."""
    bn = np.where(b.num == 0, 1, b.num)
    sign = np.where(bn < 0, -1, 1)
    return mul(a, _norm(b.den * sign, bn * sign))


def less(a: Q, b: Q) -> np.ndarray:
    an, ad, bn, bd = _wide(a.num, a.den, b.num, b.den)
    return np.asarray(an * bd < bn * ad, dtype=bool)


def pick(a: Q, b: Q, take_b: np.ndarray) -> Q:
    num = np.where(take_b, b.num, a.num)
    den = np.where(take_b, b.den, a.den)
    return Q(num if num.dtype != object or _big(num) else num.astype(np.int64),
             den if den.dtype != object or _big(den) else den.astype(np.int64))


@attrs.define
class Rows:
    """What a formula may read for its rows: facts, the version day, the claim's own amounts."""

    policy: ir.Policy
    facts: Mapping[str, FactColumn]
    rows: np.ndarray  # positions into the facts' columns
    day: np.ndarray  # version day number per row
    amounts: Mapping[str, np.ndarray]  # 费用, 政策范围内费用, 全自费, 先行自付 per row
    why: np.ndarray = attrs.field(init=False)  # per row: why the value cannot be had ("" = fine)

    def __attrs_post_init__(self) -> None:
        self.why = np.full(len(self.rows), "", dtype=object)

    def fail(self, mask: np.ndarray, text: str | np.ndarray) -> None:
        fresh = mask & (self.why == "")
        self.why[fresh] = text if isinstance(text, str) else text[fresh]


def _field(node: ir.FieldRef, ctx: Rows) -> Q:
    n = len(ctx.rows)
    col = ctx.facts.get(node.name)
    fdef = ctx.policy.field(node.name)
    scale = Fraction(1, 12) if fdef is not None and fdef.type == FieldType.YEARS else Fraction(1)
    if col is None:
        ctx.fail(np.ones(n, dtype=bool), f"缺少“{node.name}”")
        return Q.const(Fraction(0), n)
    table = [None if v is None or isinstance(v, str | dt.date) else Fraction(v) * scale for v in col.values]
    ok = np.array([v is not None for v in table] + [False], dtype=bool)
    nums = [v.numerator if v is not None else 0 for v in table] + [0]
    dens = [v.denominator if v is not None else 1 for v in table] + [1]
    codes = col.codes[ctx.rows]
    ctx.fail(~ok[codes], f"缺少“{node.name}”")
    big = any(abs(x) >= _SAFE for x in (*nums, *dens))
    kind = object if big else np.int64
    return Q(np.array(nums, dtype=kind)[codes], np.array(dens, dtype=kind)[codes])


def _reference(node: ir.RefValue, ctx: Rows) -> Q:
    years = np.array([from_day(int(d)).year for d in np.unique(ctx.day)], dtype=np.int64)
    out = np.zeros(len(ctx.rows), dtype=np.int64)
    row_year = ctx.day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    for year in np.unique(years):
        m = row_year == year
        try:
            out[m] = terms.reference_value(ctx.policy, node, dt.date(int(year), 1, 1)).fen
        except terms.Missing as e:
            ctx.fail(m, str(e))
    return Q(out, np.ones(len(out), dtype=np.int64))


def evaluate(node: ir.Arith, ctx: Rows) -> Q:
    """terms._arith over the rows."""
    n = len(ctx.rows)
    if isinstance(node, ir.Num):
        return Q.const(Fraction(magnitude(node.value)), n)  # type: ignore[arg-type]
    if isinstance(node, ir.RefValue):
        return _reference(node, ctx)
    if isinstance(node, ir.FieldRef):
        return _field(node, ctx)
    if isinstance(node, ir.ClaimAmount):
        values = ctx.amounts.get(node.name)
        if values is None:
            ctx.fail(np.ones(n, dtype=bool), f"这里没有本次就诊的“{node.name}”")
            return Q.const(Fraction(0), n)
        return Q(values.astype(np.int64), np.ones(n, dtype=np.int64))
    if isinstance(node, ir.Pick):
        found = evaluate(node.args[0], ctx)
        for arg in node.args[1:]:
            other = evaluate(arg, ctx)
            found = pick(found, other, less(other, found) if node.op is PickOp.MIN else less(found, other))
        return found
    left, right = evaluate(node.left, ctx), evaluate(node.right, ctx)
    if node.op == ArithOp.ADD:
        return add(left, right)
    if node.op == ArithOp.SUB:
        return add(left, right, -1)
    if node.op == ArithOp.MUL:
        return mul(left, right)
    ctx.fail(right.num == 0, "除数为 0")
    return div(left, right)


def _bound(value: object, ctx: Rows) -> Q:
    if isinstance(value, ir.ARITH_NODES):
        return evaluate(value, ctx)  # type: ignore[arg-type]
    return Q.const(Fraction(terms._bound(value, ctx.policy, {}, dt.date(2000, 1, 1), None)), len(ctx.rows))  # type: ignore[arg-type]


def formula(f: ir.Formula, ctx: Rows) -> Q:
    """terms.formula_value's exact result: bounded, and rounded where the formula names a rounding."""
    exact = evaluate(f.expr, ctx)
    if f.lower is not None:
        low = _bound(f.lower, ctx)
        exact = pick(exact, low, less(exact, low))
    if f.upper is not None:
        high = _bound(f.upper, ctx)
        exact = pick(exact, high, less(high, exact))
    if f.kind == FormulaKind.MONEY and f.round_to is not None:
        mode = f.round_mode or ctx.policy.rounding
        unit = 100 if f.round_to == RoundTo.YUAN else 1
        rounded = _round(exact.num, exact.den * unit, mode) * unit
        exact = Q(rounded, np.ones(len(rounded), dtype=np.int64))
    return exact


def _round(num: np.ndarray, den: np.ndarray, mode) -> np.ndarray:
    if num.dtype == object or den.dtype == object:
        from policylang.ir.rounding import round_fen

        return np.array([round_fen(Fraction(int(a), int(b)), mode) for a, b in zip(num, den, strict=True)],
                        dtype=np.int64)
    return round_div(num, den, mode)


def money(f: ir.Formula, ctx: Rows) -> np.ndarray:
    """terms.resolve of a money formula: whole 分 (the region's rounding where the formula leaves a fraction)."""
    q = formula(f, ctx)
    return _round(q.num, q.den, ctx.policy.rounding)


def times(q: Q, k: np.ndarray, mode) -> np.ndarray:
    """round(k × q) to whole 分 (津贴: days × the exact daily rate)."""
    num = q.num.astype(object) * k.astype(object) if _big(q.num, k) else q.num * k
    return _round(num, q.den, mode)


Evaluator = Callable[[ir.Formula, Rows], np.ndarray]

__all__ = ["Q", "Rows", "evaluate", "formula", "money", "times"]
