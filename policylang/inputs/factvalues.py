"""Typed values of person and claim fields as they arrive from files (JSON, CSV, Parquet), by cells.py."""

from __future__ import annotations

from typing import Any

from policylang import ir
from policylang.diagnostics import did_you_mean
from policylang.inputs.cells import clean, enum_value, parse_amount, parse_date, parse_number

AMOUNT_HELP = "应为不小于 0、最多两位小数、不超过 10 亿元的金额"
as_date = parse_date

__all__ = ["AMOUNT_HELP", "as_date", "parse_amount", "parse_fact", "parse_number"]


def parse_fact(policy: ir.Policy, field: str, value: Any) -> tuple[ir.Fact | None, str | None, str | None, str | None]:
    """A field's value from a file: (value, error code, message, hint). Unknown fields are E015."""
    enum = policy.enum(field)
    if enum is not None:
        named = enum_value(value, enum.values)
        if named is not None:
            return named, None, None, None
        hint = did_you_mean(str(value), list(enum.values)) or f"{field} 的取值：{'、'.join(enum.values)}"
        return None, "E007", f"“{value}”不是{field}的取值", hint
    fdef = policy.field(field)
    if fdef is None:
        pool = [*(e.name for e in policy.enums), *(f.name for f in policy.fields)]
        return None, "E015", f"未知字段“{field}”", did_you_mean(field, pool)
    if fdef.type == "金额":
        fen = parse_amount(value)
        return (fen, None, None, None) if fen is not None else (
            None, "E012", f"{field} 无效：{value}（{AMOUNT_HELP}）", None)
    if fdef.type == "日期":
        day = parse_date(value)
        return (day, None, None, None) if day else (None, "E011", f"{field} 无效：{value}", "日期写作 2024-01-01")
    if fdef.type == "文字":
        return clean(str(value)), None, None, None
    number = parse_number(value)
    if number is None:
        return None, "E012", f"{field} 无效：{value}（应为不小于 0 的数）", None
    return (number * 12 if fdef.type == "年数" else number), None, None, None
