"""Invariants of a policy, checked on generated claims, with a minimal counterexample when one fails.

Claims are generated (seeded, policylang.tools.generate) for every person combination of the policy's
enumerations, targeting each scheme in turn, with amounts around every money value of the script, dates
around every version boundary and year end, and the typed fields the rules read. The invariants: the
fund pays between 0 and the cost; the parts of an amount add up to it (全自费 + 先行自付 + 政策范围内 =
费用, 个人账户 + 现金 = 个人自付, 个人自付 = 费用 − 基金 − 其他基金已支付); every cap holds over its scope; more cost never pays less within a
period (under a 费用限额 shared by claims that differ: raising the latest claim — _shares_limit_room); each layer pays at most what the previous left; one person's results do not depend on how other
people's claims are interleaved with theirs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

import attrs

from policylang import ir
from policylang.eval.layers import period_key, scope_key
from policylang.eval.settle import ClaimResult, settle
from policylang.ir import terms
from policylang.ir.claims import Claim, Person
from policylang.ir.units import fmt_yuan
from policylang.ir.values import Money
from policylang.tools.generate import Generator

Row = tuple[Person, Claim]
PersonSettler = Callable[[ir.Policy, Person, Iterable[Claim]], tuple[ClaimResult, ...]]
# Settles a table of rows (any interleaving of people) and returns one result per row, in row order.
TableSettler = Callable[[ir.Policy, Sequence[Row]], list[ClaimResult]]

BOUNDS, SUMS, LAYERS, CAPS, MONOTONE, INTERLEAVE = (
    "支付范围 (0 ≤ fund ≤ cost)", "分项之和 (the parts of an amount add up to it)",
    "逐层支付 (each layer pays at most what the previous left)",
    "封顶线 (caps hold)", "单调性 (more cost never pays less)", "交错无关 (interleaving of people)")
BUMPS = (1, 10000)  # 分 added to a claim for the monotonicity check (and the claim's own cost)


@attrs.frozen
class Violation:
    invariant: str
    detail: str
    rows: tuple[Row, ...]
    results: tuple[ClaimResult, ...]


@attrs.frozen
class VerifyReport:
    sequences: int
    claims: int
    violation: Violation | None


def settle_rows(policy: ir.Policy, rows: Sequence[Row], settler: PersonSettler = settle) -> list[ClaimResult]:
    """Group rows by person (keeping each person's order), settle each person, results in row order."""
    groups: dict[str, list[int]] = {}
    for i, (person, _) in enumerate(rows):
        groups.setdefault(person.id, []).append(i)
    out: list[ClaimResult | None] = [None] * len(rows)
    for idx in groups.values():
        person = rows[idx[0]][0]
        for i, r in zip(idx, settler(policy, person, [rows[i][1] for i in idx]), strict=True):
            out[i] = r
    return [r for r in out if r is not None]


# ---- the invariants on one person's claims ----------------------------------------------------------

def _bounds(results: Sequence[ClaimResult], yearly: frozenset[str] = frozenset()) -> str | None:
    for i, r in enumerate(results, 1):
        # a 年度补助 (yearly) may take back what it advanced on earlier claims: its negative share lowers the floor
        floor = sum(min(0, ls.paid) for ls in r.layers if ls.name in yearly)
        if not floor <= r.total_fund <= r.cost:
            return f"第 {i} 次就诊：基金支付 {fmt_yuan(r.total_fund)} 元不在 0 与费用 {fmt_yuan(r.cost)} 元之间"
        if r.personal != r.cost - r.total_fund - r.other_paid:  # 其他基金已支付 (扣除已付) is nobody's here
            return f"第 {i} 次就诊：个人自付 {fmt_yuan(r.personal)} 元不等于费用减基金支付（及其他基金已支付）"
        if not 0 <= r.other_paid <= r.cost:
            return f"第 {i} 次就诊：其他基金已支付 {fmt_yuan(r.other_paid)} 元不在 0 与费用之间"
    return None


def _sums(results: Sequence[ClaimResult]) -> str | None:
    """费用 = 全自费 + 乙类先行自付 + 政策范围内费用 (which holds the 异地 先行自付); 个人账户 + 现金 = 个人自付
    with both ≥ 0; 统筹支付 is the first layer's payment."""
    for i, r in enumerate(results, 1):
        parts = (r.excluded, r.first_paid, r.policy_range, r.deductible, r.allowance, r.allowance_days)
        if min(parts) < 0:
            return f"第 {i} 次就诊：全自费、先行自付、政策范围内费用、起付线或津贴为负"
        class_share = r.cost - r.excluded - r.policy_range  # 乙类先行自付: outside the policy range
        if not 0 <= class_share <= r.first_paid or r.first_paid - class_share > r.policy_range:
            return (f"第 {i} 次就诊：全自费 {fmt_yuan(r.excluded)} 元、先行自付 {fmt_yuan(r.first_paid)} 元与"
                    f"政策范围内 {fmt_yuan(r.policy_range)} 元合不成费用 {fmt_yuan(r.cost)} 元")
        if not 0 <= r.account <= r.personal:
            return (f"第 {i} 次就诊：个人账户支付 {fmt_yuan(r.account)} 元不在 0 与个人自付 "
                    f"{fmt_yuan(r.personal)} 元之间")
        if r.fund != (r.layers[0].paid if r.layers else 0):
            return f"第 {i} 次就诊：统筹支付 {fmt_yuan(r.fund)} 元不是第一层的支付"
    return None


def _layers(results: Sequence[ClaimResult], yearly: frozenset[str] = frozenset()) -> str | None:
    for i, r in enumerate(results, 1):
        # what enters the first layer: the cost less 全自费 and every 先行自付 (乙类 and 异地)
        left = r.cost - r.excluded - r.first_paid if r.layers else r.cost
        for ls in r.layers:
            if not (ls.paid >= 0 or ls.name in yearly) or ls.paid > left:
                return (f"第 {i} 次就诊：{ls.name} 支付 {fmt_yuan(ls.paid)} 元，"
                        f"而上一层剩下 {fmt_yuan(left)} 元")
            left -= ls.paid
    return None


def _cap_facts(policy: ir.Policy, person: Person, claim: Claim) -> dict:
    """The facts a claim is settled with: defaults, the person's, the claim's, then 先行自付 overrides."""
    facts = claim.facts_with(person, policy.defaults())
    scheme = policy.scheme_for(facts, claim.date)
    rule = terms.first_pay(scheme, facts, scheme.version_day(facts, claim.date)) if scheme else None
    if rule is not None:
        facts.update(dict(rule.overrides))
    return facts


def _cap_value(policy: ir.Policy, value: object, day: dt.date, fact_map: ir.Facts,
               amounts: terms.Amounts | None = None) -> int | None:
    """A cap's limit for a claim (terms.resolve: a constant, a reference by year, or a formula to the 分, which
    may read the claim's own amounts)."""
    try:
        found = terms.resolve(value, policy, fact_map, day, amounts).value  # type: ignore[arg-type]
    except terms.Missing:
        return None
    return int(found) if isinstance(found, Money) else None


def _caps(policy: ir.Policy, person: Person, claims: Sequence[Claim], results: Sequence[ClaimResult]) -> str | None:
    schemes = {s.name: s for s in policy.schemes}
    running: dict[tuple, int] = {}
    for i in sorted(range(len(claims)), key=lambda i: (claims[i].date, i)):
        claim, r = attrs.evolve(claims[i], index=i), results[i]
        scheme = schemes.get(r.scheme or "")
        if scheme is None:
            continue
        paid = {ls.name: ls.paid for ls in r.layers}
        fact_map = _cap_facts(policy, person, claim)
        for layer in scheme.layers:
            for cap in layer.caps:
                try:  # a claim without the value a 按 字段 total is keyed by was refused: it paid nothing
                    where = scope_key(cap.scope, scheme.period, claim, fact_map, stay_days=cap.stay_days, by=cap.by)
                except terms.NoCell:
                    continue
                day = scheme.version_day(fact_map, claim.date)  # 版本 按 出院日期
                try:
                    cell = cap.param.lookup(day, fact_map)
                except ir.NoCell:  # a typed condition on a field the claim lacks: refused, nothing to bound
                    continue
                # a named 累计 is one total across schemes and layers; 各自累计 keeps one per cell
                owner = ("累计", cap.counts_in) if cap.counts_in else (scheme.name, layer.name)
                key = (*owner, cap.scope, where, cell.keys if cap.separate and cell else ())
                before = running.get(key, 0)
                total = running[key] = before + paid.get(layer.name, 0)
                amounts = terms.claim_amounts(r.cost, r.excluded, r.first_paid, r.policy_range)
                limit = _cap_value(policy, cell.value, day, fact_map, amounts) if cell else None
                # a limit computed per claim may be lower than an earlier claim's: this claim then pays nothing
                if limit is not None and total > max(limit, before):
                    return (f"第 {i + 1} 次就诊后，{scheme.name} {layer.name} {cap.scope.value}累计支付 "
                            f"{fmt_yuan(total)} 元，超过封顶线 {fmt_yuan(limit)} 元〔{cell.origin}〕")
            for unit_cap in layer.unit_caps:  # 封顶线 每 床日数: this claim's payment ≤ amount × its units
                cell = unit_cap.param.lookup(claim.date, fact_map)
                limit = _cap_value(policy, cell.value, claim.date, fact_map) if cell else None
                units = fact_map.get(unit_cap.field)
                if limit is not None and isinstance(units, int | Fraction) and \
                        paid.get(layer.name, 0) > limit * units:
                    return (f"第 {i + 1} 次就诊，{scheme.name} {layer.name} 支付 {fmt_yuan(paid[layer.name])} 元，"
                            f"超过按{unit_cap.field}计的封顶线 {fmt_yuan(limit)} 元 × {units}〔{cell.origin}〕")
    return None


def _claim_period(policy: ir.Policy, person: Person, scheme: ir.Scheme, claim: Claim) -> int:
    """The period a claim counts in: by its date or by the date field the 周期 names (出院日期)."""
    return period_key(scheme.period, claim, claim.facts_with(person, policy.defaults()))


def _period_total(policy: ir.Policy, person: Person, claims: Sequence[Claim], results: Sequence[ClaimResult],
                  scheme: str, key: int) -> int:
    s = next(x for x in policy.schemes if x.name == scheme)
    return sum(r.total_fund for c, r in zip(claims, results, strict=True)
               if r.scheme == scheme and _claim_period(policy, person, s, c) == key)


def with_more(claim: Claim, fen: int) -> Claim:
    """The claim costing fen 分 more: an itemised claim's first item grows with it."""
    if not claim.items:
        return attrs.evolve(claim, amount=claim.amount + fen)
    first = claim.items[0]
    return attrs.evolve(claim, amount=claim.amount + fen,
                        items=(attrs.evolve(first, amount=first.amount + fen), *claim.items[1:]))


def _fee_limited(scheme: ir.Scheme) -> bool:
    """A scheme with a 费用限额 counted over more than one claim."""
    return any(la.fee_limit is not None and la.fee_limit.scope is not ir.Scope.VISIT for la in scheme.layers)


def _shares_limit_room(policy: ir.Policy, claims: Sequence[Claim], results: Sequence[ClaimResult], j: int) -> bool:
    """Whether raising claim j may rightly pay less: a 费用限额 counted over several claims gives its room to the
    earliest cost, so raising an earlier claim moves room from a later claim of the period that is paid at another
    ratio or deductible (another 医院等级, 就医类型 …) — or, next to a per-visit cap, that the cap will not pay.
    The same when a deductible or a cap counted per visit (narrower than the limit) takes or refuses part of
    the cost the limit counts: the raise then uses room a later claim would have been paid on.
    The precise invariant for such a scheme: raising the latest claim never pays less, and neither does raising
    any claim when every fee-limited claim has the same facts (so the same ratio and deductible) and no
    deductible or cap is counted narrower than the limit; only the other raises are not checked."""
    limited = {s.name: s for s in policy.schemes if _fee_limited(s)}
    if results[j].scheme not in limited:
        return False
    mine = [i for i, r in enumerate(results) if r.scheme in limited]
    if not any((claims[i].date, i) > (claims[j].date, j) for i in mine):
        return False
    return len({claims[i].facts for i in mine}) > 1 or any(_narrower(s) for s in limited.values())


def _narrower(scheme: ir.Scheme) -> bool:
    """A fee-limited layer whose deductible (when the limit counts cost) or a cap is counted over a narrower
    scope than its 费用限额."""
    for la in scheme.layers:
        limit = la.fee_limit
        if limit is None or limit.scope is ir.Scope.VISIT:
            continue
        if la.deductible is not None and limit.base == "累计费用" and la.deductible.scope is not limit.scope:
            return True
        if any(cap.scope is not limit.scope for cap in la.caps):
            return True
    return False


def _monotone(policy: ir.Policy, person: Person, claims: Sequence[Claim], results: Sequence[ClaimResult],
              settler: PersonSettler) -> str | None:
    schemes = {s.name: s for s in policy.schemes}
    for j, claim in enumerate(claims):
        scheme = results[j].scheme
        if scheme is None or scheme not in schemes or _shares_limit_room(policy, claims, results, j):
            continue
        key = _claim_period(policy, person, schemes[scheme], claim)
        before = _period_total(policy, person, claims, results, scheme, key)
        for bump in (*BUMPS, claim.amount):
            if bump == 0:
                continue
            more = [with_more(c, bump) if i == j else c for i, c in enumerate(claims)]
            after_results = settler(policy, person, more)
            if after_results[j].scheme != scheme:
                continue
            after = _period_total(policy, person, more, after_results, scheme, key)
            if after < before:
                return (f"第 {j + 1} 次就诊费用增加 {fmt_yuan(bump)} 元后，{scheme} 本期基金支付合计由 "
                        f"{fmt_yuan(before)} 元降为 {fmt_yuan(after)} 元")
    return None


def check_person(policy: ir.Policy, person: Person, claims: Sequence[Claim],
                 settler: PersonSettler = settle) -> tuple[str, str] | None:
    """The first invariant one person's claims break, as (invariant, detail), or None."""
    results = settler(policy, person, claims)
    yearly = frozenset(la.name for s in policy.schemes for la in s.layers if la.topup is not None)  # 年度补助
    for name, found in ((BOUNDS, lambda: _bounds(results, yearly)), (LAYERS, lambda: _layers(results, yearly)),
                        (SUMS, lambda: _sums(results)),
                        (CAPS, lambda: _caps(policy, person, claims, results)),
                        (MONOTONE, lambda: _monotone(policy, person, claims, results, settler))):
        detail = found()
        if detail:
            return name, detail
    return None


def check_interleaving(policy: ir.Policy, rows: Sequence[Row], settler: PersonSettler = settle,
                       table: TableSettler | None = None) -> tuple[str, str] | None:
    """Settling the rows as one table gives every person what settling them alone gives."""
    table = table or (lambda p, rs: settle_rows(p, rs, settler))
    together = table(policy, rows)
    for pid in dict.fromkeys(p.id for p, _ in rows):
        idx = [i for i, (p, _) in enumerate(rows) if p.id == pid]
        alone = settler(policy, rows[idx[0]][0], [rows[i][1] for i in idx])
        for k, (i, a) in enumerate(zip(idx, alone, strict=True)):
            b = together[i]
            if (a.total_fund, a.deductible, a.layers, a.account) != (b.total_fund, b.deductible, b.layers, b.account):
                return INTERLEAVE, (f"参保人 {pid} 的第 {k + 1} 次就诊：单独结算支付 {fmt_yuan(a.total_fund)} 元，"
                                    f"与他人交错结算支付 {fmt_yuan(b.total_fund)} 元")
    return None


# ---- shrinking --------------------------------------------------------------------------------------

def shrink(rows: list[Row], fails: Callable[[list[Row]], tuple[str, str] | None]) -> list[Row]:
    """A smaller sequence that still fails: drop claims, then lower each amount, until nothing helps."""
    changed = True
    while changed:
        changed = False
        for i in range(len(rows)):
            smaller = rows[:i] + rows[i + 1:]
            if smaller and fails(smaller):
                rows, changed = smaller, True
                break
        if changed:
            continue
        for i, (_, claim) in enumerate(rows):
            floor = sum(it.amount for it in claim.items[1:])
            lowest = _lowest_failing(claim.amount, lambda fen, i=i, rs=rows: fails(_with_amount(rs, i, fen)) is not None,
                                     floor)
            if lowest < claim.amount:
                rows, changed = _with_amount(rows, i, lowest), True
                break
    return rows


def _with_amount(rows: list[Row], i: int, fen: int) -> list[Row]:
    """Row i with its claim costing fen 分; an itemised claim's first item takes the change."""
    person, claim = rows[i]
    return [*rows[:i], (person, with_more(claim, fen - claim.amount)), *rows[i + 1:]]


def _lowest_failing(fen: int, fails_at: Callable[[int], bool], floor: int = 0) -> int:
    """The smallest amount in [floor, fen] found to fail, by bisection (fen itself fails)."""
    if fails_at(floor):
        return floor
    lo, hi = floor, fen  # lo passes, hi fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fails_at(mid):
            hi = mid
        else:
            lo = mid
    return hi


# ---- the run ----------------------------------------------------------------------------------------

def _person_check(policy: ir.Policy, settler: PersonSettler) -> Callable[[list[Row]], tuple[str, str] | None]:
    def fails(rows: list[Row]) -> tuple[str, str] | None:
        person = rows[0][0]
        return check_person(policy, person, [attrs.evolve(c, index=i) for i, (_, c) in enumerate(rows)], settler)
    return fails


def _violation(policy: ir.Policy, rows: list[Row], found: tuple[str, str], settler: PersonSettler,
               fails: Callable[[list[Row]], tuple[str, str] | None]) -> Violation:
    small = shrink(rows, fails)
    found = fails(small) or found
    return Violation(found[0], found[1], tuple(small), tuple(settle_rows(policy, small, settler)))


def generate(policy: ir.Policy, seed: int = 0, examples: int = 40) -> tuple[Generator, list[list[Row]]]:
    """`examples` claim sequences for every person combination (seeded), each one person's rows."""
    gen = Generator(policy, seed)
    population: list[list[Row]] = []
    for p, combo in enumerate(gen.person_combos):
        for e in range(examples):
            person = gen.person(f"P{p}-{e}", combo)
            population.append([(person, c) for c in gen.claims(gen.rng.choice((1, 1, 2, 3, 4, 6)), combo)])
    return gen, population


def verify(policy: ir.Policy, seed: int = 0, examples: int = 40, settler: PersonSettler = settle,
           table: TableSettler | None = None) -> VerifyReport:
    """Generate claim sequences for every person combination and check every invariant on them."""
    gen, population = generate(policy, seed, examples)
    sequences = claims = 0
    person_fails = _person_check(policy, settler)
    for rows in population:
        sequences, claims = sequences + 1, claims + len(rows)
        found = person_fails(rows)
        if found:
            return VerifyReport(sequences, claims, _violation(policy, rows, found, settler, person_fails))
    mixed = _interleave(gen.rng, population[: 4 * max(1, len(gen.person_combos))])

    def mixed_fails(rows: list[Row]) -> tuple[str, str] | None:
        return check_interleaving(policy, rows, settler, table)

    found = mixed_fails(mixed)
    if found:
        return VerifyReport(sequences, claims, _violation(policy, mixed, found, settler, mixed_fails))
    return VerifyReport(sequences, claims, None)


def _interleave(rng: random.Random, people: list[list[Row]]) -> list[Row]:
    """Merge people's rows in a random interleaving that keeps each person's own order."""
    queues = [list(rows) for rows in people if rows]
    out: list[Row] = []
    while queues:
        q = rng.choice(queues)
        out.append(q.pop(0))
        if not q:
            queues.remove(q)
    return out


def _facts_text(pairs: Iterable[tuple[str, object]]) -> str:
    """Enumeration values as they are; typed values (年龄, 入院日期, 住院号 …) with their field's name."""
    return " ".join(v if isinstance(v, str) and not k.endswith("号") else f"{k}={v}" for k, v in pairs)


def render_violation(v: Violation) -> str:
    """The invariant, what happened, and the minimal claim sequence with each claim's trace."""
    lines = [f"  不变量：{v.invariant}", f"  {v.detail}", f"  最小反例（{len(v.rows)} 次就诊） (minimal counterexample):"]
    for i, ((person, claim), result) in enumerate(zip(v.rows, v.results, strict=True), 1):
        who, what = _facts_text(person.facts), _facts_text(claim.facts)
        lines.append(f"    {i}. 参保人 {person.id}（{who}） 就诊 {claim.date} {what} {fmt_yuan(claim.amount)} 元"
                     f" → 基金支付 {fmt_yuan(result.total_fund)} 元")
        lines += [f"         {t.render()}" for t in result.trace]
    return "\n".join(lines)


__all__ = ["Generator", "VerifyReport", "Violation", "check_interleaving", "check_person", "generate",
           "render_violation", "settle_rows", "shrink", "verify", "with_more"]
