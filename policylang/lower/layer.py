"""Lowering of one 层 (or a scheme's base layer): its tables, payment method, deductible and caps."""

from __future__ import annotations

import attrs

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.ir.units import Kind
from policylang.ir.values import Days, Money
from policylang.lower import accumulators as named
from policylang.lower import steps as after_ratio
from policylang.lower.conditions import conditions_of_keys
from policylang.lower.context import Context, Definitions
from policylang.lower.deductibles import (
    DeductibleExtras,
    compound,
    fee_limit_base,
    finish,
    reduction_bounds,
    table_bounds,
)
from policylang.lower.formula import formula
from policylang.lower.paid import topup, with_already_paid, with_topup
from policylang.lower.require import requirement
from policylang.lower.tables import brackets, count_rules, keyed_table, param, table_statement
from policylang.lower.values import days, money_value, ratio_value, validity, value
from policylang.source import Span
from policylang.syntax import ast

SCOPES = {"每次": ir.Scope.VISIT, "每日": ir.Scope.DAY, "每次住院": ir.Scope.ADMISSION, "年度": ir.Scope.PERIOD}
_PAYMENT_TABLES = ("比例", "定额", "津贴天数")
_METHOD_GLOSS = {"比例": "ratio", "分段": "brackets", "定额": "fixed amount", "津贴": "allowance",
                 "一次性支付": "one-off payment", "年度补助": "year-end top-up"}


@attrs.frozen
class LayerHead:
    """Who a layer belongs to and where it was written: 职工住院/大病保险."""

    scheme: str
    name: str
    when: tuple[ir.Condition, ...]
    name_span: Span
    span: Span

    @property
    def owner(self) -> str:
        return f"{self.scheme}/{self.name}"


@attrs.define
class _Parts:
    """What the statements of one layer add up to while they are read in order."""

    tables: dict[tuple[str, str | None], list[ir.Version]] = attrs.Factory(dict)
    shared: bool = False
    highest: bool = False
    adjustments: list[ir.Adjustment] = attrs.Factory(list)
    waivers: list[ir.Waiver] = attrs.Factory(list)
    brackets: list[ast.Brackets] = attrs.Factory(list)
    additions: list[ir.DaysAddition] = attrs.Factory(list)
    per_count: list[ir.DaysPerCount] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    counts: list[ir.CountRule] = attrs.Factory(list)
    requirements: list[ir.Requirement] = attrs.Factory(list)
    step: tuple[Money, ir.Table] | None = None
    once: ir.OneOff | None = None
    rate: Money | ir.RefValue | str | ir.Formula | None = None
    rate_origin: Span | None = None
    extras: DeductibleExtras = attrs.Factory(DeductibleExtras)  # bounds, 逐次, what a fee limit counts from
    after_ratio: after_ratio.StepTables = attrs.Factory(dict)  # 支付后扣除, 封顶线 每 X, 定额 每 X (lower/steps.py)
    sharing: dict[tuple, bool | None] = attrs.Factory(dict)  # a limit table's 各自累计 / 合并累计
    above_cap: bool = False  # 基数 超过上一层封顶线的部分
    topup: ir.YearTopUp | None = None


