"""The cost of a rule change: settle one claim table under the old and the new policy and compare."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import attrs

from policylang import ir
from policylang.inputs.claimtable import ClaimTable, PersonClaims
from policylang.ir.units import fmt_yuan
from policylang.tools.population import settle_population

# The breakdowns a review wants first; any of them missing from the table is left out.
BREAKDOWN = ("医院等级", "人员类别", "就医类型")
UNSET = "（未填）"


@attrs.frozen
class Group:
    claims: int
    changed: int
    old: int  # 分
    new: int


@attrs.frozen
class Impact:
    claims: int
    people: int
    changed_claims: int
    changed_people: int
    old_total: int
    new_total: int
    by: dict[str, dict[str, Group]] = attrs.field(eq=False)


def _counted(people: Iterable[PersonClaims], advance: Callable[[float], None] | None) -> Iterator[PersonClaims]:
    """The people, reporting half of each one's claims as done (two policies settle each claim)."""
    for pc in people:
        yield pc
        if advance is not None:
            advance(len(pc.claims) / 2)


def measure_impact(old: ir.Policy, new: ir.Policy, table: ClaimTable,
                   advance: Callable[[float], None] | None = None) -> Impact:
    """Settle every person's claims under both policies; totals, changes and breakdowns in 分.
    advance(claims) reports progress as people are settled (commands/progress.py)."""
    before = settle_population(old, _counted(table.people, advance))
    after = settle_population(new, _counted(table.people, advance))
    acc: dict[str, dict[str, list[int]]] = {f: {} for f in BREAKDOWN}
    claims = changed_claims = changed_people = old_total = new_total = 0
    for (pc, rs_old), (_, rs_new) in zip(before, after, strict=True):
        person_changed = False
        for claim, a, b in zip(pc.claims, rs_old, rs_new, strict=True):
            claims += 1
            moved = a.total_fund != b.total_fund
            changed_claims += moved
            person_changed |= moved
            old_total, new_total = old_total + a.total_fund, new_total + b.total_fund
            facts = claim.facts_with(pc.person)
            for field, groups in acc.items():
                g = groups.setdefault(facts.get(field, UNSET), [0, 0, 0, 0])
                g[0], g[1], g[2], g[3] = g[0] + 1, g[1] + moved, g[2] + a.total_fund, g[3] + b.total_fund
        changed_people += person_changed
    by = {f: {k: Group(*v) for k, v in groups.items()} for f, groups in acc.items()
          if set(groups) != {UNSET}}
    return Impact(claims, len(table.people), changed_claims, changed_people, old_total, new_total, by)


def _delta(old: int, new: int) -> str:
    """A change in yuan with its percentage of the old value (tenths, toward zero)."""
    d = new - old
    sign = "+" if d > 0 else "-" if d < 0 else ""
    if old == 0:
        return f"{sign}{fmt_yuan(abs(d))} 元"
    tenths = abs(d) * 1000 // old
    return f"{sign}{fmt_yuan(abs(d))} 元（{sign}{tenths // 10}.{tenths % 10}%）"


def render_impact(impact: Impact, table_name: str, order: dict[str, tuple[str, ...]] | None = None) -> str:
    """Chinese Markdown: how many claims and people change, the fund's totals, and the breakdowns."""
    lines = [f"#### 对理赔数据的影响（{table_name}） (impact on claims)", "",
             "| 指标 | 数值 |", "|---|---|",
             f"| 就诊条数 | {impact.claims} |",
             f"| 支付发生变化的就诊 | {impact.changed_claims} |",
             f"| 参保人数 | {impact.people} |",
             f"| 支付发生变化的参保人 | {impact.changed_people} |",
             f"| 基金支付合计（旧） | {fmt_yuan(impact.old_total)} 元 |",
             f"| 基金支付合计（新） | {fmt_yuan(impact.new_total)} 元 |",
             f"| 变化 | {_delta(impact.old_total, impact.new_total)} |"]
    for field, groups in impact.by.items():
        known = (order or {}).get(field, ())
        keys = [k for k in known if k in groups] + sorted(k for k in groups if k not in known)
        lines += ["", f"按{field} (by {field}):", "",
                  f"| {field} | 就诊 | 变化的就诊 | 旧 基金支付 | 新 基金支付 | 变化 |", "|---|---|---|---|---|---|"]
        for k in keys:
            g = groups[k]
            lines.append(f"| {k} | {g.claims} | {g.changed} | {fmt_yuan(g.old)} | {fmt_yuan(g.new)} | "
                         f"{_delta(g.old, g.new)} |")
    return "\n".join(lines) + "\n"
