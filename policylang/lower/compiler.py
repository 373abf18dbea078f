"""AST → IR for one region: every semantic error of the region, all at once.

The driver builds the lowering context in stages — enumerations first (they name the values every rule
refers to), then typed fields and reference values, then the header, schemes, programmes and tests —
and hands each stage's result to the next as a frozen value.
"""

from __future__ import annotations

import datetime as dt

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, error
from policylang.ir import terms
from policylang.ir.balances import targets
from policylang.ir.cases import TestCase
from policylang.ir.values import FieldType, Money, RoundingMode
from policylang.lower import accumulators as named
from policylang.lower.cases import Outputs, test_case
from policylang.lower.conditions import typed_value
from policylang.lower.context import FIRST_DEFINED, FIRST_GIVEN, Context, Definitions, Sink
from policylang.lower.programmes import question, subsidy
from policylang.lower.scheme import scheme
from policylang.lower.values import money_value, validity
from policylang.resolve.inherit import merge, overrides_without_parent
from policylang.resolve.loader import Unit
from policylang.resolve.names import EnumIndex, did_you_mean
from policylang.source import Span
from policylang.syntax import ast

FIELD_TYPES = ("金额", "天数", "月数", "年数", "次数", "年龄", "日期", "文字", "是否")
_YES_NO = ("是", "否")
_ENUM_DEFINED = "枚举定义在此 (enumeration defined here)"


@attrs.frozen
class Compiled:
    """What compiling a region gives: the policy, its tests, and the diagnostics found on the way."""

    policy: ir.Policy | None
    tests: tuple[TestCase, ...]
    diagnostics: tuple[Diagnostic, ...]


@attrs.frozen
class _Header:
    """The region's own header statements: 地区, 依据, 生效, 说明, 假设, 舍入."""

    region: str
    basis: tuple[ir.Basis, ...]
    start: dt.date | None
    end: dt.date | None
    notes: tuple[str, ...]
    assumptions: tuple[str, ...]
    rounding: RoundingMode


def compile_unit(unit: Unit) -> Compiled:
    """Lower a loaded region to IR. The policy is None when any error was found."""
    if any(d.is_error for d in unit.diagnostics):
        return Compiled(None, (), unit.diagnostics)
    result = _lower(unit)
    return attrs.evolve(result, diagnostics=unit.diagnostics + result.diagnostics)


def _lower(unit: Unit) -> Compiled:
    """Names first, then fields and references (their defaults name enumeration values), then everything else."""
    items, imported, inherit_diags = region_items(unit)
    sink = Sink(list(inherit_diags))
    defs = Definitions(sink)
    shared = [*imported, *items]
    enums = _enumerations(sink, defs, shared)
    yes_no = _yes_no_fields(sink, defs, shared)
    names = Context(EnumIndex.build([*enums, *yes_no], unowned=_YES_NO), {}, {}, sink)
    fields, references = _fields_and_references(names, defs, shared)
    ctx = attrs.evolve(names, fields=fields, references=references)
    head = _header(ctx, defs, items)
    decls = named.declarations(ctx, defs, items)
    ctx = named.with_accumulators(ctx, decls)
    schemes = [s for i in items if isinstance(i, ast.Scheme) if (s := scheme(ctx, defs, i, head.start, head.end))]
    accumulators = named.finish(ctx, decls, schemes, items)
    subsidies = [s for i in items if isinstance(i, ast.Subsidy) if (s := subsidy(ctx, defs, i))]
    questions = [question(ctx, defs, i) for i in items if isinstance(i, ast.Question)]
    policy = ir.Policy(head.region or unit.root, head.basis, head.start, head.end, head.notes, head.assumptions,
                       (*enums, *yes_no), tuple(schemes), head.rounding, tuple(fields.values()),
                       tuple(references.values()), tuple(subsidies), tuple(questions), accumulators)
    outputs = Outputs(terms.output_names(policy), frozenset(q.name for q in questions), frozenset(targets(policy)))
    tests = [t for i in items if isinstance(i, ast.Test) if (t := test_case(ctx, defs, outputs, i))]
    errors = any(d.is_error for d in sink.found)
    return Compiled(None if errors else policy, tuple(tests), tuple(sink.found))


def _enumerations(sink: Sink, defs: Definitions, items: list[object]) -> list[ir.Enumeration]:
    """枚举 statements, each defined once, with distinct values and a default among them."""
    out = []
    for item in items:
        if not isinstance(item, ast.EnumDef):
            continue
        if not defs.once(("枚举", item.name.text), f"枚举 {item.name.text}", item.name.span):
            continue
        values: dict[str, Span] = {}
        for v in item.values:
            if v.text in values:
                sink.report(error("E008", f"重复定义：枚举值“{v.text}”在 {item.name.text} 中出现两次", v.span,
                                  related=((FIRST_DEFINED, values[v.text]),)))
            else:
                values[v.text] = v.span
        default = item.default.text if item.default else None
        if default is not None and default not in values:
            assert item.default is not None
            sink.report(error("E007", f"默认值“{default}”不是{item.name.text}的取值", item.default.span))
            default = None
        out.append(ir.Enumeration(item.name.text, tuple(values), default, item.span))
    return _extended(sink, out, [i for i in items if isinstance(i, ast.EnumExtend)])


