"""The batch kernel as a drop-in for `eval.settle.settle`: one person's claims in, ClaimResults out.

Lets the same test block run on both backends (the pytest plugin's `backend=["scalar", "batch"]`). The kernel
keeps no trace, so each result carries one line saying which engine settled it.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from policylang import ir
from policylang.batch.columns import AMOUNT, DATE, ITEMS, PERSON, Columns
from policylang.batch.kernel import Settled, layer_names
from policylang.batch.settle import settle_columns
from policylang.eval.settle import ClaimResult, LayerShare, Places
from policylang.eval.trace import TraceLine
from policylang.ir.claims import Claim, Person


@attrs.frozen
class PersonRun:
    """The kernel's results for one person, and why any of its claims went to the scalar fallback."""

    results: tuple[ClaimResult, ...]
    fallback: tuple[str, ...]  # distinct reasons, empty when the kernel settled every claim


def _records(person: Person, claims: Sequence[Claim]) -> list[dict[str, object]]:
    """Claim-table rows: the person's facts on every row, as a table carries them."""
    return [{PERSON: person.id, DATE: c.date, AMOUNT: c.amount, **dict(person.facts), **dict(c.facts),
             **({ITEMS: c.items} if c.items else {})} for c in claims]


def _result(policy: ir.Policy, s: Settled, i: int, claim: Claim, names: tuple[str, ...]) -> ClaimResult:
    money = {k: int(v[i]) for k, v in s.money.items()}
    layers = tuple(LayerShare(n, int(s.layers[n][i])) for n in names if s.layer_mask[n][i])
    engine = f"逐笔结算（{s.scalar[i]}）" if s.scalar[i] else "批量内核"
    return ClaimResult(
        claim=claim, scheme=policy.schemes[s.scheme[i]].name if s.scheme[i] >= 0 else None,
        cost=money["费用"], excluded=money["全自费"], first_paid=money["先行自付"],
        policy_range=money["政策范围内费用"], deductible=money["起付线"], fund=money["统筹支付"],
        personal=money["个人自付"], layers=layers,
        trace=(TraceLine(f"由批量结算计算：{engine} (settled by the batch backend)", None),),
        refused=tuple(s.reasons[i].split("；")) if s.reasons[i] else (),
        allowance_days=int(s.days[i]), allowance=money["津贴"], account=money["个人账户支付"])


def settle_person(policy: ir.Policy, person: Person, claims: Sequence[Claim]) -> PersonRun:
    """Settle one person's claims (in the given order) through the batch kernel."""
    if not claims:
        return PersonRun((), ())
    cols = Columns.from_records(_records(person, claims))
    if person.opening:  # 已累计: year-to-date totals open the person's running totals (the wave engine)
        cols = attrs.evolve(cols, openings={0: person})
    settled = settle_columns(policy, cols)
    names = layer_names(policy)
    results = tuple(_result(policy, settled, i, c, names) for i, c in enumerate(claims))
    return PersonRun(results, tuple(sorted({str(w) for w in settled.scalar if w})))


def settle(policy: ir.Policy, person: Person, claims: list[Claim],
           places: Places | None = None) -> tuple[ClaimResult, ...]:
    """`eval.settle.settle`'s signature; a batch has no other regions (places is not used)."""
    return settle_person(policy, person, claims).results