def layer(ctx: Context, defs: Definitions, head: LayerHead, body: tuple[object, ...]) -> ir.Layer | None:
    """A layer from its statements; None when it has no payment rule (reported) or its rule was wrong."""
    parts = _Parts()
    for stmt in body:
        _statement(ctx, defs, head.owner, stmt, parts)
    ratio_versions = parts.tables.pop(("比例", None), None)
    ratio = ir.Ratio(param("比例", ratio_versions), tuple(parts.adjustments)) if ratio_versions else None
    fixed_versions = parts.tables.pop(("定额", None), None)
    fixed = ir.Fixed(param("定额", fixed_versions)) if fixed_versions else None
    steps = after_ratio.build(ctx, head.owner, parts.after_ratio)
    days_versions = parts.tables.pop(("津贴天数", None), None)
    allowance = None
    if days_versions:
        allowance = ir.Allowance(param("津贴天数", days_versions), tuple(parts.additions), tuple(parts.per_count),
                                 parts.rate, parts.rate_origin)
        if parts.rate is None:
            ctx.report(error("E041", f"{head.owner} 有 津贴天数 但没有 日津贴", head.name_span))
    after_ratio.check(ctx, head.owner, steps, fixed, allowance)
    fixed = fixed or steps.fixed
    lowered_brackets = brackets(ctx, head.owner, parts.brackets) if parts.brackets else None
    deductible, caps, fee_limit = _limits(ctx, head, parts)
    methods = [m for m in (ratio, lowered_brackets, fixed, allowance, parts.once, parts.topup) if m is not None]
    written = any(isinstance(st, ast.Brackets | ast.Once | ast.TopUp) or (isinstance(st, ast.TableStmt) and st.kind in
                                                              _PAYMENT_TABLES) for st in body)
    if not methods and written:
        return None  # the payment statement had its own error
    if not methods:
        ctx.report(error("E016", f"{head.owner} 没有支付规则（比例、分段、定额、津贴天数 或 一次性支付）", head.name_span))
        return None
    if len(methods) > 1:
        chosen = [(kind, origin) for kind, method, origin in (
            ("比例", ratio, ratio and ratio.param.versions[0].origin),
            ("分段", lowered_brackets, lowered_brackets and lowered_brackets.param.versions[0].origin),
            ("定额", fixed, fixed and fixed.param.versions[0].origin),
            ("津贴", allowance, allowance and allowance.days.versions[0].origin),
            ("一次性支付", parts.once, parts.once and parts.once.origin),
            ("年度补助", parts.topup, parts.topup and parts.topup.origin)) if method]
        _conflicting_methods(ctx, head, chosen)
    if parts.adjustments and ratio is None:
        ctx.report(error("E043", f"{head.owner} 调整了比例，但没有 比例 语句", parts.adjustments[0].origin))
    for cap in caps:
        named.warn_unsaid_sharing(ctx, head.owner, cap, head.span)
    return with_topup(ctx, parts.topup, with_already_paid(ctx, body, ir.Layer(
        head.name, head.when, deductible, ratio, lowered_brackets, fixed, tuple(caps), allowance,
        tuple(parts.notes), head.span, fee_limit, parts.once, tuple(parts.requirements),
        deductions=steps.deductions, unit_caps=steps.unit_caps, above_cap=parts.above_cap)))


def _warn_amount_in_running_limit(ctx: Context, kind: str, scope: ir.Scope, versions: list[ir.Version]) -> None:
    """W110: a limit counted over several claims (年度, 每次住院 …) computed from one claim's own amounts changes
    from claim to claim while its counter runs on; the policy almost always means a limit per visit."""
    if scope in (ir.Scope.VISIT, ir.Scope.DAY):
        return
    for version in versions:
        for cell in version.table.cells:
            if isinstance(cell.value, ir.Formula) and any(isinstance(n, ir.ClaimAmount) for n in ir.walk(cell.value)):
                ctx.report(warning("W110", f"{scope.value}{kind}按本次就诊的金额计算，每次就诊得到的{kind}不同，"
                                   "而累计跨越多次就诊", cell.origin,
                                   f"按次计算的写作 {kind} 每次 = …；累计的{kind}用不随就诊变化的数值"))
                return


def _conflicting_methods(ctx: Context, head: LayerHead, chosen: list[tuple[str, Span | None]]) -> None:
    """E027, pointing at each payment statement of the layer."""
    related = tuple((f"{kind}在此 ({_METHOD_GLOSS[kind]} here)", origin) for kind, origin in chosen if origin)
    ctx.report(error("E027", f"{head.owner} 同时写了 {'、'.join(kind for kind, _ in chosen)}", head.name_span,
                     related=related))


