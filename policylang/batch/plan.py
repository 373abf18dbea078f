"""Row-local parameters: everything a claim's settlement needs that does not depend on earlier claims.

Which scheme applies, eligibility, first self-pay, and per layer the deductible, ratio, bands, fixed
standard, caps and allowance: each depends only on the claim's facts and date, so it is worked out once
per distinct (facts, date class) with the same IR methods the scalar evaluator uses, then held as arrays
(one entry per key: ratios as exact int64 numerator/denominator pairs) that rows index by their key.
要求 are checked separately, per requirement (requirements.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction

import attrs
import numpy as np

from policylang import ir
from policylang.batch.columns import Columns
from policylang.batch.features import (
    has_requirements,
    layer_fields,
    unsupported,
)
from policylang.batch.keys import lookups
from policylang.batch.requirements import requirement_reasons
from policylang.eval.settle import ClaimSettler
from policylang.ir import terms
from policylang.ir.claims import Claim


@attrs.frozen
class LayerPlan:
    applies: bool
    deductible: int | None = None  # None: nothing counted and no accumulator touched
    ratio: Fraction | None = None  # clamped ratio; None with no bands/fixed: pays 0
    bands: ir.BandSet | None = None
    fixed: int | None = None
    caps: tuple[int | None, ...] = ()  # None: no cap cell for this claim (pays through)
    days: int = 0
    rate: int = 0


@attrs.frozen
class RowPlan:
    scheme: int  # index into policy.schemes, −1 = none
    reasons: tuple[str, ...] = ()  # refused: why
    scalar: str | None = None  # this claim needs the scalar evaluator: why
    first_share: Fraction = Fraction(0)
    layers: tuple[LayerPlan, ...] = ()
    stop: int = -1  # a layer missing a reference value: the claim is refused there, after what it counted
    stop_reason: str = ""


class _Missing(Exception):
    """A reference value or daily rate is missing; partial is what the layer counted before it."""

    def __init__(self, what: str, partial: LayerPlan | None = None) -> None:
        super().__init__(what)
        self.partial = partial or LayerPlan(False)


def _fen(policy: ir.Policy, value: ir.Value, facts: dict, day: dt.date) -> int:
    """A money cell's value for the row (terms.resolve), in whole 分."""
    try:
        return int(terms.resolve(value, policy, facts, day).value)  # type: ignore[call-overload]
    except terms.Missing as e:
        raise _Missing(str(e)) from None


def _layer(policy: ir.Policy, layer: ir.Layer, facts: dict, day: dt.date) -> LayerPlan:
    if not ir.all_hold(layer.when, facts):
        return LayerPlan(False)
    if layer.allowance is not None:
        return _allowance(policy, layer.allowance, facts, day)
    ded = None
    if layer.deductible is not None:
        d = layer.deductible
        waived = terms.waiver(d, facts, day) is not None
        if not waived:
            ded = _fen(policy, terms.required_cell(d.param, day, facts).value, facts, day)
    ratio = bands = fixed = None
    if layer.ratio is not None:
        cell = terms.required_cell(layer.ratio.param, day, facts)
        ratio = terms.final_ratio(cell.value, layer.ratio.adjustments, facts, day).value  # type: ignore[arg-type]
    elif layer.brackets is not None:
        bands = terms.required_cell(layer.brackets.param, day, facts).value  # type: ignore[assignment]
    elif layer.fixed is not None:
        cell = terms.required_cell(layer.fixed.param, day, facts)
        try:
            fixed = _fen(policy, cell.value, facts, day)
        except _Missing as m:
            raise _Missing(str(m), LayerPlan(True, ded)) from None
    caps = []
    for cap in layer.caps:
        cell = terms.required_cell(cap.param, day, facts)
        try:
            caps.append(_fen(policy, cell.value, facts, day))
        except _Missing as m:  # the deductible and the brackets' base were already counted
            raise _Missing(str(m), LayerPlan(True, ded, None, bands)) from None
    return LayerPlan(True, ded, ratio, bands, fixed, tuple(caps))  # type: ignore[arg-type]


