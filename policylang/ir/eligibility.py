"""Evaluates 要求 (eligibility requirements) on a claim's facts: pass, fail with the reason, or not applicable."""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

from policylang import ir
from policylang.ir.requirements import OPERATORS
from policylang.ir.values import OperandKind, OperandUnit, magnitude

_OPS = OPERATORS


class Missing(Exception):
    """A field the predicate needs is absent (and has no default)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day n months later, clamped to the month's end (1月31日 + 1 个月 = 2月28/29日)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _month_start(day: dt.date, next_month: bool) -> dt.date:
    first = day.replace(day=1)
    return add_months(first, 1) if next_month else first


def _operand(op: ir.Operand, facts: ir.Facts, anchor: dt.date | None) -> object:
    if op.kind is OperandKind.CONST:
        return magnitude(op.value)
    if op.kind is OperandKind.MONTH_DAY:
        month, day = op.value  # type: ignore[misc]
        year = anchor.year if anchor else dt.date.today().year
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    value = facts.get(str(op.value))
    if value is None:
        raise Missing(str(op.value))
    if op.kind in (OperandKind.NEXT_MONTH, OperandKind.THIS_MONTH):
        assert isinstance(value, dt.date)
        return _month_start(value, op.kind is OperandKind.NEXT_MONTH)
    return value


def evaluate_expr(expr: ir.Expr, facts: ir.Facts, anchor: dt.date | None = None) -> object:
    total: object = None
    for sign, op in expr.terms:
        value = _operand(op, facts, anchor)
        if total is None:
            total = value
        elif isinstance(total, dt.date):
            n = int(Fraction(value) * sign)  # type: ignore[arg-type]
            total = add_months(total, n) if op.unit is OperandUnit.MONTHS else total + dt.timedelta(days=n)
        else:
            total = total + sign * value  # type: ignore[operator]
    return total


def compare(c: ir.Comparison, facts: ir.Facts) -> tuple[bool, object, object, ir.Cell | None]:
    """Evaluate a comparison; returns (result, left value, right value, table cell used). Raises Missing."""
    left = evaluate_expr(c.lhs, facts)
    cell = None
    if isinstance(c.rhs, ir.Table):
        cell = c.rhs.lookup(facts)
        if cell is None:
            raise Missing("、".join(c.rhs.fields))
        right: object = magnitude(cell.value)
    else:
        right = evaluate_expr(c.rhs, facts, left if isinstance(left, dt.date) else None)
    return bool(_OPS[c.op](left, right)), left, right, cell


def check_requirement(req: ir.Requirement, facts: ir.Facts,
                      optional: set[str]) -> tuple[str | None, ir.Cell | None]:
    """(None, cell) if the claim meets the requirement or it does not apply; else (the reason it fails, cell).

    cell: the row of a keyed standard (男 25 年, 女 20 年) the claim was measured against, if any.
    """
    try:
        if not all(compare(g, facts)[0] for g in req.guards):
            return None, None
    except Missing:
        return None, None
    try:
        ok, _, _, cell = compare(req.predicate, facts)
    except Missing as m:
        if m.field in optional:
            return None, None
        return f"{req.reason}（缺少“{m.field}”，无法判断）", None
    return (None if ok else req.reason), cell