def _limits(ctx: Context, head: LayerHead,
            parts: _Parts) -> tuple[ir.Deductible | None, list[ir.Cap], ir.FeeLimit | None]:
    """The deductible, caps and fee limit from the layer's remaining tables."""
    deductible, caps, fee_limit = None, [], None
    step = parts.step
    for key, versions in parts.tables.items():
        kind, scope = key[0], key[1]
        counts_in = key[2] if len(key) > 2 else None  # 计入 a named 累计
        sc, stay = scope_of(scope)
        if kind in ("起付线", "封顶线", "费用限额"):
            _warn_amount_in_running_limit(ctx, kind, sc, versions)
        by = scope[1:] if sc is ir.Scope.FIELD and scope else None
        if kind == "起付线":
            if deductible is not None:
                first = deductible.param.versions[0].origin
                related = (("另一种起付线在此 (the other deductible here)", first),) if first else ()
                ctx.report(error("E035", f"{head.owner} 的起付线写了两种计算范围", versions[0].origin,
                                 related=related))
                continue
            deductible = ir.Deductible(sc, param(kind, versions), tuple(parts.waivers), parts.shared, parts.highest,
                                       tuple(parts.counts), step[0] if step else None, step[1] if step else None, stay,
                                       counts_in=counts_in, by=by, separate=parts.sharing.get(key))
        elif kind == "费用限额":
            fee_limit = ir.FeeLimit(sc, param(kind, versions), counts_in=counts_in, by=by, separate=parts.sharing.get(key))
        else:
            caps.append(ir.Cap(sc, param(kind, versions), stay, counts_in, parts.sharing.get(key), by))
    caps.sort(key=lambda c: list(ir.Scope).index(c.scope))
    deductible = finish(ctx, head.owner, head.span, deductible, parts.extras, bool(parts.counts), step is not None)
    fee_limit = fee_limit_base(ctx, head.owner, fee_limit, deductible, parts.extras.fee_bases)
    if deductible is None and (parts.waivers or parts.counts or step):
        origin = parts.waivers[0].origin if parts.waivers else head.span
        what = "免起付线" if parts.waivers else "起付线按次数" if parts.counts else "起付线递减"
        ctx.report(error("E042", f"{head.owner} 写了 {what}，但没有 起付线", origin))
    return deductible, caps, fee_limit


def _statement(ctx: Context, defs: Definitions, owner: str, stmt: object, parts: _Parts) -> None:
    """Read one statement of a layer into its parts."""
    match stmt:
        case ast.TableStmt() if after_ratio.is_step(stmt):
            after_ratio.read(ctx, defs, owner, stmt, parts.after_ratio)
        case ast.TableStmt():
            version = table_statement(ctx, defs, owner, stmt)
            parts.shared |= stmt.shared
            parts.highest |= stmt.highest
            if version and stmt.kind in named.LIMIT_KINDS:
                target = named.limit_target(ctx, stmt)
                if target is not None:
                    key = (stmt.kind, target[0]) if target[1] is None else (stmt.kind, target[0], target[1])
                    parts.tables.setdefault(key, []).append(version)
                    if stmt.sharing is not None:
                        parts.sharing[key] = named.sharing(stmt.sharing)
            elif version:
                parts.tables.setdefault((stmt.kind, stmt.scope), []).append(version)
            if version:
                table_bounds(ctx, defs, owner, stmt, version, parts.extras)
                if stmt.kind == "费用限额":
                    parts.extras.fee_bases.append((stmt.base or "", stmt.span))
        case ast.Adjust():
            if adj := adjustment(ctx, stmt):
                parts.adjustments.append(adj)
        case ast.Waiver():
            conds = conditions_of_keys(ctx, stmt.keys)
            start, end = validity(ctx, stmt.validity)
            if conds is not None:
                parts.waivers.append(ir.Waiver(conds, start, end, stmt.span))
        case ast.Brackets():
            parts.brackets.append(stmt)
        case ast.DaysAdd():
            conds = conditions_of_keys(ctx, stmt.keys)
            added = days(ctx, stmt.days, "津贴天数")
            if conds is not None and added is not None:
                parts.additions.append(ir.DaysAddition(conds, added, stmt.span))
        case ast.DaysPer():
            if per := days_per(ctx, stmt):
                parts.per_count.append(per)
        case ast.DailyRate():
            if defs.once((owner, "日津贴"), "日津贴", stmt.span):
                parts.rate, parts.rate_origin = daily_rate(ctx, stmt), stmt.span
        case ast.DeductibleCount():
            if defs.once((owner, "起付线计次"), "起付线按次数", stmt.span):
                parts.counts = count_rules(ctx, stmt.entries, Kind.RATIO, "起付线比例")
                reduction_bounds(ctx, defs, owner, "第n次起付线", stmt.bounds, stmt.span, parts.extras)
        case ast.DeductibleCompound():
            if defs.once((owner, "起付线逐次"), "起付线逐次", stmt.span):
                parts.extras.compound = compound(ctx, stmt)
                reduction_bounds(ctx, defs, owner, "逐次起付线", stmt.bounds, stmt.span, parts.extras)
        case ast.DeductibleStep():
            if defs.once((owner, "起付线递减"), "起付线递减", stmt.span):
                parts.step = step_down(ctx, defs, owner, stmt)
        case ast.Once():
            if defs.once((owner, "一次性支付"), "一次性支付", stmt.span):
                parts.once = one_off(ctx, stmt)
        case ast.TopUp():
            if defs.once((owner, "年度补助"), "年度补助", stmt.span):
                parts.topup = topup(ctx, stmt)
        case ast.Require():
            if req := requirement(ctx, stmt):
                parts.requirements.append(req)
        case ast.Note():
            parts.notes.append(stmt.text)
        case ast.LayerBase():
            if defs.once((owner, "基数"), "基数", stmt.span):
                parts.above_cap = stmt.kind == named.ABOVE_CAP