def _allowance(policy: ir.Policy, allowance: ir.Allowance, facts: dict, day: dt.date) -> LayerPlan:
    terms.required_cell(allowance.days, day, facts)
    found = terms.allowance_days(allowance, facts, day)
    days = found.total.n
    rate = allowance.rate
    if isinstance(rate, str):
        value = facts.get(rate)
        if not isinstance(value, int):
            raise _Missing(rate)
        return LayerPlan(True, days=days, rate=value)
    if rate is None:
        raise _Missing("日津贴")
    return LayerPlan(True, days=days, rate=_fen(policy, rate, facts, day))


def eligibility(policy: ir.Policy, index: int, facts: dict, day: dt.date, amount: int) -> tuple[str, ...]:
    """Why a claim fails its scheme's 要求 (the scalar evaluator's own check), or ()."""
    if index < 0 or not policy.schemes[index].requirements:
        return ()
    settler = ClaimSettler(policy, defaultdict(int), Claim(day, amount), facts)
    return tuple(settler.eligibility(policy.schemes[index]))


def plan_row(policy: ir.Policy, facts: dict, day: dt.date, amount: int,
             blocked: dict[int, str] | None = None, check: bool = True) -> RowPlan:
    """The row-local half of settle(): the same IR lookups, without accumulators.

    blocked: schemes the kernel does not run (by index, with the reason); their claims go to scalar.
    check: evaluate 要求 here (plan_rows checks them separately, keyed by the fields they read).
    """
    try:
        index = next((i for i, s in enumerate(policy.schemes) if s.applies(facts, day)), -1)
    except terms.NoCell as e:  # a typed condition on a field the claim lacks: refused, as settle() does
        return RowPlan(-1, (e.reason,))
    if index < 0:
        return RowPlan(-1, ("没有适用的方案",))
    if blocked and index in blocked:
        return RowPlan(index, (), blocked[index])
    scheme = policy.schemes[index]
    reasons = eligibility(policy, index, facts, day, amount) if check else ()
    if reasons:
        return RowPlan(index, reasons)
    place = facts.get("就医地")
    if place and place != policy.region:  # a batch has no other regions' catalogues (places)
        return RowPlan(index, (f"找不到就医地“{place}”的目录",))
    facts = dict(facts)
    share = Fraction(0)
    try:
        rule = terms.first_pay(scheme, facts, day)
    except terms.NoCell as e:
        return RowPlan(index, (e.reason,))
    if rule is not None:
        share = rule.share.value
        facts.update(rule.overrides)
    layers: list[LayerPlan] = []
    for layer in scheme.layers:
        try:
            layers.append(_layer(policy, layer, facts, day))
        except terms.NoCell as e:  # refused whole: the claim consumes no deductible or cap
            return RowPlan(index, (e.reason,))
        except _Missing as m:  # refused whole too: what it would have counted is not counted
            why = "缺少计算津贴所需的数值" if layer.allowance is not None else terms.unsettled_reason(layer.name, str(m))
            return RowPlan(index, (why,))
    return RowPlan(index, (), None, share, tuple(layers))


def fraction_arrays(values: list[Fraction]) -> tuple[np.ndarray, np.ndarray]:
    """Numerators and denominators of per-key fractions, as int64 arrays (object if they are huge)."""
    nums, dens = [v.numerator for v in values], [v.denominator for v in values]
    big = any(abs(x) >= 1 << 62 for x in (*nums, *dens))
    dtype = object if big else np.int64
    return np.array(nums or [0], dtype=dtype), np.array(dens or [1], dtype=dtype)


