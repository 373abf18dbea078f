"""Typed values of person and claim fields as they arrive from files (JSON, CSV, Parquet)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from policylang import ir
from policylang.diagnostics import did_you_mean
from policylang.ir.units import to_fen
from policylang.source import parse_date

MAX_YUAN_DIGITS = 15


def _decimal(value: Any) -> Decimal | None:
    """A non-negative decimal from a string or number; None if not one (beyond 10^15 it is a typo, and
    Decimal arithmetic would overflow or round it)."""
    if isinstance(value, bool) or not isinstance(value, str | Decimal | int):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number.adjusted() > MAX_YUAN_DIGITS:
        return None
    return number


def parse_amount(value: Any) -> int | None:
    """A yuan amount given as a string or number, to 分; None if not a non-negative amount in whole 分."""
    number = _decimal(value)
    return None if number is None else to_fen(number)


def parse_number(value: Any) -> Fraction | None:
    number = _decimal(value)
    return None if number is None else Fraction(number)


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(value.strip()) if isinstance(value, str) else None


def parse_fact(policy: ir.Policy, field: str, value: Any) -> tuple[ir.Fact | None, str | None, str | None, str | None]:
    """A field's value from a file: (value, error code, message, hint). Unknown fields are E015."""
    enum = policy.enum(field)
    if enum is not None:
        if isinstance(value, str) and value.strip() in enum.values:
            return value.strip(), None, None, None
        hint = did_you_mean(str(value), list(enum.values)) or f"{field} 的取值：{'、'.join(enum.values)}"
        return None, "E007", f"“{value}”不是{field}的取值", hint
    fdef = policy.field(field)
    if fdef is None:
        pool = [*(e.name for e in policy.enums), *(f.name for f in policy.fields)]
        return None, "E015", f"未知字段“{field}”", did_you_mean(field, pool)
    if fdef.type == "金额":
        fen = parse_amount(value)
        return (fen, None, None, None) if fen is not None else (
            None, "E012", f"{field} 无效：{value}（应为不小于 0、最多两位小数的金额）", None)
    if fdef.type == "日期":
        day = as_date(value)
        return (day, None, None, None) if day else (None, "E011", f"{field} 无效：{value}", "日期写作 2024-01-01")
    if fdef.type == "文字":
        return str(value), None, None, None
    number = parse_number(value)
    if number is None:
        return None, "E012", f"{field} 无效：{value}（应为不小于 0 的数）", None
    return (number * 12 if fdef.type == "年数" else number), None, None, None
