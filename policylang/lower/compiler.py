"""AST → IR. One pass that lowers and validates: every semantic error of a region, all at once.

The lowering is split by subject (lower_base, lower_scheme, lower_rules, lower_tests); this module
holds the region-level driver: enumerations, typed fields, reference values, then everything else.
"""

from __future__ import annotations

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, error
from policylang.ir.cases import TestCase
from policylang.ir.units import Kind
from policylang.lower.cases import TestsLowering
from policylang.lower.formula import FormulaLowering
from policylang.lower.rules import RulesLowering
from policylang.lower.scheme import SchemeLowering
from policylang.resolve.inherit import merge, overrides_without_parent
from policylang.resolve.loader import Unit
from policylang.resolve.names import EnumIndex
from policylang.source import Span
from policylang.syntax import ast

FIELD_TYPES = ("金额", "天数", "月数", "年数", "次数", "年龄", "日期", "文字", "是否")


@attrs.frozen
class Compiled:
    """What compiling a region gives: the policy, its tests, and the diagnostics found on the way."""

    policy: ir.Policy | None
    tests: tuple[TestCase, ...]
    diagnostics: tuple[Diagnostic, ...]


class _Lowering(SchemeLowering, FormulaLowering, RulesLowering, TestsLowering):
    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.diags: list[Diagnostic] = []
        self.defined: dict[tuple, Span] = {}
        self.versions: dict[tuple, list] = {}
        self.fields: dict[str, ir.FieldDef] = {}
        self.references: dict[str, ir.Reference] = {}

    def run(self) -> Compiled:
        items, imported, inherit_diags = region_items(self.unit)
        self.diags += inherit_diags
        shared = [*imported, *items]
        enums = self.enums(shared)
        yes_no = [ir.Enumeration(f.name.text, ("是", "否"), None, f.span) for f in shared
                  if isinstance(f, ast.FieldDef) and f.type == "是否"]
        self.index = EnumIndex([*enums, *yes_no])
        self.index.owners = {v: o for v, o in self.index.owners.items() if v not in ("是", "否")}
        enums = [*enums, *self.yes_no_defaults(yes_no, shared)]
        self.index.enums.update({e.name: e for e in enums})
        for f in shared:
            if isinstance(f, ast.FieldDef) and f.type != "是否":
                self.field_def(f)
            elif isinstance(f, ast.Reference):
                self.reference(f)
        region, basis, notes, assumptions = "", [], [], []
        start = end = None
        rounding = "四舍五入"
        for item in items:
            match item:
                case ast.Region():
                    if self._once(("地区",), "地区", item.span):
                        region = item.name
                case ast.Basis():
                    basis.append(ir.Basis(item.title, item.number))
                case ast.Effective():
                    if self._once(("生效",), "生效日期", item.span):
                        start, end = self.validity(item.validity)
                case ast.Note():
                    notes.append(item.text)
                case ast.Assumption():
                    assumptions.append(item.text)
                case ast.Rounding():
                    if self._once(("舍入",), "舍入规则", item.span):
                        rounding = item.mode
        schemes = [s for i in items if isinstance(i, ast.Scheme) if (s := self.scheme(i, start, end))]
        subsidies = [s for i in items if isinstance(i, ast.Subsidy) if (s := self.subsidy(i))]
        questions = [self.question(i) for i in items if isinstance(i, ast.Question)]
        self.layer_names = {layer.name for s in schemes for layer in s.layers}
        self.question_names = {q.name for q in questions}
        tests = [t for i in items if isinstance(i, ast.Test) if (t := self.test(i))]
        policy = ir.Policy(region or self.unit.root, tuple(basis), start, end, tuple(notes), tuple(assumptions),
                           tuple(enums), tuple(schemes), rounding, tuple(self.fields.values()),
                           tuple(self.references.values()), tuple(subsidies), tuple(questions))
        errors = any(d.is_error for d in self.diags)
        return Compiled(None if errors else policy, tuple(tests), tuple(self.diags))

    def enums(self, items: list[object]) -> list[ir.Enumeration]:
        out = []
        for item in items:
            if not isinstance(item, ast.EnumDef):
                continue
            if not self._once(("枚举", item.name.text), f"枚举 {item.name.text}", item.name.span):
                continue
            values: list[str] = []
            for v in item.values:
                if v.text in values:
                    self.diags.append(error("E008", f"重复定义：枚举值“{v.text}”在 {item.name.text} 中出现两次", v.span))
                else:
                    values.append(v.text)
            default = item.default.text if item.default else None
            if default is not None and default not in values:
                self.diags.append(error("E007", f"默认值“{default}”不是{item.name.text}的取值", item.default.span))
                default = None
            out.append(ir.Enumeration(item.name.text, tuple(values), default, item.span))
        return out

    def yes_no_defaults(self, yes_no: list[ir.Enumeration], items: list[object]) -> list[ir.Enumeration]:
        out = []
        for enum in yes_no:
            fdef = next(f for f in items if isinstance(f, ast.FieldDef) and f.name.text == enum.name)
            if not self._once(("字段", enum.name), f"字段 {enum.name}", fdef.name.span):
                continue
            default = fdef.default
            value = None
            if isinstance(default, ast.Name) and default.text in ("是", "否"):
                value = default.text
            elif default is not None:
                self.diags.append(error("E026", "是否 字段的默认值应为 是 或 否", fdef.span))
            out.append(attrs.evolve(enum, default=value))
        return out

    def field_def(self, f: ast.FieldDef) -> None:
        if not self._once(("字段", f.name.text), f"字段 {f.name.text}", f.name.span):
            return
        if f.name.text in self.index.enums:
            self.diags.append(error("E008", f"重复定义：“{f.name.text}”已是枚举", f.name.span))
            return
        fdef = ir.FieldDef(f.name.text, f.type, None, f.optional, f.span)
        default = self.typed_value(fdef, f.default, f.span) if f.default is not None else None
        self.fields[fdef.name] = attrs.evolve(fdef, default=default)

    def reference(self, r: ast.Reference) -> None:
        if not self._once(("参考值", r.name.text), f"参考值 {r.name.text}", r.name.span):
            return
        values: dict[int, int] = {}
        for year_q, value_q in r.entries:
            if year_q.unit != "年" or year_q.number != int(year_q.number):
                self.diags.append(error("E005", "参考值的年度应写作 2023 年", year_q.span))
                continue
            fen = self.quantity(value_q, Kind.MONEY, r.name.text)
            if int(year_q.number) in values:
                self.diags.append(error("E013", f"重复的表项：{int(year_q.number)} 年已给出", year_q.span))
            elif fen is not None:
                values[int(year_q.number)] = int(fen)
        self.references[r.name.text] = ir.Reference(r.name.text, tuple(sorted(values.items())), r.span)


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


def compile_unit(unit: Unit) -> Compiled:
    """Lower a loaded region to IR. The policy is None when any error was found."""
    if any(d.is_error for d in unit.diagnostics):
        return Compiled(None, (), unit.diagnostics)
    result = _Lowering(unit).run()
    return attrs.evolve(result, diagnostics=unit.diagnostics + result.diagnostics)


__all__ = ["FIELD_TYPES", "Compiled", "compile_unit"]