@attrs.frozen
class LayerArrays:
    """One layer's row-local parameters, one entry per distinct key (index with the rows' plan ids)."""

    applies: np.ndarray
    has_deductible: np.ndarray
    deductible: np.ndarray
    ratio_num: np.ndarray  # clamped ratio as an exact pair; 0/1 where the key has none
    ratio_den: np.ndarray
    band_id: np.ndarray  # index into bandsets, −1 = none
    bandsets: tuple[ir.BandSet, ...]
    has_fixed: np.ndarray
    fixed: np.ndarray
    has_cap: tuple[np.ndarray, ...]  # per cap of the layer
    cap: tuple[np.ndarray, ...]
    days: np.ndarray
    rate: np.ndarray

    @classmethod
    def of(cls, plans: list[LayerPlan], n_caps: int) -> LayerArrays:
        def ints(values) -> np.ndarray:
            return np.array(list(values) or [0], dtype=np.int64)

        def flags(values) -> np.ndarray:
            return np.array(list(values) or [False], dtype=bool)

        bandsets = tuple(dict.fromkeys(p.bands for p in plans if p.bands is not None))
        ids = {b: i for i, b in enumerate(bandsets)}
        num, den = fraction_arrays([Fraction(0) if p.ratio is None else p.ratio for p in plans])
        caps = [[p.caps[ci] if len(p.caps) > ci else None for p in plans] for ci in range(n_caps)]
        return cls(flags(p.applies for p in plans), flags(p.deductible is not None for p in plans),
                   ints(p.deductible or 0 for p in plans), num, den,
                   ints(-1 if p.bands is None else ids[p.bands] for p in plans), bandsets,
                   flags(p.fixed is not None for p in plans), ints(p.fixed or 0 for p in plans),
                   tuple(flags(c is not None for c in cs) for cs in caps), tuple(ints(c or 0 for c in cs) for cs in caps),
                   ints(p.days for p in plans), ints(p.rate for p in plans))


@attrs.define
class Plans:
    """Row-local settlement parameters as arrays: a plan id per row into one entry per distinct key.

    The IR lookups run once per distinct (date class, facts the layers read) — usually a few hundred keys
    for millions of rows; 要求 are checked per requirement and distinct key of the fields it reads
    (requirements.py). Per row there are only NumPy arrays."""

    policy: ir.Policy
    pid: np.ndarray  # per row: the distinct layer key
    keys: list[RowPlan]  # per distinct key
    scheme: np.ndarray  # per row
    refused: np.ndarray  # per row: refused before any layer (no scheme, a 要求, a missing table cell)
    reasons: np.ndarray  # per row, object: why refused ("" = not refused)
    blocked: np.ndarray  # per row: the scalar evaluator settles it (a scheme the kernel does not run)
    blocked_schemes: dict[int, str] = attrs.field(factory=dict)  # scheme index → why the kernel does not run it
    _layers: dict = attrs.field(factory=dict)

    def scalar_reason(self, pos: int) -> str:
        return self.keys[int(self.pid[pos])].scalar or ""

    def first_share(self) -> tuple[np.ndarray, np.ndarray]:
        return fraction_arrays([p.first_share for p in self.keys])

    def stop(self, si: int) -> np.ndarray:
        return np.array([p.stop if p.scheme == si else -1 for p in self.keys], dtype=np.int64)

    def stop_reasons(self) -> np.ndarray:
        return np.array([p.stop_reason for p in self.keys], dtype=object)

    def layer(self, si: int, j: int) -> LayerArrays:
        if (si, j) not in self._layers:
            lp = [p.layers[j] if p.scheme == si and p.layers else LayerPlan(False) for p in self.keys]
            self._layers[si, j] = LayerArrays.of(lp, len(self.policy.schemes[si].layers[j].caps))
        return self._layers[si, j]


def plan_rows(policy: ir.Policy, cols: Columns) -> Plans:
    """Plans for every row: layers per distinct (date class, facts the layers read), then 要求 as masks."""
    n = len(cols)
    defaults = policy.defaults()
    blocked_schemes = {i: why for i, s in enumerate(policy.schemes) if (why := unsupported(policy, s)) is not None}
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Plans(policy, empty, [], empty, empty.astype(bool), empty.astype(object), empty.astype(bool),
                     blocked_schemes)
    pid, keys, _ = lookups(policy, cols, layer_fields(policy), False, "plan",
                           lambda facts, day, fee: plan_row(policy, facts, day, fee, blocked_schemes, check=False))
    scheme = np.array([p.scheme for p in keys], dtype=np.int64)[pid]
    blocked = np.array([p.scalar is not None for p in keys], dtype=bool)[pid]
    reason_of_key = np.array(["；".join(p.reasons) for p in keys], dtype=object)
    refused = np.array([bool(p.reasons) for p in keys], dtype=bool)[pid]
    reasons = reason_of_key[pid]
    if has_requirements(policy):
        failed, why = requirement_reasons(policy, cols, scheme, ~blocked & (scheme >= 0), defaults)
        refused = refused | failed
        reasons[failed] = why[failed]
    return Plans(policy, pid, keys, scheme, refused, reasons, blocked, blocked_schemes)
