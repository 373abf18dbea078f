"""AST → IR. One pass that lowers and validates: every semantic error of a region, all at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs

from policylang import ast, ir
from policylang.cases import OUTPUTS, Expectation, TestCase, TestClaim
from policylang.claims import Claim, Person, facts
from policylang.diagnostics import Diagnostic, error
from policylang.loader import Unit
from policylang.names import EnumIndex, did_you_mean
from policylang.source import Span
from policylang.units import EXAMPLE_UNIT, UNIT_KIND, Kind, to_fen, to_ratio

_SCOPES = {"每次": ir.Scope.VISIT, "每日": ir.Scope.DAY, "每次住院": ir.Scope.ADMISSION, "年度": ir.Scope.PERIOD}
_KIND_OF_STMT = {"起付线": Kind.MONEY, "封顶线": Kind.MONEY, "比例": Kind.RATIO}
_DEFAULT_LAYER = "基本医保"


@attrs.frozen
class Compiled:
    """What compiling a region gives: the policy, its tests, and the diagnostics found on the way."""

    policy: ir.Policy | None
    tests: tuple[TestCase, ...]
    diagnostics: tuple[Diagnostic, ...]


class _Lowering:
    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.diags: list[Diagnostic] = []
        self.defined: dict[tuple, Span] = {}
        # (scheme, kind, scope) → validity of each version seen, to find overlapping versions
        self.versions: dict[tuple, list[tuple[dt.date | None, dt.date | None, Span]]] = {}

    # helpers ------------------------------------------------------------------------------------
    def _once(self, key: tuple, what: str, span: Span) -> bool:
        """Record a definition; report E008 if the same thing was defined before."""
        first = self.defined.get(key)
        if first is not None:
            self.diags.append(error("E008", f"重复定义：{what} 已在第 {first.line} 行定义", span,
                                    f"首次定义于 {first}"))
            return False
        self.defined[key] = span
        return True

    def quantity(self, q: ast.Quantity, want: Kind, what: str) -> int | Fraction | None:
        """A number in the unit kind a statement needs: 分 for money, a fraction for ratios."""
        if q.unit is None:
            example = f"{q.number}{EXAMPLE_UNIT[want]}"
            self.diags.append(error("E004", f"{what} 的数值 {q.number} 缺少单位", q.span,
                                    f"是否想写 {example}？(did you mean {example}?)"))
            return None
        kind = UNIT_KIND[q.unit]
        if kind is not want:
            self.diags.append(error("E005", f"{what} 应为{want.value}（{EXAMPLE_UNIT[want]}），这里写的是 {q.unit}",
                                    q.span, f"是否想写 {q.number}{EXAMPLE_UNIT[want]}？"))
            return None
        if want is Kind.RATIO:
            if not Decimal(0) <= q.number <= Decimal(100):
                hint = f"是否想写 {q.number / 10}%？" if q.number <= 1000 else None
                self.diags.append(error("E006", f"比例超出范围：{q.number}% 不在 0%–100% 之间", q.span, hint))
                return None
            return to_ratio(q.number)
        if want is Kind.MONEY:
            fen = to_fen(q.number, q.unit)
            if fen is None:
                self.diags.append(error("E012", f"金额 {q.number}{q.unit} 不是整分", q.span))
            return fen
        return Fraction(q.number)

    def date(self, d: ast.DateLit | None) -> dt.date | None:
        if d is not None and d.value is None:
            self.diags.append(error("E011", f"日期无效：{d.text} 不是日历上的日期", d.span))
        return d.value if d else None

    def validity(self, v: ast.Validity | None) -> tuple[dt.date | None, dt.date | None]:
        if v is None:
            return None, None
        start, end = self.date(v.start), self.date(v.end)
        if start and end and end < start:
            self.diags.append(error("E019", f"失效日期 {end} 早于生效日期 {start}", v.span))
        return start, end

    # the region ---------------------------------------------------------------------------------
    def run(self) -> Compiled:
        items = [i for m in self.unit.modules for i in m.items]
        enums = self.enums([i for m in (*self.unit.imported, *self.unit.modules) for i in m.items])
        self.index = EnumIndex(enums)
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
        tests = [t for i in items if isinstance(i, ast.Test) if (t := self.test(i))]
        policy = ir.Policy(region or self.unit.root, tuple(basis), start, end, tuple(notes),
                           tuple(assumptions), tuple(enums), tuple(schemes), rounding)
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
            out.append(ir.Enumeration(item.name.text, tuple(values), item.span))
        return out

    # schemes ------------------------------------------------------------------------------------
    def conditions(self, conds: tuple[ast.Cond, ...]) -> tuple[ir.Condition, ...]:
        out = []
        for c in conds:
            if c.field is None:
                pair = self.index.value(c.values[0], self.diags)
                if pair:
                    out.append(ir.Condition(pair[0], frozenset({pair[1]})))
                continue
            enum = self.index.field(c.field, self.diags)
            if enum is None:
                continue
            values = [v for n in c.values if (v := self.index.member(enum, n, self.diags))]
            out.append(ir.Condition(enum.name, frozenset(values)))
        return tuple(out)

    def scheme(self, s: ast.Scheme, region_start, region_end) -> ir.Scheme | None:
        self._once(("方案", s.name), f"方案“{s.name}”", s.name_span)
        when = self.conditions(s.when)
        start, end = self.validity(s.validity)
        period = ir.Period()
        tables: dict[tuple[str, str | None], list[ir.Version]] = {}
        adjustments: list[ir.Adjustment] = []
        notes: list[str] = []
        ratio_seen = False
        for stmt in s.body:
            match stmt:
                case ast.Period():
                    if self._once((s.name, "周期"), "周期", stmt.span):
                        period = self.period(stmt)
                case ast.TableStmt():
                    ratio_seen |= stmt.kind == "比例"
                    version = self.table_version(s.name, stmt)
                    if version:
                        tables.setdefault((stmt.kind, stmt.scope), []).append(version)
                case ast.Adjust():
                    adj = self.adjust(stmt)
                    if adj:
                        adjustments.append(adj)
                case ast.Note():
                    notes.append(stmt.text)
        if not ratio_seen:
            self.diags.append(error("E016", f"方案“{s.name}”没有 比例 语句", s.name_span))
        layer = self.layer(s, tables, adjustments, notes)
        if layer is None:
            return None
        return ir.Scheme(s.name, when, period, (layer,), start or region_start, end or region_end,
                         tuple(notes), s.span)

    def layer(self, s, tables, adjustments, notes) -> ir.Layer | None:
        ratio_versions = tables.pop(("比例", None), None)
        if ratio_versions is None:
            return None
        ratio = ir.Ratio(ir.Param("比例", tuple(ratio_versions)), tuple(adjustments))
        deductible = None
        caps = []
        for (kind, scope), versions in tables.items():
            sc = _SCOPES[scope] if scope else (ir.Scope.PERIOD)
            param = ir.Param(kind, tuple(sorted(versions, key=lambda v: v.start or dt.date.min)))
            if kind == "起付线":
                deductible = ir.Deductible(sc, param)
            else:
                caps.append(ir.Cap(sc, param))
        caps.sort(key=lambda c: list(ir.Scope).index(c.scope))
        return ir.Layer(_DEFAULT_LAYER, ratio, deductible, tuple(caps), (), s.span)

    def period(self, p: ast.Period) -> ir.Period:
        if p.start_month is None:
            return ir.Period()
        month = p.start_month.number
        if month != month.to_integral_value() or not 1 <= month <= 12:
            self.diags.append(error("E022", f"社保年度的起始月 {month} 不在 1–12 之间", p.start_month.span))
            return ir.Period("社保年度", 1)
        return ir.Period("社保年度", int(month))

    def table_version(self, scheme: str, stmt: ast.TableStmt) -> ir.Version | None:
        start, end = self.validity(stmt.validity)
        key = (scheme, stmt.kind, stmt.scope)
        what = f"{stmt.scope or ''}{stmt.kind}"
        for o_start, o_end, o_span in self.versions.get(key, []):
            if (start is None or o_end is None or start <= o_end) and (end is None or o_start is None
                                                                      or o_start <= end):
                self.diags.append(error("E008", f"重复定义：{what} 已在第 {o_span.line} 行定义，且生效期重叠",
                                        stmt.span, "用 生效/失效（或 自…起/至）日期区分不同版本"))
                return None
        self.versions.setdefault(key, []).append((start, end, stmt.span))
        cells = []
        seen: dict[tuple, Span] = {}
        for entry in stmt.entries:
            keys = [p for k in entry.keys if (p := self.index.value(k, self.diags))]
            value = self.quantity(entry.value, _KIND_OF_STMT[stmt.kind], stmt.kind)
            if value is None or len(keys) != len(entry.keys):
                continue
            sig = tuple(sorted(keys))
            if sig in seen:
                label = "、".join(v for _, v in sig) or "默认值"
                self.diags.append(error("E013", f"重复的表项：{label} 已在第 {seen[sig].line} 行给出",
                                        entry.span))
                continue
            seen[sig] = entry.span
            cells.append(ir.Cell(tuple(keys), value, entry.span))
        return ir.Version(start, end, ir.Table(tuple(cells)), stmt.span)

    def adjust(self, a: ast.Adjust) -> ir.Adjustment | None:
        when = tuple(ir.Condition(f, frozenset({v})) for k in a.keys if (p := self.index.value(k, self.diags))
                     for f, v in [p])
        delta = self.quantity(a.delta, Kind.RATIO, "比例调整")
        start, end = self.validity(a.validity)
        if delta is None or len(when) != len(a.keys):
            return None
        sign = -1 if a.op in ("减", "降低") else 1
        return ir.Adjustment(when, sign * delta, start, end, a.span)

    # tests --------------------------------------------------------------------------------------
    def test(self, t: ast.Test) -> TestCase | None:
        self._once(("测试", t.name), f"测试“{t.name}”", t.span)
        people = [b for b in t.body if isinstance(b, ast.Person)]
        if not people:
            self.diags.append(error("E020", f"测试“{t.name}”没有 参保人 语句", t.span))
            return None
        for extra in people[1:]:
            self.diags.append(error("E008", "重复定义：一个测试只能有一个参保人", extra.span))
        person_facts = dict(p for a in people[0].attrs if (p := self.index.attribute(a, self.diags)))
        person = Person(t.name, facts(person_facts))
        claims = []
        for i, c in enumerate(b for b in t.body if isinstance(b, ast.Claim)):
            claim = self.test_claim(c, i)
            if claim:
                claims.append(claim)
        return TestCase(t.name, person, tuple(claims), t.span)

    def test_claim(self, c: ast.Claim, index: int) -> TestClaim | None:
        day = self.date(c.date)
        claim_facts = dict(p for a in c.attrs if (p := self.index.attribute(a, self.diags)))
        amount = self.quantity(c.amount, Kind.MONEY, "费用")
        expects = []
        for e in c.expects:
            if e.name.text not in OUTPUTS and e.name.text not in self.layer_names():
                pool = [*OUTPUTS, *self.layer_names()]
                self.diags.append(error("E017", f"未知的期望项“{e.name.text}”", e.name.span,
                                        did_you_mean(e.name.text, pool)))
                continue
            value = self.quantity(e.value, Kind.MONEY, e.name.text)
            if value is not None:
                expects.append(Expectation(e.name.text, value, e.span))
        if day is None or amount is None:
            return None
        return TestClaim(Claim(day, amount, facts(claim_facts), index, c.span), tuple(expects))

    def layer_names(self) -> tuple[str, ...]:
        return (_DEFAULT_LAYER,)


def compile_unit(unit: Unit) -> Compiled:
    """Lower a loaded region to IR. The policy is None when any error was found."""
    parse_errors = any(d.is_error for d in unit.diagnostics)
    if parse_errors:
        return Compiled(None, (), unit.diagnostics)
    result = _Lowering(unit).run()
    return attrs.evolve(result, diagnostics=unit.diagnostics + result.diagnostics)
