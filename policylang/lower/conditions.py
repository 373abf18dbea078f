"""Keys, conditions and typed facts: enumeration values resolved to their fields, attributes to typed values."""

from __future__ import annotations

import itertools
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import EXAMPLE_UNIT, Kind
from policylang.lower.context import Context
from policylang.lower.fieldtests import field_test
from policylang.lower.values import date, measure
from policylang.resolve.names import did_you_mean
from policylang.source import Span
from policylang.syntax import ast

# Field types: what unit kind a value of the type is written in, and the unit a bare number is read in.
FIELD_KIND = {"金额": Kind.MONEY, "天数": Kind.DURATION, "月数": Kind.DURATION, "年数": Kind.DURATION,
              "次数": Kind.COUNT, "年龄": Kind.AGE}
_DURATION_UNIT = {"天数": "天", "月数": "月", "年数": "年"}


def key_condition(ctx: Context, key: ast.Key | ast.FieldTest) -> ir.Condition | ir.FieldTest | None:
    """One key of a table row: 退休, 二级/三级, 人员类别=退休, or a typed condition 年龄 >= 60 岁."""
    if isinstance(key, ast.FieldTest):
        return field_test(ctx, key)
    if key.field is not None:
        enum = ctx.index.field(key.field, ctx.report)
        if enum is None:
            return None
        values = [v for n in key.values if (v := ctx.index.member(enum, n, ctx.report))]
        return ir.Condition(enum.name, frozenset(values)) if len(values) == len(key.values) else None
    pairs = [p for n in key.values if (p := ctx.index.value(n, ctx.report))]
    if len(pairs) != len(key.values):
        return None
    fields = {f for f, _ in pairs}
    if len(fields) > 1:
        ctx.report(error("E051", f"“{'/'.join(n.text for n in key.values)}”混用了不同字段的取值："
                         f"{'、'.join(sorted(fields))}", key.span))
        return None
    return ir.Condition(pairs[0][0], frozenset(v for _, v in pairs))


def conditions_of_keys(ctx: Context, keys: tuple[ast.Key, ...]) -> tuple[ir.Condition, ...] | None:
    """Every key of a row, or None when any of them is wrong (each wrong key is reported)."""
    conds = [key_condition(ctx, k) for k in keys]
    return None if any(c is None for c in conds) else tuple(c for c in conds if c)


def cell_keys(ctx: Context, keys: tuple[ast.Key, ...]) -> list[tuple[tuple[str, str], ...]] | None:
    """Every combination of a key list with alternatives: 二级/三级 在职 → (二级, 在职), (三级, 在职)."""
    cells = keyed_cells(ctx, keys)
    if cells and cells[0][1]:
        ctx.report(error("E091", "这里只能按枚举取值分行，不能写字段条件", cells[0][1][0].origin))
        return None
    return None if cells is None else [pairs for pairs, _ in cells]


def keyed_cells(ctx: Context, keys: tuple[ast.Key | ast.FieldTest, ...]) -> list[tuple[tuple[tuple[str, str], ...],
                                                                                   tuple[ir.FieldTest, ...]]] | None:
    """Every combination of a key list's enumeration keys, each with the row's typed keys (年龄 >= 60 岁)."""
    conds = conditions_of_keys(ctx, keys)
    if conds is None:
        return None
    tests = tuple(c for c in conds if isinstance(c, ir.FieldTest))
    choices = [[(c.field, v) for v in sorted(c.values)] for c in conds if isinstance(c, ir.Condition)]
    return [(tuple(combo), tests) for combo in itertools.product(*choices)]


def conditions(ctx: Context, conds: tuple[ast.Cond | ast.FieldTest, ...]) -> tuple[ir.Condition | ir.FieldTest, ...]:
    """The conditions of a scheme, layer or 允许 clause; wrong ones are reported and left out."""
    out: list[ir.Condition | ir.FieldTest] = []
    for c in conds:
        if isinstance(c, ast.FieldTest):
            if test := field_test(ctx, c):
                out.append(test)
            continue
        if c.field is None:
            pair = ctx.index.value(c.values[0], ctx.report)
            if pair:
                out.append(ir.Condition(pair[0], frozenset({pair[1]})))
            continue
        enum = ctx.index.field(c.field, ctx.report)
        if enum is None:
            continue
        values = [v for n in c.values if (v := ctx.index.member(enum, n, ctx.report))]
        out.append(ir.Condition(enum.name, frozenset(values)))
    return tuple(out)


def fact(ctx: Context, attr: ast.Attr) -> tuple[str, ir.Fact] | None:
    """A person or claim attribute: 在职, 人员类别=退休, 缴费日期=2024-01-01, 断缴月数=4 个月 …"""
    if attr.field is None or attr.field.text in ctx.index.enums:
        return ctx.index.attribute(attr, ctx.report)
    fdef = ctx.fields.get(attr.field.text)
    if fdef is None:
        pool = [*ctx.index.enums, *ctx.fields]
        ctx.report(error("E015", f"未知字段“{attr.field.text}”", attr.field.span, did_you_mean(attr.field.text, pool)))
        return None
    value = typed_value(ctx, fdef, attr.value, attr.span)
    return (fdef.name, value) if value is not None else None


def typed_value(ctx: Context, fdef: ir.FieldDef, value: object, span: Span) -> ir.Fact | None:
    """A value of a typed field; a bare number is read in the field's own unit (年龄 60 → 60 岁)."""
    if fdef.type == "日期" and isinstance(value, ast.DateLit):
        return date(ctx, value)
    if fdef.type == "文字" and isinstance(value, str | ast.Name):
        return value.text if isinstance(value, ast.Name) else value
    kind = FIELD_KIND.get(fdef.type)
    if kind is not None and isinstance(value, ast.Quantity):
        unit = value.unit
        if unit is None:
            unit = _DURATION_UNIT[fdef.type] if kind is Kind.DURATION else EXAMPLE_UNIT[kind]
        if kind is Kind.DURATION and (fdef.type == "天数") != (unit == "天"):
            ctx.report(error("E005", f"{fdef.name} 是{fdef.type}，这里写的是 {unit}", span))
            return None
        number = measure(ctx, value.number, unit, value.span, kind, fdef.name)
        if number is None:
            return None
        return number if kind is Kind.MONEY else Fraction(number)
    ctx.report(error("E050", f"{fdef.name} 的类型是{fdef.type}，值不符", span))
    return None
