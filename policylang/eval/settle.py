"""The scalar evaluator: one person's claims in date order, with accumulators and a trace of every step.

Accumulator model: everything that depends on earlier claims is a running total per person, scheme,
layer and scope key (the claim itself, its day, its admission or referral, or its period). A claim's
share of a deductible or cap is what is left given the total before it; a bracketed layer pays
round(F(total after)) − round(F(total before)), so a year's payments always sum to F of the year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

import attrs

from policylang import ir
from policylang.eval import paid as funds
from policylang.eval.accumulators import opening_balances, period_key
from policylang.eval.layers import LayerSettler
from policylang.eval.trace import TraceLine
from policylang.ir import terms
from policylang.ir.claims import Claim, Person
from policylang.ir.eligibility import check_requirement
from policylang.ir.units import fmt_yuan
from policylang.ir.values import ZERO, Money, Months
from policylang.ir.wording import condition_words
from policylang.source import Span


@attrs.frozen
class LayerShare:
    name: str
    paid: int
    deductible: int = 0


@attrs.frozen
class ClaimResult:
    """The settlement of one claim: amounts in 分, the layers' shares, and the explanation."""

    claim: Claim
    scheme: str | None
    cost: int  # 费用: everything billed
    excluded: int  # 全自费
    first_paid: int  # 先行自付 (乙类 share + first self-pay)
    policy_range: int  # 政策范围内费用
    deductible: int  # 起付线 counted in the first layer
    fund: int  # 统筹支付: the first layer's payment
    personal: int  # 个人自付: cost − every layer's payment
    layers: tuple[LayerShare, ...]
    trace: tuple[TraceLine, ...]
    refused: tuple[str, ...] = ()  # why the claim is not paid, if it is not eligible
    allowance_days: int = 0
    allowance: int = 0  # 津贴
    account: int = 0  # 个人账户支付: the part of the person's share the account paid
    figures: tuple[tuple[str, int], ...] = ()  # every other named figure (ir.outputs.expectable), in trace order
    other_paid: int = 0  # 其他基金已支付 (扣除已付): not paid by this policy, nor by the person (eval/paid.py)

    @property
    def cash(self) -> int:
        """现金支付: what the person pays in cash."""
        return self.personal - self.account

    @property
    def total_fund(self) -> int:
        """基金支付: what every layer paid together."""
        return sum(ls.paid for ls in self.layers)

    def output(self, name: str) -> int | None:
        """An output by its Chinese name, as test blocks and JSON name them."""
        fixed = {"统筹支付": self.fund, "个人自付": self.personal, "起付线": self.deductible, "费用": self.cost,
                 "全自费": self.excluded, "先行自付": self.first_paid, "政策范围内费用": self.policy_range,
                 "基金支付": self.total_fund, "津贴": self.allowance, "津贴天数": self.allowance_days,
                 "个人账户支付": self.account, "现金支付": self.cash}
        if name == funds.OTHER_PAID and self.other_paid:  # also on a refusal (the figure is set on a payment)
            return self.other_paid
        if name in fixed:
            return fixed[name]
        paid = next((ls.paid for ls in self.layers if ls.name == name), None)
        return paid if paid is not None else dict(self.figures).get(name)

    def outputs(self) -> dict[str, int]:
        """Every figure of the settlement by the name a test expects it under (layers first-come)."""
        out = {name: self.output(name) for name in ("费用", "全自费", "先行自付", "政策范围内费用", "起付线", "统筹支付",
                                                    "基金支付", "个人自付", "个人账户支付", "现金支付", "津贴", "津贴天数")}
        for ls in self.layers:
            out.setdefault(ls.name, ls.paid)
        for name, value in self.figures:
            out.setdefault(name, value)
        return out  # type: ignore[return-value]


class Ledger(defaultdict):
    """The accumulators of one person, journalled per claim: a refused claim's writes are undone, so a claim
    that reaches a missing table cell consumes no deductible, cap or count."""

    def __init__(self) -> None:
        super().__init__(int)
        self.journal: dict | None = None

    def __setitem__(self, key, value) -> None:
        if self.journal is not None and key not in self.journal:
            self.journal[key] = (key in self, self.get(key))
        super().__setitem__(key, value)

    def begin(self) -> None:
        self.journal = {}

    def undo(self) -> None:
        journal, self.journal = self.journal or {}, None
        for key, (present, old) in journal.items():
            if present:
                super().__setitem__(key, old)
            else:
                self.pop(key, None)


