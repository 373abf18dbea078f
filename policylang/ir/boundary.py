"""The transitional boundary between lowering and the typed IR (see the comment below); goes once lowering
constructs typed values itself."""

from __future__ import annotations

from fractions import Fraction

import attrs

from policylang.ir.values import (
    Count,
    Days,
    FormulaKind,
    Money,
    Months,
    OperandKind,
    Quantity,
    SubsidyKind,
)
from policylang.ir.values import Ratio as RatioValue


# ---- the transitional boundary ----------------------------------------------------------------
# Lowering still passes bare values (int 分, Fraction ratios, kind strings) and reads some back while it
# builds (a band's bounds, to check for gaps). So a field names the typed value it holds in its metadata, and
# the Policy's converters retype the whole tree once, when lowering hands the policy over: everything
# downstream of the IR sees only typed values. Once lowering constructs typed values itself, the legacy
# branches (marked LEGACY) and this pass go, and the metadata become plain converters.
def _typed_by(convert, node: bool = False) -> dict:
    return {"typed": convert if node else (lambda value, _node: convert(value))}


def _typed(value):
    """value with every field retyped as its metadata says (LEGACY: bare values from lowering)."""
    if isinstance(value, tuple):
        out = tuple(_typed(v) for v in value)
        return value if all(a is b for a, b in zip(out, value, strict=True)) else out
    if not attrs.has(type(value)):
        return value
    changes = {}
    for f in attrs.fields(type(value)):
        if f.eq is False:
            continue
        old = getattr(value, f.name)
        new = f.metadata["typed"](old, value) if "typed" in f.metadata else old
        new = _typed(new)
        if new is not old:
            changes[f.name] = new
    return attrs.evolve(value, **changes) if changes else value


def _money(x: object) -> Money:
    if isinstance(x, Money):
        return x
    if isinstance(x, int | Fraction) and not isinstance(x, bool):  # LEGACY: bare 分
        return Money(x)
    raise TypeError(f"money expected, got {x!r}")


def _money_or_none(x: object) -> Money | None:
    return None if x is None else _money(x)


def _ratio(x: object) -> RatioValue:
    if isinstance(x, RatioValue):
        return x
    if isinstance(x, int | Fraction) and not isinstance(x, bool):  # LEGACY: bare fraction
        return RatioValue(x)
    raise TypeError(f"ratio expected, got {x!r}")


def _ratio_or_none(x: object) -> RatioValue | None:
    return None if x is None else _ratio(x)


def _days(x: object) -> Days:
    if isinstance(x, Days):
        return x
    if isinstance(x, int) and not isinstance(x, bool):  # LEGACY: bare days
        return Days(x)
    raise TypeError(f"days expected, got {x!r}")


def _enum(cls):
    def convert(x):
        return x if x is None or isinstance(x, cls) else cls(x)  # LEGACY: kind strings
    return convert


def _cells_as(convert):
    """Retype a table's constant cells by the unit its owner gives them (references, formulas, bands stay)."""
    def cell(c):
        v = c.value
        if attrs.has(type(v)) and not isinstance(v, Quantity):  # a reference value, a formula, bands
            return c
        typed = convert(v)
        return c if typed is v else attrs.evolve(c, value=typed)

    def table(t):
        if t is None:
            return None
        cells = tuple(cell(c) for c in t.cells)
        return t if all(a is b for a, b in zip(cells, t.cells, strict=True)) else attrs.evolve(t, cells=cells)

    def param(p):
        if p is None or hasattr(p, "cells"):  # a Table, not a Param
            return table(p)
        versions = tuple(v if (t := table(v.table)) is v.table else attrs.evolve(v, table=t) for v in p.versions)
        return p if versions == p.versions and all(
            a.table is b.table for a, b in zip(versions, p.versions, strict=True)) else attrs.evolve(p, versions=versions)
    return param


_money_cells = _cells_as(_money)
_ratio_cells = _cells_as(_ratio)
_days_cells = _cells_as(_days)


def _formula_bound(value, self):
    if value is None or isinstance(value, Money | RatioValue):
        return value
    return Money(value) if self.kind == FormulaKind.MONEY else RatioValue(value)  # LEGACY: bare bound


def _rate(x):
    if x is None or isinstance(x, str | Money) or (attrs.has(type(x)) and not isinstance(x, Quantity)):
        return x  # a money field's name, a reference value or a formula
    return _money(x)


def _subsidy_amount(value, self):
    if value is None or isinstance(value, Money | RatioValue):
        return value
    return Money(value) if self.kind == SubsidyKind.FIXED else RatioValue(value)  # LEGACY


_OPERAND_UNITS = {"分": Money, "天": Days, "月": Months, "次": Count}


def _quantity(value, unit):
    """A requirement's constant in the unit its operand states (分, 天, 月, 次); ages, dates, names stay."""
    cls = _OPERAND_UNITS.get(unit)
    if cls is None or isinstance(value, bool) or not isinstance(value, int | Fraction):
        return value  # already typed, or not a quantity
    if cls in (Days, Count):  # LEGACY: bare whole numbers
        return cls(int(value)) if Fraction(value).denominator == 1 else value
    return cls(value)  # LEGACY


def _operand_value(value, self):
    return _quantity(value, self.unit) if self.kind == OperandKind.CONST else value


def _comparison_rhs(rhs, self):
    """A table of standards (男 25 年, 女 20 年) holds values in the unit of what it is compared with."""
    if not hasattr(rhs, "cells"):  # an expression, not a table
        return rhs
    unit = next((op.unit for _, op in self.lhs.terms if op.unit in _OPERAND_UNITS), None)
    return _cells_as(lambda v: _quantity(v, unit))(rhs)


def _references(values):
    return tuple((year, _money(v)) for year, v in values)
