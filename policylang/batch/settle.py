"""Which engine settles a batch: the closed-form kernel (batch/kernel.py) where every scheme has a closed form,
else the wave engine (batch/wave), which runs every mechanism; the kernel hands it the persons whose data leave
no closed form (a deductible or cap that changes within its running total). The scalar evaluator settles only
what neither knows (IR added to the language later): the safety net, counted in the summary."""

from __future__ import annotations

import numpy as np

from policylang import ir
from policylang.batch.columns import Columns
from policylang.batch.features import unsupported
from policylang.batch.kernel import Settled, _time_order, settle_kernel, settle_scalar_fallback
from policylang.batch.wave.engine import settle_wave

ENGINES = ("auto", "kernel", "wave")


def needs_wave(policy: ir.Policy) -> bool:
    """Whether a scheme has a mechanism beyond the closed form (features.unsupported): then the wave engine
    settles the whole policy, since named running totals and the account may be shared across schemes."""
    return any(unsupported(policy, s) is not None for s in policy.schemes)


def settle_columns(policy: ir.Policy, cols: Columns, engine: str = "auto") -> Settled:
    """Settle a batch; every person's claims must all be in it. Results in the batch's row order.

    engine: "auto" (the kernel where it runs every scheme, the wave engine for the rest), "kernel" (the closed
    form, the rest by the scalar evaluator) or "wave"."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if engine == "kernel":
        return settle_scalar_fallback(policy, cols)
    if engine == "wave" or needs_wave(policy) or cols.openings:  # 已累计 opens totals: the wave engine
        return settle_wave(policy, cols, _time_order(cols))
    settled, handed = settle_kernel(policy, cols)
    if handed:
        moved = np.nonzero(np.isin(cols.person, np.fromiter(handed, dtype=np.int64)))[0]
        settled.update(moved, settle_wave(policy, cols.take(moved), _time_order(cols.take(moved))))
    return settled


__all__ = ["ENGINES", "needs_wave", "settle_columns"]
