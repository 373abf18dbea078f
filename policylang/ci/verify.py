"""Invariants of a policy, checked on generated claims, with a minimal counterexample when one fails.

Claims are generated (seeded) for every combination of the policy's enumerations, with amounts around
every money value of the script and dates around every version boundary and year end. The invariants:
the fund pays between 0 and the cost; every cap holds over its scope; more cost never pays less within
a period; each layer pays at most what the previous left; one person's results do not depend on how
other people's claims are interleaved with theirs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence

import attrs

from policylang import ir
from policylang.ci.claimtable import PERSON_FIELDS
from policylang.claims import Claim, Person, facts
from policylang.layers import scope_key
from policylang.settle import ClaimResult, settle
from policylang.units import fmt_yuan

Row = tuple[Person, Claim]
PersonSettler = Callable[[ir.Policy, Person, Iterable[Claim]], tuple[ClaimResult, ...]]
# Settles a table of rows (any interleaving of people) and returns one result per row, in row order.
TableSettler = Callable[[ir.Policy, Sequence[Row]], list[ClaimResult]]

BOUNDS, LAYERS, CAPS, MONOTONE, INTERLEAVE = (
    "支付范围 (0 ≤ fund ≤ cost)", "逐层支付 (each layer pays at most what the previous left)",
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

def _bounds(results: Sequence[ClaimResult]) -> str | None:
    for i, r in enumerate(results, 1):
        if not 0 <= r.total_fund <= r.cost:
            return f"第 {i} 次就诊：基金支付 {fmt_yuan(r.total_fund)} 元不在 0 与费用 {fmt_yuan(r.cost)} 元之间"
        if r.personal != r.cost - r.total_fund:
            return f"第 {i} 次就诊：个人自付 {fmt_yuan(r.personal)} 元不等于费用减基金支付"
    return None


def _layers(results: Sequence[ClaimResult]) -> str | None:
    for i, r in enumerate(results, 1):
        left = r.policy_range - r.first_paid if r.layers else r.cost
        for ls in r.layers:
            if not 0 <= ls.paid <= left:
                return (f"第 {i} 次就诊：{ls.name} 支付 {fmt_yuan(ls.paid)} 元，"
                        f"而上一层剩下 {fmt_yuan(left)} 元")
            left -= ls.paid
    return None


def _cap_facts(policy: ir.Policy, person: Person, claim: Claim) -> dict:
    """The facts a claim is settled with: defaults, the person's, the claim's, then 先行自付 overrides."""
    facts = claim.facts_with(person, policy.defaults())
    scheme = policy.scheme_for(facts, claim.date)
    for rule in scheme.first_pays if scheme else ():
        if ir.in_force(rule.start, rule.end, claim.date) and ir.all_hold(rule.when, facts):
            facts.update(dict(rule.overrides))
            break
    return facts


def _cap_value(policy: ir.Policy, value: object, day: dt.date) -> int | None:
    if isinstance(value, ir.RefValue):
        ref = policy.reference(value.name)
        return ref.for_year(day.year + value.offset) if ref else None
    return value if isinstance(value, int) else None


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
                key = (scheme.name, layer.name, cap.scope, scope_key(cap.scope, scheme.period, claim, fact_map))
                total = running[key] = running.get(key, 0) + paid.get(layer.name, 0)
                cell = cap.param.lookup(claim.date, fact_map)
                limit = _cap_value(policy, cell.value, claim.date) if cell else None
                if limit is not None and total > limit:
                    return (f"第 {i + 1} 次就诊后，{scheme.name} {layer.name} {cap.scope.value}累计支付 "
                            f"{fmt_yuan(total)} 元，超过封顶线 {fmt_yuan(limit)} 元〔{cell.origin}〕")
    return None


def _period_total(policy: ir.Policy, claims: Sequence[Claim], results: Sequence[ClaimResult], scheme: str,
                  key: int) -> int:
    schemes = {s.name: s for s in policy.schemes}
    s = schemes[scheme]
    return sum(r.total_fund for c, r in zip(claims, results, strict=True)
               if r.scheme == scheme and s.period.key(c.date) == key)


def _monotone(policy: ir.Policy, person: Person, claims: Sequence[Claim], results: Sequence[ClaimResult],
              settler: PersonSettler) -> str | None:
    schemes = {s.name: s for s in policy.schemes}
    for j, claim in enumerate(claims):
        scheme = results[j].scheme
        if scheme is None or scheme not in schemes:
            continue
        key = schemes[scheme].period.key(claim.date)
        before = _period_total(policy, claims, results, scheme, key)
        for bump in (*BUMPS, claim.amount):
            if bump == 0:
                continue
            more = [attrs.evolve(c, amount=c.amount + bump) if i == j else c for i, c in enumerate(claims)]
            after_results = settler(policy, person, more)
            if after_results[j].scheme != scheme:
                continue
            after = _period_total(policy, more, after_results, scheme, key)
            if after < before:
                return (f"第 {j + 1} 次就诊费用增加 {fmt_yuan(bump)} 元后，{scheme} 本期基金支付合计由 "
                        f"{fmt_yuan(before)} 元降为 {fmt_yuan(after)} 元")
    return None


def check_person(policy: ir.Policy, person: Person, claims: Sequence[Claim],
                 settler: PersonSettler = settle) -> tuple[str, str] | None:
    """The first invariant one person's claims break, as (invariant, detail), or None."""
    results = settler(policy, person, claims)
    for name, found in ((BOUNDS, lambda: _bounds(results)), (LAYERS, lambda: _layers(results)),
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
            if (a.total_fund, a.deductible, a.layers) != (b.total_fund, b.deductible, b.layers):
                return INTERLEAVE, (f"参保人 {pid} 的第 {k + 1} 次就诊：单独结算支付 {fmt_yuan(a.total_fund)} 元，"
                                    f"与他人交错结算支付 {fmt_yuan(b.total_fund)} 元")
    return None


# ---- generation -------------------------------------------------------------------------------------

def _money_values(obj: object) -> set[int]:
    """Every money amount (分) in the policy's tables."""
    out: set[int] = set()
    if isinstance(obj, ir.Cell):
        if isinstance(obj.value, int):
            out.add(obj.value)
    elif isinstance(obj, tuple | list):
        for v in obj:
            out |= _money_values(v)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if f.name != "origin":
                out |= _money_values(getattr(obj, f.name))
    return out


def _boundary_dates(policy: ir.Policy) -> set[dt.date]:
    out: set[dt.date] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, tuple | list):
            for v in obj:
                walk(v)
        elif attrs.has(type(obj)):
            for f in attrs.fields(type(obj)):
                value = getattr(obj, f.name)
                if f.name in ("start", "end") and isinstance(value, dt.date):
                    out.update({value - dt.timedelta(days=1), value, value + dt.timedelta(days=1)})
                elif f.name != "origin":
                    walk(value)

    walk(policy.schemes)
    return out