class Places(Protocol):
    """Where other regions' policies come from, for claims treated elsewhere (就医地)."""

    def get(self, name: str) -> ir.Policy | None: ...


class ClaimSettler:
    def __init__(self, policy: ir.Policy, acc: defaultdict, claim: Claim, facts: Mapping[str, ir.Fact],
                 places: Places | None = None) -> None:
        self.places = places
        self.policy = policy
        self.acc = acc
        self.claim = claim
        self.facts = dict(facts)
        self.trace: list[TraceLine] = []
        self.scheme: ir.Scheme | None = None
        self.figures: dict[str, int] = {}
        self.other_paid = 0  # 其他基金已支付 on this claim, once its scheme is known (eval/paid.py)

    def say(self, text: str, origin: Span | None = None) -> None:
        self.trace.append(TraceLine(text, origin))

    def refuse(self, scheme: ir.Scheme | None, reasons: list[str], excluded: int = 0) -> ClaimResult:
        c = self.claim
        self.say(f"统筹支付 0.00 元，个人自付 {fmt_yuan(c.amount - self.other_paid)} 元")
        return ClaimResult(c, scheme.name if scheme else None, c.amount, excluded, 0, c.amount - excluded, 0, 0,
                           c.amount - self.other_paid, (), tuple(self.trace), tuple(reasons),
                           other_paid=self.other_paid)

    def refuse_whole(self, scheme: ir.Scheme | None, reason: str, origin: Span | None = None) -> ClaimResult:
        """Refuse the claim as a whole: what it counted on the way (deductible, caps, counters) is undone, and
        no later layer stands in for the one that could not be settled."""
        if isinstance(self.acc, Ledger):
            self.acc.undo()
        self.say(f"本次就诊不予支付，不计入起付线与封顶线，后面的层也不代为支付：{reason}", origin)
        return self.refuse(scheme, [reason])

    def tests_held(self, when: tuple) -> None:
        """Each typed condition that held, with the claim's value: 条件成立：年龄 60 岁及以上（年龄 72 岁）."""
        for test in when:
            if isinstance(test, ir.FieldTest):
                self.say(f"条件成立：{test.describe()}（{test.field} {test.fact_text(self.facts)}）", test.origin)

    def run(self) -> ClaimResult:
        if isinstance(self.acc, Ledger):
            self.acc.begin()
        try:
            return self.settle()
        except terms.NoCell as e:
            return self.refuse_whole(self.scheme, e.reason, e.origin)

    def settle(self) -> ClaimResult:
        claim, day = self.claim, self.claim.date
        scheme = self.policy.scheme_for(self.facts, day)
        if scheme is None:
            self.say(f"{day} 的就诊没有适用的方案，不予支付")
            return self.refuse(None, ["没有适用的方案"])
        self.say(f"适用方案：{scheme.name}", scheme.origin)
        self.tests_held(scheme.when)
        self.scheme = scheme
        funds.explain_version(scheme, self.facts, day, self.say)
        if (why := funds.too_much(scheme, self.facts, claim.amount)) is not None:
            self.say(f"{why}，无法结算")
            return self.refuse(scheme, [why])
        self.other_paid = funds.other_paid(scheme, self.facts)
        reasons = self.eligibility(scheme)
        if reasons:
            return self.refuse(scheme, reasons)
        catalogue = self.place_catalogue(scheme)
        if catalogue is None:
            return self.refuse(scheme, [f"找不到就医地“{self.facts.get('就医地')}”的目录"])
        excluded, class_share = self.catalogue(catalogue)
        policy_range = claim.amount - excluded - class_share
        self.say(f"政策范围内费用 {fmt_yuan(policy_range)} 元")
        first = self.first_self_pay(scheme, policy_range)
        base = policy_range - first
        shares: list[LayerShare] = []
        days = allowance = 0
        above, above_how = 0, ""  # the spending above the previous layer's cap (LayerSettler.cut_off)
        for layer in scheme.layers:
            entering, above = self.layer_base(layer, base, above, above_how), 0
            if not ir.all_hold(layer.when, self.facts):
                only = "，".join(self.policy.describe(c) for c in layer.when)
                self.say(f"【{layer.name}】不适用：仅限{only}", layer.origin)
                if layer.allowance is None:
                    shares.append(LayerShare(layer.name, 0))
                else:
                    self.figures.setdefault(layer.name, 0)  # an allowance layer's own name is an output too
                continue
            self.tests_held(layer.when)
            failed = self.layer_requirements(layer)
            if failed:
                if layer.allowance is None:
                    shares.append(LayerShare(layer.name, 0))
                else:
                    self.figures.setdefault(layer.name, 0)
                continue
            amounts = terms.claim_amounts(claim.amount, excluded, class_share + first, policy_range)
            settler = LayerSettler(self.policy, scheme, layer, self.acc, claim, self.facts, self.say, self.figures,
                                   amounts)
            if layer.allowance is not None:
                result = settler.allowance()
                if result is None:
                    return self.refuse_whole(scheme, "缺少计算津贴所需的数值")
                days, allowance = days + result[0], allowance + result[1]  # every allowance layer adds to 津贴
                continue
            settler.policy_range = policy_range  # a 年度补助 counts the period's 政策范围内费用
            outcome = settler.settle(entering)
            if outcome is None:
                return self.refuse_whole(scheme, terms.unsettled_reason(layer.name, settler.why))
            paid, counted = outcome
            shares.append(LayerShare(layer.name, paid, counted))
            base -= paid
            base -= settler.other_funds  # what other funds paid (扣除已付) does not reach later layers either
            above, above_how = settler.above, settler.above_how
        fund = shares[0].paid if shares else 0
        total = sum(s.paid for s in shares)
        personal = claim.amount - total - self.other_paid
        if personal < 0:
            return self.refuse_whole(scheme, f"{funds.OTHER_PAID} {fmt_yuan(self.other_paid)} 元与本政策支付 "
                                             f"{fmt_yuan(total)} 元合计超过本次费用 {fmt_yuan(claim.amount)} 元")
        if len(shares) > 1:
            parts = "，".join(f"{s.name} {fmt_yuan(s.paid)} 元" for s in shares)
            self.say(f"{parts}，基金合计 {fmt_yuan(total)} 元，个人自付 {fmt_yuan(personal)} 元")
        else:
            self.say(f"统筹支付 {fmt_yuan(fund)} 元，个人自付 {fmt_yuan(personal)} 元")
        if days:
            self.say(f"津贴 {fmt_yuan(allowance)} 元（{days} 天）")
        funds.explain_personal(scheme, self.facts, claim.amount, total, self.say)
        if scheme.paid_fields():
            self.figures[funds.OTHER_PAID] = self.other_paid
        deductible = shares[0].deductible if shares else 0
        parts = {"起付线": deductible, "乙类先行自付": class_share, "先行自付": first, "全自费": excluded,
                 "个人自付": personal}
        parts["政策范围内个人自付"] = max(0, personal - excluded)  # 自付 without 全自费 (自费)
        account = self.account(scheme, parts, personal)
        return ClaimResult(claim, scheme.name, claim.amount, excluded, class_share + first, policy_range, deductible,
                           fund, personal, tuple(shares), tuple(self.trace), (), days, allowance, account,
                           tuple(self.figures.items()), self.other_paid)

    def layer_base(self, layer: ir.Layer, left: int, above: int, how: str = "") -> int:
        """What a layer works on: what the previous layer left, or (基数 超过上一层封顶线的部分) only the spending
        its cap cut off."""
        if not layer.above_cap:
            return left
        entering = min(left, above)
        self.say(f"【{layer.name}】只计上一层封顶线以上部分：上一层因封顶线未支付的费用 {fmt_yuan(entering)} 元"
                 + (f"（{how}）" if how else ""), layer.origin)
        return entering

    def account(self, scheme: ir.Scheme, parts: dict[str, int], personal: int) -> int:
        """个人账户: pays the named parts of the person's share, up to the balance carried across claims."""
        acc = scheme.account
        if acc is None:
            return 0
        period = period_key(scheme.period, self.claim, self.facts)
        balance_key, opened = ("account", "balance"), ("account", "opened")
        if not self.acc[opened]:
            self.acc[opened] = 1
            self.acc[balance_key] = int(self.facts.get("账户余额", 0) or 0)  # type: ignore[arg-type]
            self.acc[("account", "opened in")] = period
        if acc.allocation is not None:
            # one person, one account: each scheme that declares a yearly allocation adds it once per new period
            last_key = ("account", "allocated", scheme.name)
            last = self.acc.get(last_key, self.acc[("account", "opened in")])
            cell = acc.allocation.lookup(self.facts)
            if period > last and cell is not None:
                self.acc[balance_key] += int(cell.value) * (period - last)  # type: ignore[call-overload]
                self.say(f"个人账户年度划入 {cell.value}{_cell_label(cell)}", cell.origin)
            self.acc[last_key] = max(last, period)
        due = personal if "个人自付" in acc.parts else min(personal, sum(parts[p] for p in acc.parts))
        balance = self.acc[balance_key]
        paid = min(balance, due)
        self.acc[balance_key] = balance - paid
        self.figures["个人账户余额"] = balance - paid
        self.say(f"个人账户支付{'、'.join(acc.parts)}共 {fmt_yuan(paid)} 元（余额 {fmt_yuan(balance)} 元 → "
                 f"{fmt_yuan(balance - paid)} 元），现金支付 {fmt_yuan(personal - paid)} 元", acc.origin)
        return paid

    def version_day(self):
        """The date that picks versions for this claim (版本 按 出院日期), else the claim's date."""
        return self.scheme.version_day(self.facts, self.claim.date) if self.scheme else self.claim.date

    def layer_requirements(self, layer: ir.Layer) -> list[str]:
        reasons = self.requirements(layer.requirements, f"【{layer.name}】")
        return reasons

    def eligibility(self, scheme: ir.Scheme) -> list[str]:
        return self.requirements(scheme.requirements, "")

    def requirements(self, reqs: tuple[ir.Requirement, ...], where: str) -> list[str]:
        optional = {f.name for f in self.policy.fields if f.optional}
        reasons = []
        for req in reqs:
            if not ir.in_force(req.start, req.end, self.version_day()):
                continue
            reason, cell = check_requirement(req, {**self.facts, "日期": self.claim.date, "费用": self.claim.amount},
                                             optional)
            if cell is not None:
                self.say(f"适用标准：{cell.label()} {_standard(cell.value)}", cell.origin)
            if reason:
                self.say(f"{where}不符合条件：{reason}，{'本层不支付' if where else '不予支付'}", req.origin)
                reasons.append(reason)
        return reasons

    def place_catalogue(self, scheme: ir.Scheme) -> ir.Catalogue | None:
        """就医地目录、参保地政策: a claim treated in another region uses that region's catalogue."""
        place = self.facts.get("就医地")
        if not place or place == self.policy.region:
            return scheme.catalogue
        other = self.places.get(str(place)) if self.places is not None else None
        there = other.scheme_for(self.facts, self.claim.date) if other is not None else None
        if there is None:
            self.say(f"就医地“{place}”：找不到其政策或对应的方案，无法按就医地目录结算")
            return None
        self.say(f"就医地 {other.region}：按就医地目录（{there.name}）确定报销范围，"
                 f"起付线、比例、封顶线按参保地 {self.policy.region} 政策", there.origin)
        return there.catalogue

    def catalogue(self, cat: ir.Catalogue) -> tuple[int, int]:
        """Itemised claims: 全自费 items and 乙类先行自付; returns (excluded, class share)."""
        items = self.claim.items
        if not items:
            return 0, 0
        excluded_names = {e.name: e for e in cat.exclusions}
        shares = {s.cls: s for s in cat.shares}
        excluded = class_share = 0
        for item in items:
            if item.name in excluded_names:
                excluded += item.amount
                self.say(f"明细“{item.name}” {fmt_yuan(item.amount)} 元属不予报销项目，全自费",
                         excluded_names[item.name].origin)
            elif item.cls in cat.out_of_range:
                excluded += item.amount
                self.say(f"明细“{item.name}”（{item.cls}） {fmt_yuan(item.amount)} 元不在目录内，全自费")
            elif item.cls in shares:
                rule = shares[item.cls]
                part = (Money(item.amount) * rule.share).rounded(self.policy.rounding).fen
                class_share += part
                self.say(f"明细“{item.name}”（{item.cls}） {fmt_yuan(item.amount)} 元 × 先行自付 {rule.share}"
                         f" = {fmt_yuan(part)} 元由个人先行自付", rule.origin)
        self.say(f"总费用 {fmt_yuan(self.claim.amount)} 元，全自费 {fmt_yuan(excluded)} 元，"
                 f"乙类先行自付 {fmt_yuan(class_share)} 元")
        return excluded, class_share

    def first_self_pay(self, scheme: ir.Scheme, amount: int) -> int:
        rule = terms.first_pay(scheme, self.facts, self.version_day())
        if rule is not None:
            index = scheme.first_pays.index(rule)
            share = rule.share
            who = "、".join(sorted(condition_words(rule.when)))
            if rule.counts:
                period = period_key(scheme.period, self.claim, self.facts)
                counter = (scheme.name, "first_pay", index, period)
                self.acc[counter] += 1
                n = self.acc[counter]
                counted = ir.count_value(rule.counts, n)
                share = counted.value if counted else ZERO
                self.say(f"{who}：本年第 {n} 次，先行自付比例 {share}", counted.origin if counted
                         else rule.origin)
            first = (Money(amount) * share).rounded(self.policy.rounding).fen
            self.say(f"{who}：个人先行自付 {fmt_yuan(amount)} 元 × {share} = {fmt_yuan(first)} 元，"
                     f"其余 {fmt_yuan(amount - first)} 元按规定报销", rule.origin)
            for field, value in rule.overrides:
                self.say(f"其余部分按{value}政策结算", rule.origin)
                self.facts[field] = value
            return first
        return 0


