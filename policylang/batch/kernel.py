"""The vectorised evaluator: settle every claim of a Columns batch exactly as `settle()` would.

Claims are sorted by person, date and input row. Row-local parameters come from plan.py; everything
that depends on earlier claims is a segmented cumulative sum over int64 分 (the accumulator model):
a deductible counts min(B_i, D) − min(B_{i−1}, D) of the running base B; a cap leaves
min(C, U_i) − min(C, U_{i−1}) of the running payments U; brackets pay round(F(after)) − round(F(before)).
Persons whose claims the kernel cannot run (a deductible or cap that changes within its accumulator, a
missing reference value, an unsupported scheme) are handed on: batch/settle.py gives them to the wave engine
(batch/wave), or with engine="kernel" to the scalar evaluator.
"""

from __future__ import annotations

from collections import Counter
from math import lcm

import attrs
import numpy as np

from policylang import ir
from policylang.batch.columns import Columns, from_day
from policylang.batch.features import SCOPE_ORDER, referenced_fields
from policylang.batch.plan import LayerArrays, plan_rows
from policylang.batch.segments import distinct, fits, group_ids, mul_round, round_div, seg_cumsum, varies
from policylang.eval.settle import ClaimResult, ClaimSettler, settle
from policylang.ir import terms
from policylang.ir.claims import Claim

MONEY = terms.MONEY_OUTPUTS  # the money columns, in the order ir.outputs defines


def layer_names(policy: ir.Policy) -> tuple[str, ...]:
    """One output column per (non-allowance) layer name, in the order the schemes declare them."""
    return terms.layer_names(policy, allowances=False)


@attrs.define
class Settled:
    """Settlement columns for a batch, in the batch's row order. Layer values are valid where mask holds."""

    row: np.ndarray
    scheme: np.ndarray  # index into policy.schemes, −1 = none
    money: dict[str, np.ndarray]
    layers: dict[str, np.ndarray]
    layer_mask: dict[str, np.ndarray]
    days: np.ndarray
    reasons: np.ndarray  # str per row ("" = paid)
    scalar: np.ndarray  # str per row: why the scalar evaluator settled it ("" = the kernel did)
    scalar_persons: Counter = attrs.field(factory=Counter)  # why → number of persons settled one by one

    def in_input_order(self, order: np.ndarray) -> Settled:
        """These results, settled in time order (order: the input positions of its rows), in input order."""
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.arange(len(order))
        return Settled(self.row[inverse], self.scheme[inverse], {m: v[inverse] for m, v in self.money.items()},
                       {m: v[inverse] for m, v in self.layers.items()},
                       {m: v[inverse] for m, v in self.layer_mask.items()}, self.days[inverse],
                       _placed_text(self.reasons, order), _placed_text(self.scalar, order), self.scalar_persons)

    def take(self, idx: np.ndarray) -> Settled:
        return Settled(self.row[idx], self.scheme[idx], {k: v[idx] for k, v in self.money.items()},
                       {k: v[idx] for k, v in self.layers.items()},
                       {k: v[idx] for k, v in self.layer_mask.items()}, self.days[idx], self.reasons[idx],
                       self.scalar[idx], self.scalar_persons)

    def update(self, at: np.ndarray, other: Settled) -> None:
        """Put other's results (a batch of the rows at positions at, in that order) in place."""
        self.scheme[at] = other.scheme
        for k, v in other.money.items():
            self.money[k][at] = v
        for k, v in other.layers.items():
            self.layers[k][at] = v
            self.layer_mask[k][at] = other.layer_mask[k]
        self.days[at], self.reasons[at], self.scalar[at] = other.days, other.reasons, other.scalar
        self.scalar_persons.update(other.scalar_persons)