class Generator:
    """Seeded claims for one policy: amounts and dates that probe its edges, combos of its enumerations."""

    def __init__(self, policy: ir.Policy, seed: int) -> None:
        self.rng = random.Random(seed)
        self.year = policy.start.year if policy.start else 2024
        money = _money_values(policy.schemes)
        self.amounts = sorted({0, 1, 99, 100_000_000} | {m + d for m in money for d in (-1, 0, 1) if m + d >= 0}
                              | {2 * m for m in money})
        self.dates = sorted(d for d in _boundary_dates(policy) | {
            dt.date(self.year, 1, 1), dt.date(self.year, 12, 31), dt.date(self.year + 1, 1, 1)}
            if d.year in (self.year, self.year + 1))
        used = used_fields(policy)
        person_enums = [e for e in policy.enums if e.name in used and e.name in PERSON_FIELDS]
        claim_enums = [e for e in policy.enums if e.name in used and e.name not in PERSON_FIELDS]
        self.person_combos = _product(person_enums)
        self.claim_combos = _product(claim_enums)
        self.scales = sorted(m for m in money if m > 0) or [30_000]
        self.next_combo = 0

    def amount(self) -> int:
        """An edge amount, or one spread lognormally around one of the script's money values."""
        if self.rng.random() < 0.4:
            return self.rng.choice(self.amounts)
        return max(0, round(self.rng.choice(self.scales) * math.exp(self.rng.gauss(0, 1.0))))

    def date(self) -> dt.date:
        if self.dates and self.rng.random() < 0.3:
            return self.rng.choice(self.dates)
        return dt.date(self.year, 1, 1) + dt.timedelta(days=self.rng.randrange(730))

    def combo(self) -> tuple[tuple[str, str], ...]:
        """The next combination in turn, so every combination appears."""
        combo = self.claim_combos[self.next_combo % len(self.claim_combos)]
        self.next_combo += 1
        return combo

    def claims(self, count: int) -> list[Claim]:
        """A person's claims: mostly of one kind (accumulating toward caps), some of others."""
        main = self.combo()
        return [Claim(self.date(), self.amount(), main if i == 0 or self.rng.random() < 0.7 else self.combo(), i)
                for i in range(count)]