def _extended(sink: Sink, enums: list[ir.Enumeration], extensions: list[ast.EnumExtend]) -> list[ir.Enumeration]:
    """枚举 X 增加 { … }: the values appended to X, in the order written; X must be defined (by the region or
    a module it imports) and each value new to it."""
    by_name = {e.name: e for e in enums}
    for ext in extensions:
        enum = by_name.get(ext.name.text)
        if enum is None:
            sink.report(error("E088", f"要增加取值的枚举“{ext.name.text}”未定义",
                              ext.name.span, did_you_mean(ext.name.text, list(by_name))))
            continue
        added: dict[str, Span] = {}
        for v in ext.values:
            if v.text in enum.values or v.text in added:
                where = (_ENUM_DEFINED, enum.origin) if v.text in enum.values and enum.origin else (FIRST_DEFINED, added.get(v.text))
                sink.report(error("E089", f"枚举“{enum.name}”已有取值“{v.text}”",
                                  v.span, related=(where,) if where[1] else ()))
            else:
                added[v.text] = v.span
        by_name[enum.name] = attrs.evolve(enum, values=(*enum.values, *added))
    return [by_name[e.name] for e in enums]


def _yes_no_fields(sink: Sink, defs: Definitions, items: list[object]) -> list[ir.Enumeration]:
    """是否 fields are enumerations of 是 and 否 (a bare 是 names no field: write 字段=是)."""
    out = []
    for fdef in items:
        if not (isinstance(fdef, ast.FieldDef) and fdef.type == "是否"):
            continue
        if not defs.once(("字段", fdef.name.text), f"字段 {fdef.name.text}", fdef.name.span):
            continue
        default = fdef.default
        value = None
        if isinstance(default, ast.Name) and default.text in _YES_NO:
            value = default.text
        elif default is not None:
            sink.report(error("E026", "是否 字段的默认值应为 是 或 否", fdef.span))
        out.append(ir.Enumeration(fdef.name.text, _YES_NO, value, fdef.span))
    return out


def _fields_and_references(ctx: Context, defs: Definitions,
                           items: list[object]) -> tuple[dict[str, ir.FieldDef], dict[str, ir.Reference]]:
    """Typed fields (字段) and yearly reference values (参考值), in the order written."""
    fields: dict[str, ir.FieldDef] = {}
    references: dict[str, ir.Reference] = {}
    for item in items:
        if isinstance(item, ast.FieldDef) and item.type != "是否":
            if fdef := _field(ctx, defs, item):
                fields[fdef.name] = fdef
        elif isinstance(item, ast.Reference) and (ref := _reference(ctx, defs, item)):
            references[ref.name] = ref
    return fields, references


def _field(ctx: Context, defs: Definitions, f: ast.FieldDef) -> ir.FieldDef | None:
    if not defs.once(("字段", f.name.text), f"字段 {f.name.text}", f.name.span):
        return None
    if enum := ctx.index.enums.get(f.name.text):
        related = ((_ENUM_DEFINED, enum.origin),) if enum.origin else ()
        ctx.report(error("E008", f"重复定义：“{f.name.text}”已是枚举", f.name.span, related=related))
        return None
    fdef = ir.FieldDef(f.name.text, FieldType(f.type), None, f.optional, f.span)
    default = typed_value(ctx, fdef, f.default, f.span) if f.default is not None else None
    return attrs.evolve(fdef, default=default)


def _reference(ctx: Context, defs: Definitions, r: ast.Reference) -> ir.Reference | None:
    if not defs.once(("参考值", r.name.text), f"参考值 {r.name.text}", r.name.span):
        return None
    values: dict[int, Money] = {}
    years: dict[int, Span] = {}
    for year_q, value_q in r.entries:
        if year_q.unit != "年" or year_q.number != int(year_q.number):
            ctx.report(error("E005", "参考值的年度应写作 2023 年", year_q.span))
            continue
        amount = money_value(ctx, value_q, r.name.text)
        year = int(year_q.number)
        if year in years:
            ctx.report(error("E013", f"重复的表项：{year} 年", year_q.span, related=((FIRST_GIVEN, years[year]),)))
            continue
        years[year] = year_q.span
        if amount is not None:
            values[year] = amount
    return ir.Reference(r.name.text, tuple(sorted(values.items())), r.span)


def _header(ctx: Context, defs: Definitions, items: list[object]) -> _Header:
    region, basis, notes, assumptions = "", [], [], []
    start = end = None
    rounding = RoundingMode.HALF_UP
    for item in items:
        match item:
            case ast.Region():
                if defs.once(("地区",), "地区", item.span):
                    region = item.name
            case ast.Basis():
                basis.append(ir.Basis(item.title, item.number))
            case ast.Effective():
                if defs.once(("生效",), "生效日期", item.span):
                    start, end = validity(ctx, item.validity)
            case ast.Note():
                notes.append(item.text)
            case ast.Assumption():
                assumptions.append(item.text)
            case ast.Rounding():
                if defs.once(("舍入",), "舍入规则", item.span):
                    rounding = RoundingMode(item.mode)
    return _Header(region, tuple(basis), start, end, tuple(notes), tuple(assumptions), rounding)


def region_items(unit: Unit) -> tuple[list[object], list[object], list[Diagnostic]]:
    """The region's items with its parent's merged in (继承/覆盖), and the items of every imported module."""
    own = [i for m in unit.modules for i in m.items]
    if unit.parent is None:
        kept = [i for i in own if not (isinstance(i, ast.Scheme) and i.override)]
        return kept, _imported_items([unit]), overrides_without_parent(own)
    parent_items, _, diags = region_items(unit.parent)
    merged, more = merge(parent_items, own)
    chain, u = [], unit
    while u is not None:
        chain.append(u)
        u = u.parent
    return merged, _imported_items(chain), diags + more


def _imported_items(units: list[Unit]) -> list[object]:
    modules = {m.file: m for u in units for m in u.imported}
    return [i for m in modules.values() for i in m.items]


__all__ = ["FIELD_TYPES", "Compiled", "compile_unit"]