def scope_of(scope: str | None) -> tuple[ir.Scope, Days | None]:
    """The scope of a limit (每次, 每日, 每次住院, 年度, 每 30 天) and its days for a stay window."""
    if scope is None:
        return ir.Scope.PERIOD, None
    if scope.startswith("按"):  # 按 孕期号: one total per value of the field
        return ir.Scope.FIELD, None
    if scope.startswith("每") and scope.endswith("天") and scope[1:-1].isdigit():
        return ir.Scope.STAY, Days(int(scope[1:-1]))
    return SCOPES[scope], None


def adjustment(ctx: Context, stmt: ast.Adjust) -> ir.Adjustment | None:
    """退休 比例 提高 5%，最高 95%: a conditional change of the ratio, with optional bounds."""
    conds = conditions_of_keys(ctx, stmt.keys)
    delta = ratio_value(ctx, stmt.delta, "比例调整")
    start, end = validity(ctx, stmt.validity)
    for b in (stmt.lower, stmt.upper):
        if isinstance(b, ast.Arith):  # a bound computed per claim is a formula: 比例 = … ，最低 …
            ctx.report(error("E064", "比例调整的最低、最高只能是数值，不能是算式", b.span,
                             "写出数值（最高 95%），或把比例写成公式：比例 = 85% + …，最高 …"))
            return None
    lower = ratio_value(ctx, stmt.lower, "最低比例") if stmt.lower else None
    upper = ratio_value(ctx, stmt.upper, "最高比例") if stmt.upper else None
    if lower is not None and upper is not None and lower > upper:
        assert stmt.lower is not None and stmt.upper is not None
        ctx.report(error("E029", f"比例调整的最低 {stmt.lower.number}% 高于最高 {stmt.upper.number}%", stmt.span))
        return None
    if conds is None or delta is None:
        return None
    signed = -delta if stmt.op in ("减", "降低") else delta
    return ir.Adjustment(conds, signed, start, end, stmt.span, lower, upper)


def one_off(ctx: Context, stmt: ast.Once) -> ir.OneOff | None:
    amount = money_value(ctx, stmt.amount, "一次性支付")
    threshold = money_value(ctx, stmt.threshold, "累计超过")
    if amount is None or threshold is None:
        return None
    return ir.OneOff(amount, threshold, stmt.span)


def step_down(ctx: Context, defs: Definitions, owner: str, stmt: ast.DeductibleStep) -> tuple[Money, ir.Table] | None:
    """起付线 每次递减 100 元，最低 …: the step and the floor table."""
    step = money_value(ctx, stmt.step, "每次递减")
    version = keyed_table(ctx, defs, owner, "起付线下限", stmt.floors, stmt.span)
    if step is None or version is None:
        return None
    return step, version.table


def days_per(ctx: Context, stmt: ast.DaysPer) -> ir.DaysPerCount | None:
    """每 1 胎 增加 15 天: allowance days per count of a 次数 field."""
    fdef = ctx.fields.get(stmt.field.text)
    if fdef is None or fdef.type != "次数":
        ctx.report(error("E049", f"“{stmt.field.text}”应为 次数 类型的字段", stmt.field.span))
        return None
    added = days(ctx, stmt.days, "津贴天数")
    if added is None or stmt.base != int(stmt.base):
        return None
    return ir.DaysPerCount(fdef.name, int(stmt.base), added, stmt.span)


def daily_rate(ctx: Context, stmt: ast.DailyRate) -> Money | ir.RefValue | str | ir.Formula | None:
    """日津贴: an amount, a reference value, a money field or a formula."""
    v = stmt.value
    if isinstance(v, ast.Formula):
        return formula(ctx, v, Kind.MONEY, "日津贴", per_day=True)
    if isinstance(v, ast.Name):
        fdef = ctx.fields.get(v.text)
        if fdef is None or fdef.type != "金额":
            ctx.report(error("E049", f"日津贴应为金额、参考值或 金额 类型的字段，“{v.text}”不是", v.span))
            return None
        return fdef.name
    lowered = value(ctx, v, Kind.MONEY, "日津贴")
    return lowered if isinstance(lowered, Money | ir.RefValue) else None
