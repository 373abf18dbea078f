"""要求 (eligibility requirements) as IR: a predicate comparing sums of operands, each operand in a unit, with
constants held as typed values (Money, Days, Months, Count, Age). ir.eligibility evaluates them."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping

import attrs

from policylang.ir.accepts import accepts, optional, refuse
from policylang.ir.params import NoCell, Table, _origin
from policylang.ir.values import (
    Age,
    CompareOp,
    Count,
    Days,
    Money,
    Months,
    OperandKind,
    OperandUnit,
    magnitude,
)
from policylang.source import Span

# The comparison operators of 要求 and of typed conditions (one table: ir.eligibility reads it too).
OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq,
             "!=": operator.ne}

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


# How a typed condition reads, by the unit of its field: (text before the value, text after it) per operator.
_DATE_WORDS = {">=": ("在", "及以后"), "<=": ("在", "及以前"), ">": ("在", "之后"), "<": ("在", "之前"),
               "=": ("为", ""), "!=": ("不是", "")}
_NUMBER_WORDS = {">=": (" ", "及以上"), "<=": (" ", "及以下"), ">": "超过", "<": "不满", "=": "为", "!=": "不是"}


_UNIT_WORD = {Age: "岁", Months: "个月", Days: "天", Count: "次"}


def shown_constant(value: object) -> str:
    """A constant as a citizen reads it: 1995年1月1日, 60 岁, 3 个月, 2,000 元 (whole yuan without 角分)."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Money):
        yuan, fen = divmod(value.fen, 100) if isinstance(value.fen, int) else (value.fen, 1)
        return f"{yuan:,} 元" if not fen else str(value)
    return str(value)


@attrs.frozen
class FieldTest:
    """A condition on a typed field (年龄 >= 60 岁, 参加工作日期 < 1995-01-01), in a scheme's or layer's
    conditions or a table key. It is a 要求 comparison of the field with a constant, compared with the one
    table of operators ir.eligibility uses; a claim without the field cannot be placed and is refused
    (NoCell), unless the field is 可选."""

    comparison: Comparison
    origin: Span | None = _origin()
    optional: bool = False  # the field is 可选: a claim without it does not meet the test (as 要求 treats it)

    @property
    def field(self) -> str:
        return str(self.comparison.lhs.terms[0][1].value)

    @property
    def op(self) -> CompareOp:
        return self.comparison.op

    @property
    def constant(self) -> object:
        rhs = self.comparison.rhs
        assert isinstance(rhs, Expr)
        return rhs.terms[0][1].value

    @property
    def values(self) -> frozenset:
        """One value of the field that meets the test: the pages' worked examples read a condition's values."""
        const = self.constant
        bare: object = magnitude(const)
        step = dt.timedelta(days=1) if isinstance(const, dt.date) else 1
        if self.op in (CompareOp.GT, CompareOp.NE):
            bare = bare + step  # type: ignore[operator]
        elif self.op is CompareOp.LT:
            bare = bare - step  # type: ignore[operator]
        return frozenset({bare})

    def holds(self, facts: Mapping[str, object]) -> bool:
        """The field's value against the constant, as ir.eligibility compares a field with a constant."""
        value = facts.get(self.field)
        if value is not None:
            return bool(OPERATORS[self.op](value, magnitude(self.constant)))
        if self.optional:
            return False
        raise NoCell(f"缺少“{self.field}”，无法判断是否{self.describe()} "
                       f"(no {self.field} to test the condition)", self.origin)

    def fact_text(self, facts: Mapping[str, object]) -> str:
        """The claim's value of the field, as the trace shows it beside the test: 年龄 72 岁, 1990年5月1日."""
        value = facts.get(self.field)
        const = self.constant
        if value is None:
            return "未填"
        if isinstance(const, Money):
            return shown_constant(Money(value))  # type: ignore[arg-type]
        if isinstance(const, Age | Months | Days | Count):
            return f"{value} {_UNIT_WORD[type(const)]}"
        return shown_constant(value)

    def describe(self, order: tuple[str, ...] = ()) -> str:
        """年龄 60 岁及以上, 参加工作日期在1995年1月1日之前 (order: unused, as Condition.describe takes it)."""
        shown = shown_constant(self.constant)
        if isinstance(self.constant, dt.date):
            before, after = _DATE_WORDS[self.op]
            return f"{self.field}{before}{shown}{after}"
        words = _NUMBER_WORDS[self.op]
        if isinstance(words, tuple):
            return f"{self.field}{words[0]}{shown}{words[1]}"
        return f"{self.field}{words} {shown}"


__all__ = ["OPERATORS", "Comparison", "Expr", "FieldTest", "Operand", "Requirement", "shown_constant"]
