"""要求 (eligibility requirements) as IR: a predicate comparing sums of operands, each operand in a unit, with
constants held as typed values (Money, Days, Months, Count, Age). ir.eligibility evaluates them."""

from __future__ import annotations

import datetime as dt

import attrs

from policylang.ir.accepts import accepts, optional, refuse
from policylang.ir.params import Table, _origin
from policylang.ir.values import Age, CompareOp, Count, Days, Money, Months, OperandKind, OperandUnit
from policylang.source import Span

_CONSTANT = {OperandUnit.MONEY: Money, OperandUnit.DAYS: Days, OperandUnit.MONTHS: Months, OperandUnit.COUNT: Count,
             OperandUnit.AGE: Age, OperandUnit.DATE: dt.date, OperandUnit.TEXT: str, OperandUnit.ENUM: str}


def _operand_value(node: Operand, attribute: attrs.Attribute, value: object) -> None:
    """A constant in its unit's type (Money for 分, Days, Months, Count, Age, a date, an enumeration value); a
    field by its name; a 月日 as (month, day)."""
    if node.kind is OperandKind.CONST:
        accepts(_CONSTANT[node.unit])(node, attribute, value)
    elif node.kind is OperandKind.MONTH_DAY:
        accepts(tuple)(node, attribute, value)
    else:
        accepts(str)(node, attribute, value)


def _enumeration(node: Operand, attribute: attrs.Attribute, value: object) -> None:
    if (value is None) != (node.unit is not OperandUnit.ENUM):
        refuse(node, attribute, "an enumeration's name exactly when the unit is 枚举", value)
    optional(str)(node, attribute, value)


@attrs.frozen
class Operand:
    """field | const | month_day | this_month | next_month, in a unit: 分, 天 / 月 (durations), 次, 岁, 日期, 月日,
    文字, or 枚举 (then enumeration names which: a field of it, or one of its values)."""

    kind: OperandKind = attrs.field(validator=accepts(OperandKind))
    value: object = attrs.field(validator=_operand_value)
    unit: OperandUnit = attrs.field(validator=accepts(OperandUnit))
    enumeration: str | None = attrs.field(default=None, validator=_enumeration)


@attrs.frozen
class Expr:
    terms: tuple[tuple[int, Operand], ...]  # (+1 / −1, operand)


@attrs.frozen
class Comparison:
    lhs: Expr
    op: CompareOp = attrs.field(validator=accepts(CompareOp))
    rhs: Expr | Table = attrs.field(validator=accepts(Expr, Table))  # a Table: a standard per person (男 25 年)


@attrs.frozen
class Requirement:
    """要求 …否则 "理由": a claim failing the predicate (where the guards hold) is not paid."""

    predicate: Comparison
    guards: tuple[Comparison, ...]
    reason: str
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()


__all__ = ["Comparison", "Expr", "Operand", "Requirement"]
