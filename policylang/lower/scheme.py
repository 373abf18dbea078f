"""Lowering of 方案 and 层: tables into date-versioned parameters, and the layer primitives."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.claims import CLASSES
from policylang.ir.units import Kind
from policylang.lower.base import LoweringBase
from policylang.source import Span
from policylang.syntax import ast

SCOPES = {"每次": ir.Scope.VISIT, "每日": ir.Scope.DAY, "每次住院": ir.Scope.ADMISSION, "年度": ir.Scope.PERIOD}
KIND_OF_TABLE = {"起付线": Kind.MONEY, "封顶线": Kind.MONEY, "定额": Kind.MONEY, "比例": Kind.RATIO,
                 "津贴天数": Kind.DURATION, "费用限额": Kind.MONEY, "起付线下限": Kind.MONEY}
BASE_LAYER = "基本医保"


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return (a_start is None or b_end is None or a_start <= b_end) and (b_start is None or a_end is None
                                                                        or b_start <= a_end)


class SchemeLowering(LoweringBase):
    versions: dict[tuple, list[tuple[dt.date | None, dt.date | None, Span]]]

    def scheme(self, s: ast.Scheme, region_start, region_end) -> ir.Scheme | None:
        if not self._once(("方案", s.name), f"方案“{s.name}”", s.name_span):
            return None
        when = self.conditions(s.when)
        start, end = self.validity(s.validity)
        period = ir.Period()
        period_stated = False
        account_parts, account_origin, allocation = None, None, None
        base_items, layers, exclusions, shares, first_pays, requirements = [], [], [], [], [], []
        for stmt in s.body:
            match stmt:
                case ast.Period():
                    if self._once((s.name, "周期"), "周期", stmt.span):
                        period = self.period(stmt)
                        period_stated = True
                case ast.Layer():
                    layers.append(stmt)
                case ast.Exclude():
                    exclusions += [ir.Exclusion(n.text, n.span) for n in stmt.names]
                case ast.FirstPay():
                    fp = self.first_pay(stmt)
                    if isinstance(fp, ir.ClassShare):
                        shares.append(fp)
                    elif fp is not None:
                        first_pays.append(fp)
                case ast.Require():
                    req = self.requirement(stmt)
                    if req:
                        requirements.append(req)
                case ast.AccountPay():
                    if self._once((s.name, "个人账户支付"), "个人账户 支付", stmt.span):
                        account_parts = self.account_parts(stmt)
                        account_origin = stmt.span
                case ast.AccountAlloc():
                    if self._once((s.name, "个人账户划入"), "个人账户 年度划入", stmt.span):
                        version = self.table_version(s.name, ast.TableStmt("账户划入", None, stmt.entries, None, False,
                                                                           stmt.span))
                        allocation = version.table if version else None
                case _:
                    base_items.append(stmt)
        out_layers = []
        has_base = any(not isinstance(i, ast.Note) for i in base_items)
        if has_base or not layers:
            base = self.layer(s.name, BASE_LAYER, (), tuple(base_items), s.name_span, s.span)
            if base:
                out_layers.append(base)
        for layer in layers:
            self._once((s.name, "层", layer.name), f"层“{layer.name}”", layer.name_span)
            lowered = self.layer(s.name, layer.name, self.conditions(layer.when), layer.body, layer.name_span,
                                 layer.span)
            if lowered:
                out_layers.append(lowered)
        notes = tuple(i.text for i in base_items if isinstance(i, ast.Note))
        catalogue = ir.Catalogue(tuple(exclusions), tuple(shares))
        self.counters_need_period(s, period_stated)
        account = None
        if account_parts is not None:
            account = ir.Account(tuple(account_parts), allocation, account_origin)
        elif allocation is not None:
            account = ir.Account(("个人自付",), allocation, s.span)
        return ir.Scheme(s.name, when, period, tuple(out_layers), catalogue, tuple(first_pays), tuple(requirements),
                         start or region_start, end or region_end, notes, s.span, account)

    def counters_need_period(self, s: ast.Scheme, stated: bool) -> None:
        """E032: 第 n 次 counts within a period, so the scheme must say which."""
        if stated:
            return

        def counting(stmts) -> list[Span]:
            found = []
            for st in stmts:
                if isinstance(st, ast.DeductibleCount | ast.DeductibleStep | ast.Once) or (
                        isinstance(st, ast.FirstPay) and st.counts):
                    found.append(st.span)
                elif isinstance(st, ast.Layer):
                    found += counting(st.body)
            return found

        for span in counting(s.body):
            self.diags.append(error("E032", "按次数或累计计算的规则需要周期：方案没有写 周期", span,
                                    "在方案开头写 周期 自然年度（或 周期 社保年度 自 7 月起）"))

    def account_parts(self, stmt: ast.AccountPay) -> list[str]:
        out = []
        for part in stmt.parts:
            if part.text not in ir.ACCOUNT_PARTS:
                self.diags.append(error("E015", f"个人账户不能支付“{part.text}”", part.span,
                                        f"可支付：{'、'.join(ir.ACCOUNT_PARTS)}"))
            else:
                out.append(part.text)
        return out

    def period(self, p: ast.Period) -> ir.Period:
        by = None
        if p.by is not None:
            fdef = self.fields.get(p.by.text)
            if fdef is None or fdef.type != "日期":
                self.diags.append(error("E025", f"周期 按 之后应为日期字段（如 出院日期），“{p.by.text}”不是", p.by.span))
            else:
                by = fdef.name
        if p.start_month is None:
            return ir.Period(by=by)
        month = p.start_month.number
        if month != month.to_integral_value() or not 1 <= month <= 12:
            self.diags.append(error("E022", f"社保年度的起始月 {month} 不在 1–12 之间", p.start_month.span))
            return ir.Period("社保年度", 1)
        return ir.Period("社保年度", int(month), by)

    # layers -------------------------------------------------------------------------------------
    def layer(self, scheme: str, name: str, when, body, name_span: Span, span: Span) -> ir.Layer | None:
        owner = f"{scheme}/{name}"
        tables: dict[tuple[str, str | None], list[ir.Version]] = {}
        shared = highest = False
        adjustments, waivers, bracket_cells, additions, per_count, notes = [], [], [], [], [], []
        counts: list[ir.CountRule] = []
        requirements: list[ir.Requirement] = []
        step: tuple[int, ir.Table] | None = None
        once = None
        rate, rate_origin = None, None
        for stmt in body:
            match stmt:
                case ast.TableStmt():
                    version = self.table_version(owner, stmt)
                    shared |= stmt.shared
                    highest |= stmt.highest
                    if version:
                        tables.setdefault((stmt.kind, stmt.scope), []).append(version)
                case ast.Adjust():
                    adj = self.adjustment(stmt)
                    if adj:
                        adjustments.append(adj)
                case ast.Waiver():
                    conds = self.conditions_of_keys(stmt.keys)
                    start, end = self.validity(stmt.validity)
                    if conds is not None:
                        waivers.append(ir.Waiver(conds, start, end, stmt.span))
                case ast.Brackets():
                    bracket_cells.append(stmt)
                case ast.DaysAdd():
                    conds = self.conditions_of_keys(stmt.keys)
                    days = self.whole(stmt.days, Kind.DURATION, "津贴天数")
                    if conds is not None and days is not None:
                        additions.append(ir.DaysAddition(conds, days, stmt.span))
                case ast.DaysPer():
                    per = self.days_per(stmt)
                    if per:
                        per_count.append(per)
                case ast.DailyRate():
                    if self._once((owner, "日津贴"), "日津贴", stmt.span):
                        rate, rate_origin = self.daily_rate(stmt), stmt.span
                case ast.DeductibleCount():
                    if self._once((owner, "起付线计次"), "起付线按次数", stmt.span):
                        counts = self.count_rules(stmt.entries, Kind.RATIO, "起付线比例")
                case ast.DeductibleStep():
                    if self._once((owner, "起付线递减"), "起付线递减", stmt.span):
                        step = self.step_down(owner, stmt)
                case ast.Once():
                    if self._once((owner, "一次性支付"), "一次性支付", stmt.span):
                        amount = self.quantity(stmt.amount, Kind.MONEY, "一次性支付")
                        threshold = self.quantity(stmt.threshold, Kind.MONEY, "累计超过")
                        if amount is not None and threshold is not None:
                            once = ir.OneOff(int(amount), int(threshold), stmt.span)
                case ast.Require():
                    req = self.requirement(stmt)
                    if req:
                        requirements.append(req)
                case ast.Note():
                    notes.append(stmt.text)
        ratio_versions = tables.pop(("比例", None), None)
        ratio = ir.Ratio(self.param("比例", ratio_versions), tuple(adjustments)) if ratio_versions else None
        fixed_versions = tables.pop(("定额", None), None)
        fixed = ir.Fixed(self.param("定额", fixed_versions)) if fixed_versions else None
        days_versions = tables.pop(("津贴天数", None), None)
        allowance = None
        if days_versions:
            allowance = ir.Allowance(self.param("津贴天数", days_versions), tuple(additions), tuple(per_count),
                                     rate, rate_origin)
            if rate is None:
                self.diags.append(error("E016", f"{owner} 有 津贴天数 但没有 日津贴", name_span))
        brackets = self.brackets(owner, bracket_cells) if bracket_cells else None
        deductible, caps, fee_limit = None, [], None
        for (kind, scope), versions in tables.items():
            sc, days = self.scope(scope)
            if kind == "起付线":
                if deductible is not None:
                    self.diags.append(error("E008", f"重复定义：{owner} 的起付线只能有一种计算范围", versions[0].origin))
                    continue
                deductible = ir.Deductible(sc, self.param(kind, versions), tuple(waivers), shared, highest,
                                           tuple(counts), step[0] if step else None, step[1] if step else None, days)
            elif kind == "费用限额":
                fee_limit = ir.FeeLimit(sc, self.param(kind, versions))
            else:
                caps.append(ir.Cap(sc, self.param(kind, versions), days))
        caps.sort(key=lambda c: list(ir.Scope).index(c.scope))
        if deductible is None and (waivers or counts or step):
            origin = waivers[0].origin if waivers else span
            self.diags.append(error("E016", f"{owner} 写了 免起付线 或 起付线按次数，但没有 起付线", origin))
        methods = [m for m in (ratio, brackets, fixed, allowance, once) if m is not None]
        written = any(isinstance(st, ast.Brackets | ast.Once) or (isinstance(st, ast.TableStmt) and st.kind in
                                                                  ("比例", "定额", "津贴天数")) for st in body)
        if not methods and written:
            return None  # the payment statement had its own error
        if not methods:
            self.diags.append(error("E016", f"{owner} 没有支付规则（比例、分段、定额、津贴天数 或 一次性支付）", name_span))
            return None
        if len(methods) > 1:
            kinds = "、".join(k for k, m in (("比例", ratio), ("分段", brackets), ("定额", fixed), ("津贴", allowance),
                                             ("一次性支付", once)) if m)
            self.diags.append(error("E027", f"{owner} 同时写了 {kinds}", name_span))
        if adjustments and ratio is None:
            self.diags.append(error("E016", f"{owner} 调整了比例，但没有 比例 语句", adjustments[0].origin))
        return ir.Layer(name, when, deductible, ratio, brackets, fixed, tuple(caps), allowance, tuple(notes), span,
                        fee_limit, once, tuple(requirements))

    def scope(self, scope: str | None) -> tuple[ir.Scope, int | None]:
        if scope is None:
            return ir.Scope.PERIOD, None
        if scope.startswith("每") and scope.endswith("天") and scope[1:-1].isdigit():
            return ir.Scope.STAY, int(scope[1:-1])
        return SCOPES[scope], None

    def adjustment(self, stmt: ast.Adjust) -> ir.Adjustment | None:
        conds = self.conditions_of_keys(stmt.keys)
        delta = self.quantity(stmt.delta, Kind.RATIO, "比例调整")
        start, end = self.validity(stmt.validity)
        lower = self.quantity(stmt.lower, Kind.RATIO, "最低比例") if stmt.lower else None
        upper = self.quantity(stmt.upper, Kind.RATIO, "最高比例") if stmt.upper else None
        if lower is not None and upper is not None and lower > upper:
            self.diags.append(error("E029", f"比例调整的最低 {stmt.lower.number}% 高于最高 {stmt.upper.number}%", stmt.span))
            return None
        if conds is None or delta is None:
            return None
        sign = -1 if stmt.op in ("减", "降低") else 1
        return ir.Adjustment(conds, sign * delta, start, end, stmt.span,
                             None if lower is None else Fraction(lower), None if upper is None else Fraction(upper))

    def count_rules(self, entries: tuple[ast.CountEntry, ...], want: Kind, what: str) -> list[ir.CountRule]:
        out = []
        for e in entries:
            value = self.quantity(e.value, want, what)
            if value is None:
                continue
            if e.n < 1:
                self.diags.append(error("E012", f"第 {e.n} 次：次数应从 1 开始", e.span))
                continue
            out.append(ir.CountRule(e.n, e.onward, Fraction(value), e.span))
        return out

    def step_down(self, owner: str, stmt: ast.DeductibleStep) -> tuple[int, ir.Table] | None:
        step = self.quantity(stmt.step, Kind.MONEY, "每次递减")
        version = self.table_version(owner, ast.TableStmt("起付线下限", None, stmt.floors, None, False, stmt.span))
        if step is None or version is None:
            return None
        return int(step), version.table

    def param(self, kind: str, versions: list[ir.Version]) -> ir.Param:
        return ir.Param(kind, tuple(sorted(versions, key=lambda v: v.start or dt.date.min)))

    def _check_overlap(self, key: tuple, what: str, start, end, span: Span) -> bool:
        for o_start, o_end, o_span in self.versions.get(key, []):
            if _overlaps(start, end, o_start, o_end):
                self.diags.append(error("E008", f"重复定义：{what} 已在第 {o_span.line} 行定义，且生效期重叠",
                                        span, "用 生效/失效（或 自…起/至）日期区分不同版本"))
                return False
        self.versions.setdefault(key, []).append((start, end, span))
        return True

    def table_version(self, owner: str, stmt: ast.TableStmt) -> ir.Version | None:
        start, end = self.validity(stmt.validity)
        what = f"{stmt.scope or ''}{stmt.kind}"
        if not self._check_overlap((owner, stmt.kind, stmt.scope), what, start, end, stmt.span):
            return None
        want = KIND_OF_TABLE.get(stmt.kind, Kind.MONEY)
        if stmt.formula is not None:
            formula = self.formula(stmt.formula, want, stmt.kind)
            cells = [ir.Cell((), formula, stmt.formula.span)] if formula else []
            return ir.Version(start, end, ir.Table(tuple(cells)), stmt.span)
        cells = []
        seen: dict[tuple, Span] = {}
        for entry in stmt.entries:
            combos = self.cell_keys(entry.keys)
            if stmt.kind == "津贴天数":
                value = self.whole(entry.value, want, stmt.kind) if isinstance(entry.value, ast.Quantity) else None
            else:
                value = self.value(entry.value, want, stmt.kind)
            if value is None or combos is None:
                continue
            for keys in combos:
                sig = tuple(sorted(keys))
                if sig in seen:
                    label = "、".join(v for _, v in sig) or "默认值"
                    self.diags.append(error("E013", f"重复的表项：{label} 已在第 {seen[sig].line} 行给出", entry.span))
                    continue
                seen[sig] = entry.span
                cells.append(ir.Cell(keys, value, entry.span))
        return ir.Version(start, end, ir.Table(tuple(cells)), stmt.span)

    def brackets(self, owner: str, stmts: list[ast.Brackets]) -> ir.Brackets | None:
        by_validity: dict[tuple, list[ir.Cell]] = {}
        origins: dict[tuple, Span] = {}
        seen: dict[tuple, Span] = {}
        for stmt in stmts:
            start, end = self.validity(stmt.validity)
            combos = self.cell_keys(stmt.keys)
            bands = self.bands(stmt)
            if combos is None or bands is None:
                continue
            for keys in combos:
                sig = (start, end, tuple(sorted(keys)))
                if sig in seen:
                    self.diags.append(error("E013", f"重复的分段：{'、'.join(v for _, v in keys) or '默认'} 已在第 "
                                            f"{seen[sig].line} 行给出", stmt.span))
                    continue
                seen[sig] = stmt.span
                by_validity.setdefault((start, end), []).append(ir.Cell(keys, ir.BandSet(bands), stmt.span))
                origins.setdefault((start, end), stmt.span)
        keys_sorted = sorted(by_validity, key=lambda k: k[0] or dt.date.min)
        for i, a in enumerate(keys_sorted):
            for b in keys_sorted[i + 1:]:
                if _overlaps(*a, *b):
                    self.diags.append(error("E008", f"重复定义：{owner} 的分段生效期重叠", origins[b]))
        versions = [ir.Version(s, e, ir.Table(tuple(cells)), origins[(s, e)]) for (s, e), cells in
                    ((k, by_validity[k]) for k in keys_sorted)]
        bases = {st.base for st in stmts if st.base}
        if len(bases) > 1:
            self.diags.append(error("E027", f"{owner} 的分段基数不一致：{'、'.join(sorted(bases))}", stmts[0].span))
        base = "累计费用" if bases == {"按累计费用"} else "起付线以上部分"
        return ir.Brackets(ir.Param("分段", tuple(versions)), base) if versions else None

    def bands(self, stmt: ast.Brackets) -> tuple[ir.Band, ...] | None:
        out: list[ir.Band] = []
        ok = True
        for b in stmt.bands:
            ratio = self.quantity(b.ratio, Kind.RATIO, "分段比例")
            lower = self.quantity(b.lower, Kind.MONEY, "分段下限") if b.lower else 0
            upper = self.quantity(b.upper, Kind.MONEY, "分段上限") if b.upper else None
            if ratio is None or lower is None or (b.upper and upper is None):
                ok = False
                continue
            if b.lower is None and out:
                lower = out[-1].upper or 0  # "X 以内" after another band: from the previous bound
            out.append(ir.Band(int(lower), None if upper is None else int(upper), Fraction(ratio),
                               bool(b.lower_inclusive), b.upper_inclusive if b.upper_inclusive is not None else True,
                               b.span))
        if not ok:
            return None
        expected = 0
        for band in out:
            if band.lower != expected:
                what = "重叠" if band.lower < expected else "留有空档"
                self.diags.append(error("E024", f"分段{what}：这一段从 {band.lower / 100:g} 元开始，"
                                        f"上一段到 {expected / 100:g} 元为止", band.origin))
                return None
            if band.upper is not None and band.upper <= band.lower:
                self.diags.append(error("E024", "分段上限不大于下限", band.origin))
                return None
            if band.upper is None and band is not out[-1]:
                self.diags.append(error("E024", "无上限的分段之后还有分段", band.origin))
                return None
            expected = band.upper if band.upper is not None else expected
        return tuple(out)

    def days_per(self, stmt: ast.DaysPer) -> ir.DaysPerCount | None:
        fdef = self.fields.get(stmt.field.text)
        if fdef is None or fdef.type != "次数":
            self.diags.append(error("E025", f"“{stmt.field.text}”应为 次数 类型的字段", stmt.field.span))
            return None
        days = self.whole(stmt.days, Kind.DURATION, "津贴天数")
        if days is None or stmt.base != int(stmt.base):
            return None
        return ir.DaysPerCount(fdef.name, int(stmt.base), days, stmt.span)

    def daily_rate(self, stmt: ast.DailyRate) -> int | ir.RefValue | str | ir.Formula | None:
        v = stmt.value
        if isinstance(v, ast.Formula):
            return self.formula(v, Kind.MONEY, "日津贴")
        if isinstance(v, ast.Name):
            fdef = self.fields.get(v.text)
            if fdef is None or fdef.type != "金额":
                self.diags.append(error("E025", f"日津贴应为金额、参考值或 金额 类型的字段，“{v.text}”不是", v.span))
                return None
            return fdef.name
        value = self.value(v, Kind.MONEY, "日津贴")
        return value if isinstance(value, int | ir.RefValue) else None

    def first_pay(self, stmt: ast.FirstPay) -> ir.FirstSelfPay | ir.ClassShare | None:
        counts = self.count_rules(stmt.counts, Kind.RATIO, "先行自付") if stmt.counts else []
        if stmt.share is None:
            conds = self.conditions_of_keys(stmt.keys)
            overrides = [p for n in stmt.overrides if (p := self.index.value(n, self.diags))]
            start, end = self.validity(stmt.validity)
            if conds is None or not counts or len(overrides) != len(stmt.overrides):
                return None
            return ir.FirstSelfPay(conds, Fraction(0), tuple(overrides), start, end, stmt.span, tuple(counts))
        share = self.quantity(stmt.share, Kind.RATIO, "先行自付")
        start, end = self.validity(stmt.validity)
        names = [n.text for k in stmt.keys for n in k.values]
        if len(names) == 1 and names[0] in CLASSES:
            if share is None:
                return None
            return ir.ClassShare(names[0], Fraction(share), stmt.span)
        conds = self.conditions_of_keys(stmt.keys)
        overrides = [p for n in stmt.overrides if (p := self.index.value(n, self.diags))]
        if conds is None or share is None or len(overrides) != len(stmt.overrides):
            return None
        return ir.FirstSelfPay(conds, Fraction(share), tuple(overrides), start, end, stmt.span)