class _Kernel:
    def __init__(self, policy: ir.Policy, cols: Columns, original: Columns, order: np.ndarray) -> None:
        self.policy, self.c = policy, cols
        self.original, self.order = original, order  # the scalar fallback reads every fact
        self.mode = policy.rounding
        n = len(cols)
        self.plans = plan_rows(policy, cols)
        self.plan_id = self.plans.pid
        self.scheme = self.plans.scheme.copy()
        self.money = {k: np.zeros(n, dtype=np.int64) for k in MONEY}
        self.money["费用"] = cols.amount.copy()
        self.money["政策范围内费用"] = cols.amount.copy()
        self.money["个人自付"] = cols.amount.copy()
        self.money["现金支付"] = cols.amount.copy()
        self.names = layer_names(policy)
        self.layers = {k: np.zeros(n, dtype=np.int64) for k in self.names}
        self.mask = {k: np.zeros(n, dtype=bool) for k in self.names}
        self.days = np.zeros(n, dtype=np.int64)
        self.reasons = self.plans.reasons.copy()
        self.refused = self.plans.refused
        self.fallback: dict[int, str] = {}  # person code → why
        self.scalar_why = np.full(n, "", dtype=object)
        self._period_cache: dict[int, np.ndarray] = {}

    # ---- helpers -------------------------------------------------------------------------------
    def send_to_scalar(self, positions: np.ndarray, why: str) -> None:
        for p in distinct(self.c.person[positions]):
            self.fallback.setdefault(int(p), why)

    def period_key(self, scheme: ir.Scheme, rows: np.ndarray) -> np.ndarray:
        start = scheme.period.start_month
        if start not in self._period_cache:  # months since 1970 of every row, once; the key per start month
            if "months" not in self.__dict__:
                self.months = self.c.date.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
            self._period_cache[start] = (self.months - (start - 1)) // 12 + 1970
        return self._period_cache[start][rows]

    def _fact_key(self, name: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(present and non-empty, code) of a text fact such as 住院号."""
        col = self.c.facts.get(name)
        if col is None:
            return np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=np.int64)
        truthy = np.array([bool(v) for v in col.values] + [False], dtype=bool)
        codes = col.codes[rows]
        return truthy[codes], codes

    def segments(self, scheme: ir.Scheme, scope: ir.Scope, rows: np.ndarray, shared: bool = False) -> np.ndarray:
        """Accumulator ids matching layers.scope_key: (person, kind, value)."""
        kind = np.zeros(len(rows), dtype=np.int64)
        value = rows.astype(np.int64)  # VISIT: the claim itself
        if scope is ir.Scope.DAY:
            kind[:], value = 1, self.c.date[rows]
        elif scope is ir.Scope.ADMISSION:
            has, code = self._fact_key("住院号", rows)
            kind = np.where(has, 2, 0)
            value = np.where(has, code, value)
        elif scope is ir.Scope.PERIOD:
            kind[:], value = 3, self.period_key(scheme, rows)
        if shared and scope is not ir.Scope.PERIOD:
            has, code = self._fact_key("转诊号", rows)
            kind = np.where(has, 4, kind)
            value = np.where(has, code, value)
        return group_ids(self.c.person[rows], kind, value)

    # ---- the scheme --------------------------------------------------------------------------------
    def run(self) -> None:
        c = self.c
        blocked = self.plans.blocked
        at = np.nonzero(blocked)[0]
        for p, k in zip(*np.unique(c.person[at], return_index=True), strict=True):  # the first blocked claim
            self.fallback.setdefault(int(p), self.plans.scalar_reason(int(at[k])))
        refused = self.refused
        for si, scheme in enumerate(self.policy.schemes):
            in_scheme = self.scheme == si
            why = self.plans.blocked_schemes.get(si)
            if why is not None:
                self.send_to_scalar(np.nonzero(in_scheme)[0], why)
                continue
            rows = np.nonzero(in_scheme & ~refused & ~blocked)[0]
            if len(rows):
                self.scheme_rows(si, scheme, rows)

    def scheme_rows(self, si: int, scheme: ir.Scheme, rows: np.ndarray) -> None:
        plans = self.plans
        pid = self.plan_id[rows]
        amount = self.c.amount[rows]
        excluded, class_share = self.catalogue(scheme, rows)
        policy_range = amount - excluded - class_share
        num, den = plans.first_share()
        first = mul_round(policy_range, num[pid], den[pid], self.mode)
        base = policy_range - first
        stop = plans.stop(si)[pid]
        total = np.zeros(len(rows), dtype=np.int64)
        first_layer = True
        seen: set[str] = set()
        for j, layer in enumerate(scheme.layers):
            lp = plans.layer(si, j)
            applies = lp.applies[pid]
            if layer.allowance is not None:
                days = lp.days[pid]
                rate = lp.rate[pid]
                self.days[rows] += np.where(applies, days, 0)  # every allowance layer adds to 津贴 (eval/settle.py)
                self.money["津贴"][rows] += np.where(applies, days * rate, 0)
                continue
            paid, counted = self.layer(scheme, layer, lp, rows[applies], base[applies], stop[applies] == j)
            layer_paid = np.zeros(len(rows), dtype=np.int64)
            layer_paid[applies] = paid
            if first_layer:
                self.money["统筹支付"][rows] = layer_paid
                ded = np.zeros(len(rows), dtype=np.int64)
                ded[applies] = counted
                self.money["起付线"][rows] = ded
                first_layer = False
            if layer.name not in seen:
                seen.add(layer.name)
                self.layers[layer.name][rows] = layer_paid
                self.mask[layer.name][rows] = True
            total += layer_paid
            base -= layer_paid
        self.money["先行自付"][rows] = class_share + first
        self.money["全自费"][rows] = excluded
        self.money["政策范围内费用"][rows] = policy_range
        self.money["基金支付"][rows] = total
        self.money["个人自付"][rows] = amount - total
        self.money["现金支付"][rows] = amount - total
        self.refuse_late(rows[stop >= 0], plans.stop_reasons()[pid[stop >= 0]])

    def refuse_late(self, rows: np.ndarray, reasons: np.ndarray) -> None:
        """Claims refused in a layer for a missing value: what earlier layers counted stays counted."""
        for k in MONEY:
            self.money[k][rows] = 0
        self.money["费用"][rows] = self.c.amount[rows]
        self.money["政策范围内费用"][rows] = self.c.amount[rows]
        self.money["个人自付"][rows] = self.c.amount[rows]
        self.money["现金支付"][rows] = self.c.amount[rows]
        self.days[rows] = 0
        for name in self.names:
            self.mask[name][rows] = False
            self.layers[name][rows] = 0
        self.reasons[rows] = reasons

    def catalogue(self, scheme: ir.Scheme, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """全自费 and 乙类先行自付 of itemised claims (row-local: the scalar evaluator's own code per claim)."""
        excluded = np.zeros(len(rows), dtype=np.int64)
        share = np.zeros(len(rows), dtype=np.int64)
        if not self.c.items:
            return excluded, share
        for i in np.nonzero(np.isin(rows, np.fromiter(self.c.items, dtype=np.int64)))[0]:
            pos = int(rows[i])
            claim = Claim(from_day(self.c.date[pos]), int(self.c.amount[pos]), items=self.c.items[pos])
            excluded[i], share[i] = ClaimSettler(self.policy, None, claim, {}).catalogue(scheme.catalogue)
        return excluded, share

    def layer(self, scheme: ir.Scheme, layer: ir.Layer, lp: LayerArrays, rows: np.ndarray,
              base: np.ndarray, stopped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pid = self.plan_id[rows]
        counted = np.zeros(len(rows), dtype=np.int64)
        if layer.deductible is not None:
            has = lp.has_deductible[pid]
            if has.any():
                sub = rows[has]
                d = lp.deductible[pid[has]]
                gid = self.segments(scheme, layer.deductible.scope, sub, layer.deductible.shared)
                self._constant(d, gid, sub, "起付线在同一累计期内变化")
                b = base[has]
                cum = seg_cumsum(b, gid)
                counted[has] = np.minimum(cum, d) - np.minimum(cum - b, d)
        eligible = base - counted
        den = 1  # brackets: amounts are exact, in 1/den 分, until the layer's running payment is rounded
        if layer.ratio is not None:
            raw = self.ratio(lp, pid, eligible)
        elif layer.brackets is not None:
            raw, den = self.brackets(scheme, lp, rows, pid, eligible)
        elif layer.fixed is not None:
            raw = np.where(lp.has_fixed[pid], np.minimum(eligible, lp.fixed[pid]), 0)
        else:
            raw = np.zeros(len(rows), dtype=np.int64)
        paid = np.where(stopped, 0, raw)  # a claim refused in this layer adds nothing to its caps
        for ci, cap in sorted(enumerate(layer.caps), key=lambda t: SCOPE_ORDER[t[1].scope]):
            paid = self.cap(scheme, cap, ci, lp, rows, pid, paid, den)
        if layer.brackets is not None:  # round(X after) − round(X before) of the period's running payment X
            running = seg_cumsum(paid, group_ids(self.c.person[rows], self.period_key(scheme, rows)))
            paid = (round_div(running, den, self.mode) - round_div(running - paid, den, self.mode)).astype(np.int64)
        return paid, counted

    def _constant(self, values: np.ndarray, gid: np.ndarray, rows: np.ndarray, why: str) -> None:
        bad = varies(values, gid)
        if len(bad):
            self.send_to_scalar(rows[np.isin(gid, bad)], why)

    def ratio(self, lp: LayerArrays, pid: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        return mul_round(eligible, lp.ratio_num[pid], lp.ratio_den[pid], self.mode)

    def brackets(self, scheme: ir.Scheme, lp: LayerArrays, rows: np.ndarray, pid: np.ndarray,
                 eligible: np.ndarray) -> tuple[np.ndarray, int]:
        """Each claim's exact share F(after) − F(before), in 1/den 分 (den: the bands' common denominator)."""
        ids = {b: i for i, b in enumerate(lp.bandsets)}
        band_id = lp.band_id[pid]
        den = lcm(1, *(band.ratio.value.denominator for b in ids for band in b.bands))
        has = band_id >= 0
        width = sum(len(b.bands) for b in ids) or 1
        raw = np.zeros(len(rows), dtype=np.int64 if fits(eligible, 2 * den * width) and fits(
            seg_cumsum(eligible, group_ids(self.c.person[rows], self.period_key(scheme, rows))), 2 * den * width)
            else object)
        if not has.any():
            return raw, den
        sub = rows[has]
        gid = group_ids(self.c.person[sub], self.period_key(scheme, sub))
        after = seg_cumsum(eligible[has], gid)
        before = after - eligible[has]
        paid = np.zeros(len(sub), dtype=raw.dtype)
        for bandset, i in ids.items():
            m = band_id[has] == i
            paid[m] = self._band_share(bandset, before[m], after[m], den, raw.dtype)
        raw[has] = paid
        return raw, den

    @staticmethod
    def _band_share(bandset: ir.BandSet, before: np.ndarray, after: np.ndarray, den: int, dtype) -> np.ndarray:
        """den · (F(after) − F(before)), exact."""

        def scaled(x: np.ndarray) -> np.ndarray:
            total = np.zeros(len(x), dtype=dtype)
            for band in bandset.bands:
                top = x if band.upper is None else np.minimum(x, int(band.upper))
                total = total + np.maximum(top - int(band.lower), 0).astype(dtype) * int(band.ratio.value * den)
            return total

        return scaled(after) - scaled(before)

    def cap(self, scheme: ir.Scheme, cap: ir.Cap, ci: int, lp: LayerArrays, rows: np.ndarray,
            pid: np.ndarray, paid: np.ndarray, den: int = 1) -> np.ndarray:
        """What a cap leaves of each claim's payment (paid and the cap in 1/den 分)."""
        has = lp.has_cap[ci][pid]
        limit = np.where(has, lp.cap[ci][pid], -1)
        room = np.maximum(limit, 0).astype(paid.dtype) * den
        if cap.scope is ir.Scope.VISIT:
            return np.where(has, np.minimum(paid, room), paid)
        gid = self.segments(scheme, cap.scope, rows)
        self._constant(np.where(has, limit, -(1 << 62)), gid, rows, "封顶线在同一累计期内变化")
        used = seg_cumsum(paid, gid)
        capped = np.minimum(used, room) - np.minimum(used - paid, room)
        return np.where(has, capped, paid)

    # ---- persons the kernel leaves to the scalar evaluator ---------------------------------------
    def scalar(self) -> Counter:
        c = self.c
        why: Counter = Counter()
        if not self.fallback:
            return why
        persons = np.array(sorted(self.fallback), dtype=np.int64)
        rows = np.nonzero(np.isin(c.person, persons))[0]
        # rows are sorted by person, so each person's rows are contiguous
        cuts = np.nonzero(np.diff(c.person[rows]))[0] + 1
        index = {s.name: i for i, s in enumerate(self.policy.schemes)}
        for group in np.split(rows, cuts):
            group = group[np.argsort(c.row[group], kind="stable")]
            person, claims = self.original.person_claims(self.order[group])
            for pos, result in zip(group, settle(self.policy, person, claims), strict=True):
                self.put(int(pos), result, index)
            reason = self.fallback[int(c.person[group[0]])]
            self.scalar_why[group] = reason
            why[reason] += 1
        return why

    def put(self, pos: int, r: ClaimResult, index: dict[str, int]) -> None:
        self.scheme[pos] = -1 if r.scheme is None else index[r.scheme]
        values = {"费用": r.cost, "全自费": r.excluded, "先行自付": r.first_paid, "政策范围内费用": r.policy_range,
                  "起付线": r.deductible, "统筹支付": r.fund, "个人自付": r.personal, "基金支付": r.total_fund,
                  "津贴": r.allowance, "个人账户支付": r.account, "现金支付": r.cash}
        for k, v in values.items():
            self.money[k][pos] = v
        self.days[pos] = r.allowance_days
        for name in self.names:
            self.mask[name][pos] = False
            self.layers[name][pos] = 0
        for share in r.layers:
            if not self.mask[share.name][pos]:
                self.mask[share.name][pos] = True
                self.layers[share.name][pos] = share.paid
        self.reasons[pos] = "；".join(r.refused)


def _time_order(cols: Columns) -> np.ndarray:
    """Positions sorted by person, date, then input row (one stable sort of a combined key when it fits)."""
    n = len(cols)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(cols.date.min()), int(cols.date.max())
    span = hi - lo + 1
    if bool(np.all(cols.row[1:] > cols.row[:-1])) and (int(cols.person.max()) + 1) * span < 1 << 62:
        return np.argsort(cols.person * span + (cols.date - lo), kind="stable")
    return np.lexsort((cols.row, cols.date, cols.person))


def _run(policy: ir.Policy, cols: Columns) -> tuple[_Kernel, np.ndarray]:
    """The kernel run on a batch in time order: (the kernel, that order)."""
    order = _time_order(cols)
    needed = referenced_fields(policy) | {"住院号", "转诊号"}
    k = _Kernel(policy, cols.take(order, needed), cols, order)
    k.run()
    return k, order


def settle_kernel(policy: ir.Policy, cols: Columns) -> tuple[Settled, dict[int, str]]:
    """The closed-form kernel on a batch (input order), leaving the persons it hands on unsettled: (the results,
    person code → why for those persons). batch/settle.py sends them to the wave engine."""
    k, order = _run(policy, cols)
    return _in_input_order(k, order, len(cols), Counter()), dict(k.fallback)


def settle_scalar_fallback(policy: ir.Policy, cols: Columns) -> Settled:
    """The closed-form kernel, with the persons it cannot run settled by the scalar evaluator."""
    k, order = _run(policy, cols)
    return _in_input_order(k, order, len(cols), k.scalar())


def _in_input_order(k: _Kernel, order: np.ndarray, n: int, why: Counter) -> Settled:
    return Settled(k.c.row, k.scheme, k.money, k.layers, k.mask, k.days, k.reasons, k.scalar_why,
                   why).in_input_order(order)


def _placed_text(texts: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Per-row text in time order put back in input order: only the non-empty ones are moved (a take of a
    whole object array costs a reference count per row)."""
    out = np.full(len(texts), "", dtype=object)
    some = np.flatnonzero(texts != "")
    out[order[some]] = texts[some]
    return out