def used_fields(policy: ir.Policy) -> set[str]:
    """The enumerations the rules look at (conditions, table keys, overrides); only these change a result."""
    out: set[str] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, ir.Condition):
            out.add(obj.field)
        elif isinstance(obj, ir.Cell):
            out.update(f for f, _ in obj.keys)
        elif isinstance(obj, ir.FirstSelfPay):
            out.update(f for f, _ in obj.overrides)
        if isinstance(obj, tuple | list | frozenset):
            for v in obj:
                walk(v)
        elif attrs.has(type(obj)):
            for f in attrs.fields(type(obj)):
                if f.name != "origin":
                    walk(getattr(obj, f.name))

    walk(policy.schemes)
    return out


def _product(enums: list[ir.Enumeration]) -> list[tuple[tuple[str, str], ...]]:
    names = [e.name for e in enums]
    return [facts(dict(zip(names, values, strict=True))) for values in itertools.product(*(e.values for e in enums))]


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
            lowest = _lowest_failing(claim.amount, lambda fen, i=i, rs=rows: fails(_with_amount(rs, i, fen)) is not None)
            if lowest < claim.amount:
                rows, changed = _with_amount(rows, i, lowest), True
                break
    return rows


def _with_amount(rows: list[Row], i: int, fen: int) -> list[Row]:
    person, claim = rows[i]
    return [*rows[:i], (person, attrs.evolve(claim, amount=fen)), *rows[i + 1:]]


def _lowest_failing(fen: int, fails_at: Callable[[int], bool]) -> int:
    """The smallest amount ≤ fen found to fail, by bisection (fen itself fails)."""
    if fails_at(0):
        return 0
    lo, hi = 0, fen  # lo passes, hi fails
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


def verify(policy: ir.Policy, seed: int = 0, examples: int = 40, settler: PersonSettler = settle,
           table: TableSettler | None = None) -> VerifyReport:
    """Generate claim sequences for every person combination and check every invariant on them."""
    gen = Generator(policy, seed)
    sequences = claims = 0
    population: list[list[Row]] = []
    person_fails = _person_check(policy, settler)
    for p, combo in enumerate(gen.person_combos):
        for e in range(examples):
            person = Person(f"P{p}-{e}", combo)
            rows = [(person, c) for c in gen.claims(gen.rng.choice((1, 1, 2, 3, 4, 6)))]
            sequences, claims = sequences + 1, claims + len(rows)
            found = person_fails(rows)
            if found:
                return VerifyReport(sequences, claims, _violation(policy, rows, found, settler, person_fails))
            population.append(rows)
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


def render_violation(v: Violation) -> str:
    """The invariant, what happened, and the minimal claim sequence with each claim's trace."""
    lines = [f"  不变量：{v.invariant}", f"  {v.detail}", f"  最小反例（{len(v.rows)} 次就诊） (minimal counterexample):"]
    for i, ((person, claim), result) in enumerate(zip(v.rows, v.results, strict=True), 1):
        who = " ".join(val for _, val in person.facts)
        what = " ".join(val for _, val in claim.facts)
        lines.append(f"    {i}. 参保人 {person.id}（{who}） 就诊 {claim.date} {what} {fmt_yuan(claim.amount)} 元"
                     f" → 基金支付 {fmt_yuan(result.total_fund)} 元")
        lines += [f"         {t.render()}" for t in result.trace]
    return "\n".join(lines)
