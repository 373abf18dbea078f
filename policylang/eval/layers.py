"""One layer of a settlement: deductible, ratio or brackets or fixed standard, caps; or an allowance."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import attrs

from policylang import ir
from policylang.eval import paid as funds
from policylang.eval import steps, topup
from policylang.eval.accumulators import (
    above_cap,
    band_value,
    cap_word,
    named_key,
    period_key,
    running_scope,
    scope_key,
    scope_word,
)
from policylang.eval.accumulators import show_amount as _show
from policylang.eval.deductibles import Unavailable, bound_reduced, bound_table, compound
from policylang.ir import terms
from policylang.ir.claims import Claim
from policylang.ir.outputs import band_figure
from policylang.ir.rounding import round_fen
from policylang.ir.units import fmt_yuan
from policylang.ir.values import Days, Money, Ratio
from policylang.ir.wording import condition_words


def _label(cell: ir.Cell) -> str:
    return f"（{cell.label()}）" if cell.keys or cell.tests else ""


class LayerSettler:
    deducted: int | Fraction = 0  # what 支付后扣除 and 封顶后扣除 took from this claim (eval/steps.py)

    def __init__(self, policy: ir.Policy, scheme: ir.Scheme, layer: ir.Layer, acc, claim: Claim, facts: ir.Facts,
                 say: Callable, figures: dict[str, int] | None = None, amounts: terms.Amounts | None = None) -> None:
        self.policy, self.scheme, self.layer, self.acc = policy, scheme, layer, acc
        self.amounts = amounts  # the claim's own amounts an expression may read (费用, 政策范围内费用 …)
        self.claim, self.facts, self.say = claim, facts, say
        self.figures = {} if figures is None else figures  # named figures a test may expect (ir.cases)
        self.above = 0  # the spending above this layer's cap (cut_off), for a next layer on that base
        self.above_how = ""
        self.ratio_used: Ratio | None = None
        self.bands_used: tuple[ir.Band, ...] | None = None
        self.bands_span = (0, 0)
        self.day = scheme.version_day(facts, claim.date)  # 版本 按: the date that picks parameter versions
        self.other_funds = 0  # 扣除已付: what other funds paid, taken off what reaches this layer (eval/paid.py)
        self.running_by: str | None = None  # the 按 field of the accumulator the layer rounds over (round_running)
        self.policy_range = 0  # the claim's 政策范围内费用, for a 年度补助 (eval/topup.py); set by the claim's settler

    def figure(self, suffix: str, value: int | Fraction) -> None:
        """Record a figure of this layer under its name (L进入, L起付线 …); the first layer of a name wins."""
        name = self.layer.name + suffix
        self.figures.setdefault(name, value if isinstance(value, int) else round_fen(value, self.policy.rounding))
        self.why = ""  # why a value could not be had (terms.Missing), for the refusal reason

    def key(self, what: str, scope: ir.Scope, shared: bool = False, stay_days: Days | None = None,
            by: str | None = None) -> tuple:
        return (self.scheme.name, self.layer.name, what, scope,
                scope_key(scope, self.scheme.period, self.claim, self.facts, shared, stay_days, by))

    def limit_key(self, what: str, limit: ir.Deductible | ir.Cap | ir.FeeLimit, cell: ir.Cell | None = None) -> tuple:
        """The running total a limit counts in: its own (scheme, layer, scope), or the named 累计 it shares; a
        cap table written 各自累计 keeps one total per cell."""
        shared = getattr(limit, "shared", False)
        stay = getattr(limit, "stay_days", None)
        if limit.counts_in:
            found = scope_key(limit.scope, self.scheme.period, self.claim, self.facts, False, stay, limit.by)
            key = named_key(limit.counts_in, limit.scope, found)
        else:
            key = self.key(what, limit.scope, shared, stay, limit.by)
        if cell is not None and getattr(limit, "separate", None):
            key = (*key, ("cell", cell.keys))
        return key

    def named_word(self, limit: ir.Deductible | ir.Cap | ir.FeeLimit, cell: ir.Cell | None = None) -> str:
        """How a trace line names the total a limit counts in: 本年 / 本年“救助限额” / 本年（住院）."""
        word = scope_word(limit.scope, limit.by)
        if limit.counts_in:
            return f"{word}“{limit.counts_in}”"
        if cell is not None and getattr(limit, "separate", None) and cell.keys:
            return f"{word}{cell.label()}"
        return word

    def resolve(self, value: ir.Value, origin=None) -> Money | Ratio | Days | None:
        """A cell's value for this claim (terms.resolve), explained; None when it cannot be had."""
        try:
            resolved = terms.resolve(value, self.policy, self.facts, self.day, self.amounts)
        except terms.FormulaError as e:
            self.why = str(e)
            self.say(f"无法计算“{value.text}”：{e}，本次就诊不予支付", origin)  # type: ignore[union-attr]
            return None
        except terms.Missing as e:
            self.why = str(e)
            ref = self.policy.reference(value.name)  # type: ignore[union-attr]
            self.say(f"{e}（{value.describe()}），无法结算", ref.origin if ref else None)  # type: ignore[union-attr]
            return None
        if isinstance(value, ir.Formula):
            note = resolved.note
            self.say(f"{value.text} = {resolved.value}{'（' + note + '）' if note else ''}", origin)
        return resolved.value  # type: ignore[return-value]

    def amount(self, value: ir.Value, origin=None) -> int | None:
        """A money cell's value in whole 分 for this claim, or None."""
        found = self.resolve(value, origin)
        return None if found is None else int(found)  # type: ignore[call-overload]

    def settle(self, base: int) -> tuple[int, int] | None:
        """Pay on base; returns (paid, deductible counted), or None if a reference value is missing."""
        layer = self.layer
        self.figure("进入", base)
        if len(self.scheme.layers) > 1:
            self.say(f"【{layer.name}】本次进入 {fmt_yuan(base)} 元", layer.origin)
        if layer.already_paid is not None:
            base, self.other_funds = funds.deduct(layer, self.facts, base, self.say)
        if layer.fee_limit is not None and layer.fee_limit.base == "累计费用":
            limited = self.fee_limit(layer.fee_limit, base)
            if limited is None:
                return None
            base = limited
        counted = 0
        self.deductible_amount = 0
        if layer.deductible is not None:
            found = self.deductible(layer.deductible, base)
            if found is None:
                return None
            counted = found
        eligible = base - counted
        if layer.fee_limit is not None and layer.fee_limit.base != "累计费用":  # counted from above the deductible
            limited = self.fee_limit(layer.fee_limit, eligible)
            if limited is None:
                return None
            eligible, base = limited, counted + limited
        self.figure("起付线", counted)
        self.figure("起付线以上", eligible)
        found_running = running_scope(self.scheme, layer)  # its own, or an earlier layer's (accumulators.py)
        running = found_running[0] if found_running is not None else None
        self.running_by = found_running[1] if found_running is not None else None
        if layer.ratio is not None:
            raw = self.ratio_pay(layer.ratio, eligible, exact=running is not None)
        elif layer.brackets is not None:
            raw = self.bracket_pay(layer.brackets, eligible, base)
        elif layer.fixed is not None:
            raw = self.fixed_pay(layer.fixed, eligible)
        elif layer.once is not None:
            raw = self.once_pay(layer.once, eligible)
        elif layer.topup is not None:
            raw = topup.pay(self, layer.topup, eligible)
        else:
            raw = 0
        if raw is None:
            return None
        raw = steps.deduct(self, raw, after_caps=False)  # 支付后扣除
        if raw is None:
            return None
        paid = raw
        self.figure("封顶前", raw)
        paid = steps.unit_caps(self, paid)  # 封顶线 每 床日数
        for cap in layer.caps if paid is not None else ():
            capped = self.cap(cap, paid)
            if capped is None:
                return None
            paid = capped
        if paid is None:
            return None
        self.above = self.cut_off(eligible, raw, paid)
        paid = steps.deduct(self, paid, after_caps=True)  # 封顶后扣除
        if paid is None:
            return None
        for cap in layer.caps:  # exact where the layer rounds cumulatively: the caps see what X saw
            key = self.limit_key("cap", cap, self.cap_cell(cap))
            self.acc[key] += paid
            if cap.counts_in:
                self.say(f"本次支付 {_show(paid)}，与其他计入“{cap.counts_in}”的支付合并计算，{scope_word(cap.scope, cap.by)}合计 "
                         f"{_show(self.acc[key])}", cap.param.versions[0].origin)
        if running is not None:
            paid = self.round_running(running, paid, shown=paid != raw or layer.ratio is not None)
        return paid, counted  # type: ignore[return-value]

    def round_running(self, scope: ir.Scope, exact: Fraction | int, shown: bool) -> int:
        """round(X after) − round(X before) of the layer's exact running payment X in the scope."""
        by = self.running_by
        key = self.key("paid_exact", scope, by=by)
        before = self.acc[key]
        after = before + exact
        self.acc[key] = after
        mode = self.policy.rounding
        paid = round_fen(after, mode) - round_fen(before, mode)
        if shown and ((isinstance(exact, Fraction) and exact.denominator != 1) or paid != exact):
            self.say(f"累计舍入：{scope_word(scope, by)}累计应付 {_show(after)}，{mode}到分后减去此前已付 "
                     f"{fmt_yuan(round_fen(before, mode))} 元，本次支付 {fmt_yuan(paid)} 元（分不在就诊之间移动）")
        return paid

    def limit(self, param: ir.Param, key: tuple) -> tuple[ir.Cell, int, int] | None:
        """A limit's cell, amount and what its accumulator already holds; None if its amount cannot be computed
        (the claim is refused). A claim the table has no cell for is refused (terms.NoCell)."""
        cell = terms.required_cell(param, self.day, self.facts)
        amount = self.amount(cell.value, cell.origin)
        if amount is None:
            return None
        return cell, amount, self.acc[key]

    def fee_limit(self, limit: ir.FeeLimit, base: int) -> int | None:
        key = self.limit_key("fee_limit", limit, self.cap_cell(limit))
        found = self.limit(limit.param, key)
        if found is None:
            return None
        cell, amount, used = found
        entering = min(base, max(0, int(amount) - used))
        self.acc[key] += entering
        rest = base - entering
        tail = f"，其余 {fmt_yuan(rest)} 元不进入本层，转入下一层" if rest else ""
        above = "" if limit.base == "累计费用" else "（只计起付线以上部分）"
        self.say(f"{cap_word(limit.scope, limit.by)}费用限额 {fmt_yuan(int(amount))} 元{above}：{self.named_word(limit, cell)}已计入 "
                 f"{fmt_yuan(used)} 元，本次计入 {fmt_yuan(entering)} 元{tail}", cell.origin)
        return entering

    def count(self, what: str) -> int:
        """Which admission of the period this claim belongs to (1st, 2nd …): a 住院号 keeps the number it got
        when first seen, so a later settlement of an earlier admission is still that admission."""
        period = period_key(self.scheme.period, self.claim, self.facts)
        admission = self.facts.get("住院号") or ("claim", self.claim.index)
        seen = (self.scheme.name, self.layer.name, what, "seen", period, admission)
        counter = (self.scheme.name, self.layer.name, what, "count", period)
        if not self.acc[seen]:
            self.acc[counter] += 1
            self.acc[seen] = self.acc[counter]
        self.figures.setdefault("住院次数", self.acc[seen])
        return self.acc[seen]

    def once_pay(self, once: ir.OneOff, base: int) -> int:
        """一次性支付: owed once the period's running base first exceeds the threshold, then paid from this and
        later claims' bases until settled (a layer never pays more than what reaches it)."""
        key = self.key("once_base", ir.Scope.PERIOD)
        owed_key = self.key("once_owed", ir.Scope.PERIOD)
        before = self.acc[key]
        after = before + base
        self.acc[key] = after
        threshold = int(once.threshold)
        if before <= threshold < after:
            self.acc[owed_key] = int(once.amount)
            self.say(f"本年累计 {fmt_yuan(after)} 元，首次超过 {once.threshold}：应一次性支付 {once.amount}", once.origin)
        owed = self.acc[owed_key]
        if owed <= 0:
            state = "已支付" if after > threshold else "未超过"
            self.say(f"本年累计 {fmt_yuan(after)} 元，{state}一次性支付的门槛 {once.threshold}", once.origin)
            return 0
        paid = min(owed, base)
        self.acc[owed_key] = owed - paid
        rest = f"，余下 {fmt_yuan(owed - paid)} 元在本年以后的就诊中支付" if owed > paid else ""
        self.say(f"一次性支付本次支付 {fmt_yuan(paid)} 元{rest}", once.origin)
        return paid

    def deductible(self, ded: ir.Deductible, base: int) -> int | None:
        day = self.day
        waiver = terms.waiver(ded, self.facts, day)
        if waiver is not None:
            who = "、".join(sorted(condition_words(waiver.when)))
            self.say(f"{who}免起付线", waiver.origin)
            return 0
        cell = terms.required_cell(ded.param, day, self.facts)
        amount = self.amount(cell.value, cell.origin)
        if amount is None:
            return None
        try:
            amount = self.adjust_deductible(ded, amount, cell)
        except Unavailable:  # a bound's value cannot be had
            return None
        if amount is None:
            return None
        key = self.limit_key("deductible", ded, cell)
        referral = not ded.counts_in and key[4][0] == "referral"  # a private key: (scheme, layer, what, scope, key …)
        if referral:
            # 医共体内转诊只计算首次起付线: the first admission's deductible stands for the whole referral
            first = (*key, "first")
            if not self.acc[first]:
                self.acc[first] = amount + 1  # stored +1 so that a 0 deductible still marks the first admission
            elif self.acc[first] - 1 != amount:
                self.say(f"同一转诊只计算首次起付线 {fmt_yuan(self.acc[first] - 1)} 元", cell.origin)
            amount = self.acc[first] - 1
        self.deductible_amount = amount
        used = self.acc[key]
        counted = min(base, max(0, int(amount) - used))
        self.acc[key] += counted
        source = f"（{cell.value.describe()}）" if isinstance(cell.value, ir.RefValue) else _label(cell)
        word = "同一转诊已" if referral else self.named_word(ded, cell) + "已"
        if ded.scope is ir.Scope.VISIT:
            self.say(f"起付线 {fmt_yuan(int(amount))} 元{source}，本次计入起付 {fmt_yuan(counted)} 元", cell.origin)
        else:
            self.say(f"起付线 {fmt_yuan(int(amount))} 元{source}：{word}累计起付 {fmt_yuan(used)} 元，"
                     f"本次计入起付 {fmt_yuan(counted)} 元", cell.origin)
        return counted

    def adjust_deductible(self, ded: ir.Deductible, amount: int, cell: ir.Cell) -> int | None:
        """Bounds of the table line, 按最高等级补差, 第 n 次 factors (bounded), 每次递减 steps and 逐次, each explained
        (the order: eval/deductibles.py)."""
        amount = bound_table(self, ded, amount)
        if ded.highest:
            key = self.key("deductible_highest", ded.scope)
            highest = max(self.acc[key], amount)
            self.acc[key] = highest
            if highest > amount:
                self.say(f"起付线按本年就诊过的最高等级计 {fmt_yuan(highest)} 元", cell.origin)
            amount = highest
        if ded.counts or ded.step is not None:
            n = self.count("deductible")
            rule = ir.count_value(ded.counts, n)
            if rule is not None:
                scaled = (Money(amount) * rule.value).rounded(self.policy.rounding).fen
                self.say(f"本年第 {n} 次住院：起付线按 {rule.value} 计，{fmt_yuan(amount)} 元 → "
                         f"{fmt_yuan(scaled)} 元", rule.origin)
                amount = bound_reduced(self, ded, amount, scaled)
            if ded.step is not None and n > 1:
                floor_cell = ded.floors.lookup(self.facts) if ded.floors else None
                floor = int(floor_cell.value) if floor_cell is not None else 0  # type: ignore[call-overload]
                lowered = max(floor, amount - int(ded.step) * (n - 1))
                self.say(f"本年第 {n} 次住院：起付线每次递减 {ded.step}，最低 {fmt_yuan(floor)} 元，"
                         f"计 {fmt_yuan(lowered)} 元", floor_cell.origin if floor_cell else None)
                amount = lowered
        if ded.compound is not None:
            amount = compound(self, ded, amount)
        return amount

    def ratio_pay(self, ratio_rule: ir.Ratio, eligible: int, exact: bool = False) -> int | Fraction | None:
        cell = terms.required_cell(ratio_rule.param, self.day, self.facts)
        resolved = self.resolve(cell.value, cell.origin)
        if resolved is None:
            return None
        ratio: Ratio = resolved  # type: ignore[assignment]
        self.say(f"适用比例 {ratio}{_label(cell)}", cell.origin)
        for adj, after, stop in terms.adjusted(ratio, ratio_rule.adjustments, self.facts, self.day):
            ratio = after
            bound = "" if stop is None else f"（{'最高' if adj.raises else '最低'} {stop}）"
            who = "、".join(sorted(condition_words(adj.when)))
            verb = "提高" if adj.raises else "降低"
            self.say(f"{who}比例{verb} {abs(adj.delta)}，适用比例 {ratio}{bound}", adj.origin)
        clamped = terms.clamp(ratio)
        if clamped != ratio:
            ratio = clamped
            self.say(f"比例按 0%–100% 截取为 {ratio}")
        self.ratio_used = ratio
        product = Money(eligible) * ratio
        if exact:  # rounded cumulatively (round_running)
            self.say(f"进入报销部分 {fmt_yuan(eligible)} 元 × {ratio} = {product}")
            return product.fen
        raw = product.rounded(self.policy.rounding).fen
        rounded = "" if product.whole else f"（{self.policy.rounding}到分）"
        self.say(f"进入报销部分 {fmt_yuan(eligible)} 元 × {ratio} = {fmt_yuan(raw)} 元{rounded}")
        return raw

    def bracket_pay(self, brackets: ir.Brackets, eligible: int, base: int) -> Fraction:
        """F(after) − F(before), exact: the layer rounds its running payment (round_running)."""
        cell = terms.required_cell(brackets.param, self.day, self.facts)
        bands = cell.value.bands  # type: ignore[union-attr]
        if brackets.base == "累计费用":
            return self.bracket_cost_pay(bands, base, cell)
        key = self.key("brackets", ir.Scope.PERIOD)
        before = self.acc[key]
        after = before + eligible
        self.acc[key] = after
        self.bands_used, self.bands_span = bands, (before, after)
        self.say(f"分段计算{_label(cell)}（按起付线以上部分累计）：本年此前累计 {fmt_yuan(before)} 元，"
                 f"本次 {fmt_yuan(eligible)} 元，累计 {fmt_yuan(after)} 元", cell.origin)
        for k, band in enumerate(bands, 1):
            lo = max(before, int(band.lower))
            hi = after if band.upper is None else min(after, int(band.upper))
            if hi > lo:
                upper = "以上" if band.upper is None else f"至 {band.upper}"
                part = (Money(hi - lo) * band.ratio).rounded(self.policy.rounding)
                self.figure(band_figure(k), part.fen)
                self.say(f"  {band.lower}{upper}部分 {fmt_yuan(hi - lo)} 元 × {band.ratio} = {part}", band.origin)
        return self._bracket_share(bands, before, after)

    def _bracket_share(self, bands: tuple[ir.Band, ...], before: int, after: int) -> Fraction:
        mode = self.policy.rounding
        paid = round_fen(band_value(bands, after), mode) - round_fen(band_value(bands, before), mode)
        self.say(f"分段合计本次支付 {fmt_yuan(paid)} 元")
        return band_value(bands, after) - band_value(bands, before)

    def bracket_cost_pay(self, bands: tuple[ir.Band, ...], base: int, cell: ir.Cell) -> Fraction:
        """分段 按累计费用: bands on the period's cumulative cost; only the part above the deductible is paid."""
        key = self.key("brackets_cost", ir.Scope.PERIOD)
        before = self.acc[key]
        after = before + base
        self.acc[key] = after
        floor = self.deductible_amount
        self.say(f"分段计算{_label(cell)}（按累计费用）：本年此前累计费用 {fmt_yuan(before)} 元，本次 {fmt_yuan(base)} 元，"
                 f"累计 {fmt_yuan(after)} 元，起付线 {fmt_yuan(floor)} 元以下部分不支付", cell.origin)
        shifted = tuple(attrs.evolve(b, lower=Money(max(int(b.lower), floor)),
                                     upper=None if b.upper is None else Money(max(int(b.upper), floor))) for b in bands)
        self.bands_used, self.bands_span = shifted, (before, after)
        for k, (band, orig) in enumerate(zip(shifted, bands, strict=True), 1):
            lo = max(before, int(band.lower))
            hi = after if band.upper is None else min(after, int(band.upper))
            if hi > lo:
                self.figure(band_figure(k), (Money(hi - lo) * band.ratio).rounded(self.policy.rounding).fen)
                self.say(f"  累计费用 {band.lower}{'以上' if band.upper is None else f'至 {band.upper}'}"
                         f"部分 {fmt_yuan(hi - lo)} 元 × {band.ratio}", orig.origin)
        return self._bracket_share(shifted, before, after)

    def fixed_pay(self, fixed: ir.Fixed, eligible: int) -> int | None:
        if fixed.per is not None:
            return steps.fixed_per_unit(self, fixed, eligible)
        cell = terms.required_cell(fixed.param, self.day, self.facts)
        standard = self.amount(cell.value, cell.origin)
        if standard is None:
            return None
        paid = min(eligible, standard)
        how = "按定额标准支付" if eligible >= standard else "实际费用低于定额标准，按实际费用支付"
        self.say(f"定额标准 {fmt_yuan(standard)} 元{_label(cell)}，实际 {fmt_yuan(eligible)} 元，{how} "
                 f"{fmt_yuan(paid)} 元", cell.origin)
        return paid

    def cap_cell(self, limit: ir.Cap | ir.FeeLimit) -> ir.Cell | None:
        """The cell of a 各自累计 table this claim counts under (its key); None for one shared total."""
        return terms.required_cell(limit.param, self.day, self.facts) if limit.separate else None

    def cut_off(self, eligible: int, raw: int | Fraction, paid: int | Fraction) -> int:
        """The spending above this layer's cap (accumulators.above_cap), with how it was found."""
        ratio = self.ratio_used if self.layer.ratio is not None else None
        above, self.above_how = above_cap(eligible, raw, paid, ratio, self.bands_used, self.bands_span,
                                          self.policy.rounding)
        return above

    def cap(self, cap: ir.Cap, pay: int | Fraction) -> int | Fraction | None:
        found = self.limit(cap.param, self.limit_key("cap", cap, self.cap_cell(cap)))
        if found is None:
            return None
        cell, limit, used = found
        room = max(0, int(limit) - used)
        name = f"{cap_word(cap.scope, cap.by)}封顶线 {fmt_yuan(int(limit))} 元{_label(cell)}"
        before = "" if cap.scope is ir.Scope.VISIT else f"{self.named_word(cap, cell)}已支付 {_show(used)}，"
        if pay > room:
            self.say(f"达到{name}：{before}本次支付由 {_show(pay)} 减至 {_show(room)}", cell.origin)
            return room
        self.say(f"{before}未超过{name}", cell.origin)
        return pay

    def allowance(self) -> tuple[int, int] | None:
        """津贴: (days, amount in 分), or None if the daily rate is unknown."""
        allowance = self.layer.allowance
        assert allowance is not None
        terms.required_cell(allowance.days, self.day, self.facts)
        found = terms.allowance_days(allowance, self.facts, self.day)
        cell = found.cell
        assert cell is not None
        if isinstance(cell.value, ir.Formula):  # 津贴天数 computed per claim
            base = self.resolve(cell.value, cell.origin)
            if base is None:
                return None
            days = base.n  # type: ignore[union-attr]
        else:
            days = cell.value.n  # type: ignore[union-attr]
        self.say(f"{self.layer.name}：基本津贴天数 {days} 天{_label(cell)}", cell.origin)
        for rule, added in found.steps:
            days += added.n
            if isinstance(rule, ir.DaysAddition):
                who = "、".join(sorted(condition_words(rule.when)))
                self.say(f"{who}增加 {added}，共 {days} 天", rule.origin)
            else:
                count = int(self.facts.get(rule.field, rule.base))  # type: ignore[arg-type]
                self.say(f"{rule.field} {count}，每多 1 增加 {rule.days}，增加 {added}，共 {days} 天", rule.origin)
        rate = self._daily_rate(allowance)
        if rate is None:
            return None
        exact = Days(days) * rate
        amount = exact.rounded(self.policy.rounding).fen
        self.figures.setdefault("日津贴", rate.rounded(self.policy.rounding).fen)
        self.figure("", amount)
        rounded = "" if exact.whole and amount == exact.fen else f"（{self.policy.rounding}到分）"
        self.say(f"津贴 {days} 天 × 日津贴 {rate} = {fmt_yuan(amount)} 元{rounded}", allowance.rate_origin)
        return days, amount

    def _daily_rate(self, allowance: ir.Allowance) -> Money | None:
        rate = allowance.rate
        if isinstance(rate, ir.Formula):
            try:
                exact, note = terms.formula_value(rate, self.policy, self.facts, self.day, self.amounts)
            except terms.Missing as e:
                self.say(f"无法计算日津贴“{rate.text}”：{e}", allowance.rate_origin)
                return None
            how = "已" + note if note else "不先取整，乘以天数后再舍入到分"
            self.say(f"日津贴 = {rate.text}（{how}）", allowance.rate_origin)
            return exact  # type: ignore[return-value]
        if isinstance(rate, str):
            value = self.facts.get(rate)
            if not isinstance(value, int):
                self.say(f"缺少“{rate}”，无法计算津贴", allowance.rate_origin)
                return None
            return Money(value)
        if rate is None:
            return None
        resolved = self.resolve(rate)
        return None if resolved is None else Money(int(resolved))  # type: ignore[call-overload]


__all__ = ["LayerSettler", "band_value", "period_key", "scope_key"]
