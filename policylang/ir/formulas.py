"""Evaluates a parameter's expression for one claim: exact fractions, bounds, then the stated rounding."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from policylang import ir
from policylang.ir.rounding import round_fen


class FormulaError(Exception):
    """The expression cannot be computed for this claim (a missing field or value, division by zero)."""


def _value(node: ir.Arith, policy: ir.Policy, facts: ir.Facts, day: dt.date) -> Fraction:
    if isinstance(node, ir.Num):
        return node.value
    if isinstance(node, ir.RefValue):
        ref = policy.reference(node.name)
        year = day.year + node.offset
        found = ref.for_year(year) if ref else None
        if found is None:
            raise FormulaError(f"缺少 {year} 年的{node.name}")
        return Fraction(found)
    if isinstance(node, ir.FieldRef):
        value = facts.get(node.name)
        if value is None or isinstance(value, str | dt.date):
            raise FormulaError(f"缺少“{node.name}”")
        fdef = policy.field(node.name)
        scale = Fraction(1, 12) if fdef is not None and fdef.type == "年数" else Fraction(1)
        return Fraction(value) * scale
    left, right = _value(node.left, policy, facts, day), _value(node.right, policy, facts, day)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "×":
        return left * right
    if right == 0:
        raise FormulaError("除数为 0")
    return left / right


def evaluate(formula: ir.Formula, policy: ir.Policy, facts: ir.Facts, day: dt.date) -> tuple[Fraction, str]:
    """The formula's value (分 for money, a fraction for ratios) and a note on bounds and rounding applied."""
    exact = _value(formula.expr, policy, facts, day)
    notes = []
    if formula.lower is not None and exact < formula.lower:
        exact = formula.lower
        notes.append("按最低值")
    if formula.upper is not None and exact > formula.upper:
        exact = formula.upper
        notes.append("按最高值")
    if formula.kind == "money" and formula.round_to is not None:
        mode = formula.round_mode or policy.rounding
        unit = 100 if formula.round_to == "元" else 1
        rounded = Fraction(round_fen(exact / unit, mode) * unit)
        if rounded != exact:
            notes.append(f"{mode}取整到{formula.round_to}")
        exact = rounded
    return exact, "，".join(notes)
