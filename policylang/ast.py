"""The surface AST: what the officer wrote, with a Span on every node (spans never affect equality)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from policylang.source import Span


def _span() -> Span:
    return attrs.field(eq=False, repr=False)


@attrs.frozen
class Name:
    text: str
    span: Span = _span()


@attrs.frozen
class Quantity:
    """A number with its unit as written (元, 万元, %, 天 …); unit None when the officer left it out."""

    number: Decimal
    unit: str | None
    span: Span = _span()


@attrs.frozen
class DateLit:
    text: str
    value: dt.date | None  # None: not a calendar date (2024-02-30)
    span: Span = _span()


@attrs.frozen
class Validity:
    start: DateLit | None
    end: DateLit | None
    span: Span = _span()


@attrs.frozen
class Region:
    name: str
    span: Span = _span()


@attrs.frozen
class Basis:
    title: str
    number: str | None
    span: Span = _span()


@attrs.frozen
class Effective:
    validity: Validity
    span: Span = _span()


@attrs.frozen
class Note:
    text: str
    span: Span = _span()


@attrs.frozen
class Assumption:
    text: str
    span: Span = _span()


@attrs.frozen
class Import:
    name: str
    span: Span = _span()


@attrs.frozen
class Rounding:
    mode: str
    span: Span = _span()


@attrs.frozen
class EnumDef:
    name: Name
    values: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class Cond:
    """An applies-when condition: 字段 = 值 (或 值 …), or a bare enumeration value."""

    field: Name | None
    values: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class Period:
    kind: str  # 自然年度 | 社保年度
    start_month: Quantity | None
    span: Span = _span()


@attrs.frozen
class Entry:
    keys: tuple[Name, ...]
    value: Quantity
    span: Span = _span()


@attrs.frozen
class TableStmt:
    """起付线 / 比例 / 封顶线 with an optional scope (每次, 每日, 年度 …) and validity."""

    kind: str  # 起付线 | 比例 | 封顶线
    scope: str | None
    entries: tuple[Entry, ...]
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class Adjust:
    """退休 比例 加 5%: a ratio adjustment for claims matching every key."""

    keys: tuple[Name, ...]
    op: str
    delta: Quantity
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class Scheme:
    name: str
    name_span: Span = attrs.field(eq=False, repr=False)
    when: tuple[Cond, ...]
    validity: Validity | None
    body: tuple[object, ...]
    span: Span = _span()


@attrs.frozen
class Attr:
    """A person or claim attribute: a bare enumeration value, or 字段=值."""

    field: Name | None
    value: Name | Quantity | DateLit
    span: Span = _span()


@attrs.frozen
class Person:
    attrs: tuple[Attr, ...]
    span: Span = _span()


@attrs.frozen
class Expected:
    name: Name
    value: Quantity
    span: Span = _span()


@attrs.frozen
class Claim:
    date: DateLit
    attrs: tuple[Attr, ...]
    amount: Quantity
    expects: tuple[Expected, ...]
    span: Span = _span()


@attrs.frozen
class Test:
    name: str
    body: tuple[Person | Claim, ...]
    span: Span = _span()


@attrs.frozen
class Module:
    """One parsed file."""

    file: str
    items: tuple[object, ...]