def _cell_label(cell: ir.Cell) -> str:
    return f"（{cell.label()}）" if cell.keys or cell.tests else ""


def _standard(value: object) -> str:
    """A requirement's standard as written: durations in months are shown in years when whole."""
    if isinstance(value, Months):
        v = value.value
        return f"{v / 12} 年" if v % 12 == 0 else f"{v} 个月"
    return str(value)


def settle(policy: ir.Policy, person: Person, claims: Iterable[Claim],
           places: Places | None = None) -> tuple[ClaimResult, ...]:
    """Settle one person's claims in date order (ties keep input order); results in input order.

    places: the other regions a claim may name as its 就医地 (place of treatment).
    """
    claims = list(claims)
    results: list[ClaimResult | None] = [None] * len(claims)
    for i, result in settle_each(policy, person, claims, places):
        results[i] = result
    return tuple(r for r in results if r is not None)


def settle_each(policy: ir.Policy, person: Person, claims: Sequence[Claim],
                places: Places | None = None) -> Iterator[tuple[int, ClaimResult]]:
    """The same settlement, one claim at a time in settlement (date) order, as (input position, result):
    a caller writing a million results keeps none of them (`settle` collects them in input order)."""
    acc = Ledger()
    first_day = min((c.date for c in claims), default=None)
    for key, amount in opening_balances(policy, person, first_day):  # 已累计: year-to-date totals
        acc[key] += amount
    defaults = policy.defaults()
    opened = person.opening and first_day is not None
    for i in sorted(range(len(claims)), key=lambda i: (claims[i].date, i)):
        claim = claims[i] if claims[i].index == i else attrs.evolve(claims[i], index=i)
        settler = ClaimSettler(policy, acc, claim, claim.facts_with(person, defaults), places)
        if opened:  # the first claim says what the settlement starts from
            carried = "、".join(f"{name} {fmt_yuan(v)} 元" for name, v in person.opening)
            settler.say(f"年初至今已累计（截至 {person.opening_date or first_day}）：{carried}")
            opened = False
        yield i, settler.run()


__all__ = ["ClaimResult", "LayerShare", "TraceLine", "settle", "settle_each"]
