"""Year-to-date opening balances (已累计): which running totals a name given on a person stands for.

A named 累计 is given by its name. A layer's own (private) period total is given as 层名 + 起付线 / 封顶线 /
费用限额 (大病保险封顶线); the first layer of a scheme also answers to the bare 起付线 / 封顶线 / 费用限额. Each
name may be qualified by its scheme, 方案名·起付线, when several schemes have a layer of that name. Only
totals counted per period take a balance: the balance is what the person had counted in the period that
contains the balance's date (截至) by then.
"""

from __future__ import annotations

import attrs

from policylang import ir

KIND_WHAT = {"起付线": "deductible", "封顶线": "cap", "费用限额": "fee_limit"}  # the scalar ledger's names


@attrs.frozen
class Target:
    """One running total a balance name stands for: a named accumulator, or a layer's own limit."""

    scheme: ir.Scheme | None
    layer: ir.Layer | None
    what: str  # deductible | cap | fee_limit
    accumulator: ir.Accumulator | None = None

    @property
    def period(self) -> ir.Period:
        if self.accumulator is not None:
            return self.accumulator.period or ir.Period()
        assert self.scheme is not None
        return self.scheme.period


def _private_limits(layer: ir.Layer) -> list[tuple[str, object]]:
    limits: list[tuple[str, object]] = [("封顶线", c) for c in layer.caps]
    limits += [("起付线", layer.deductible), ("费用限额", layer.fee_limit)]
    return [(kind, lim) for kind, lim in limits
            if lim is not None and getattr(lim, "counts_in", None) is None and lim.scope is ir.Scope.PERIOD]  # type: ignore[attr-defined]


def targets(policy: ir.Policy) -> dict[str, list[Target]]:
    """Every name a year-to-date balance may be given under, with the totals it opens."""
    out: dict[str, list[Target]] = {}
    for acc in policy.accumulators:
        if acc.scope is ir.Scope.PERIOD:
            out.setdefault(acc.name, []).append(Target(None, None, KIND_WHAT[acc.kind], acc))
    for scheme in policy.schemes:
        for i, layer in enumerate(scheme.layers):
            for kind, _ in _private_limits(layer):
                target = Target(scheme, layer, KIND_WHAT[kind])
                names = [layer.name + kind] + ([kind] if i == 0 else [])
                for name in names:
                    for spelled in (name, f"{scheme.name}·{name}"):
                        found = out.setdefault(spelled, [])
                        if target not in found:
                            found.append(target)
    return out


__all__ = ["KIND_WHAT", "Target", "targets"]
