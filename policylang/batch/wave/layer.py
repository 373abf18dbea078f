"""One layer in a wave step: eval/layers.py LayerSettler.settle for one claim of each person, as arrays.

The order is the scalar one: 扣除已付 → 费用限额 (累计费用) → 起付线 → 费用限额 (起付线以上部分) → ratio, brackets,
定额, 一次性支付 or 年度补助 → 支付后扣除 → 封顶线 每 X → caps → the spending above the cap (for a next layer on
that base) → 封顶后扣除 → the caps count what is paid → a cumulatively rounded layer pays round(X after) −
round(X before). Amounts a layer rounds cumulatively are held in 1/den 分 (den: Wave.den) until then.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from policylang import ir
from policylang.batch.segments import mul_round, round_div
from policylang.batch.wave import formulas
from policylang.batch.wave.arrays import LayerArrays
from policylang.batch.wave.probe import deductible_for
from policylang.batch.wave.state import by_unique
from policylang.eval.accumulators import band_inverse, band_value, running_scope
from policylang.ir import terms
from policylang.ir.rounding import round_fen
from policylang.ir.values import Money

_UNIT_WHY = {1: "缺少“{}”", 2: "“{}”不是整数"}


class Step:
    """One layer's results for its claims in a step."""

    def __init__(self, m: int) -> None:
        z = np.zeros(m, dtype=np.int64)
        self.paid, self.counted, self.other, self.above = z, z.copy(), z.copy(), z.copy()
        self.why = np.full(m, "", dtype=object)


class LayerStep:
    def __init__(self, wave: Any,  # engine.Wave (which imports this module)
                 scheme: ir.Scheme, j: int, rows: np.ndarray, vid: np.ndarray,
                 la: LayerArrays, amounts: dict[str, np.ndarray] | None = None) -> None:
        self.amounts = amounts or {}  # the claims' own 费用, 政策范围内费用 … for per-row formulas
        self.w, self.scheme, self.layer, self.j = wave, scheme, scheme.layers[j], j
        self.rows, self.vid, self.la = rows, vid, la
        self.den, self.mode = wave.den, wave.mode
        self.st = wave.state
        m = len(rows)
        self.why = np.full(m, "", dtype=object)
        self.live = np.ones(m, dtype=bool)  # not refused in this layer

    # ---- helpers ---------------------------------------------------------------------------------
    def refuse(self, where: np.ndarray, why: np.ndarray | str) -> None:
        fresh = where & self.live
        self.why[fresh] = why if isinstance(why, str) else why[fresh]
        self.live &= ~where

    def units(self, field: str) -> np.ndarray:
        """The claims' whole units of a 天数/次数 field; a claim without them is refused (eval/steps.units)."""
        ok, n, why = self.w.units(field)
        ok, n, why = ok[self.rows], n[self.rows], why[self.rows]
        if not ok.all():
            texts = np.array(["", *(terms.unsettled_reason(self.layer.name, _UNIT_WHY[k].format(field)) for k in (1, 2))],
                             dtype=object)
            self.refuse(~ok, texts[why])
        return n

    def money(self, slot: str, k: int, values: np.ndarray) -> np.ndarray:
        """A money cell per claim: the key's value, or its per-row formula evaluated over the claims (formulas.py);
        a claim whose formula cannot be had is refused as LayerSettler.resolve refuses it."""
        found = self.la.formulas.get((slot, k))
        if found is None:
            return values
        codes, forms = found[0][self.vid], found[1]
        out = values.copy()
        for i, f in enumerate(forms):
            m = codes == i
            if not m.any():
                continue
            ctx = self.w.formula_rows(self.rows[m], self.vid[m], {a: v[m] for a, v in self.amounts.items()})
            out[m] = formulas.money(f, ctx)
            bad = ctx.why != ""
            if bad.any():
                where = np.zeros(len(self.rows), dtype=bool)
                texts = np.full(len(self.rows), "", dtype=object)
                idx = np.nonzero(m)[0][bad]
                where[idx] = True
                texts[idx] = [terms.unsettled_reason(self.layer.name, w) for w in ctx.why[bad]]
                self.refuse(where, texts)
                out[idx] = 0
        return out

    def cells(self, codes: np.ndarray) -> np.ndarray:
        """A per-key cell code as a column for every row (a 各自累计 table's key)."""
        return codes[self.w.vid]

    def family(self, what: str, limit, codes: np.ndarray | None = None):
        cells = self.cells(codes) if codes is not None and getattr(limit, "separate", None) else None
        return self.w.limit_family(self.scheme, self.layer, what, limit, cells)

    def take(self, fam, amount: np.ndarray, base: np.ndarray) -> np.ndarray:
        """What of base enters a limit of amount given its running total (min(base, max(0, amount − used)))."""
        rows = self.rows
        used = self.st.get(fam, rows)
        entering = np.minimum(base, np.maximum(0, amount - used))
        self.st.put(fam, rows, used + np.where(self.live, entering, 0))
        return entering

    # ---- the layer -------------------------------------------------------------------------------
    def settle(self, base: np.ndarray, policy_range: np.ndarray, cost: np.ndarray, need_above: bool):
        layer, la, vid, rows = self.layer, self.la, self.vid, self.rows
        out = Step(len(rows))
        self.field_scopes()
        if layer.already_paid is not None:
            total = sum(self.w.money_fact(f)[rows] for f in layer.already_paid.fields)
            after = np.maximum(0, base - total)
            out.other = base - after
            base = after
        limit = layer.fee_limit
        if limit is not None and limit.base == "累计费用":
            base = self.take(self.family("fee_limit", limit, la.fee_cell), self.money("fee_limit", 0, la.fee_limit[vid]),
                             base)
        counted = np.zeros(len(rows), dtype=np.int64)
        charged = np.zeros(len(rows), dtype=np.int64)  # LayerSettler.deductible_amount
        if layer.deductible is not None:
            counted, charged = self.deductible(layer.deductible, base)
        eligible = base - counted
        if limit is not None and limit.base != "累计费用":
            eligible = self.take(self.family("fee_limit", limit, la.fee_cell),
                                 self.money("fee_limit", 0, la.fee_limit[vid]), eligible)
            base = counted + eligible
        found = running_scope(self.scheme, layer)
        exact = found is not None
        d = self.den
        ratio = None
        if layer.ratio is not None:
            num, rden = la.ratio_num[vid], la.ratio_den[vid]
            ratio = (num, rden)
            raw = eligible * num * (d // rden) if exact else mul_round(eligible, num, rden, self.mode) * d
        elif layer.brackets is not None:
            raw = self.brackets(layer.brackets, eligible, base, charged)
        elif layer.fixed is not None:
            std = self.money("fixed", 0, la.fixed[vid])
            if layer.fixed.per is not None:
                std = std * self.units(layer.fixed.per)
            raw = np.minimum(eligible, std) * d
        elif layer.once is not None:
            raw = self.once(layer.once, eligible) * d
        elif layer.topup is not None:
            raw = self.topup(layer.topup, eligible, policy_range, cost) * d
        else:
            raw = np.zeros(len(rows), dtype=np.int64)
        raw = self.deduct(raw, after_caps=False)
        pay = raw
        for k, cap in enumerate(layer.unit_caps):
            pay = np.minimum(pay, self.money("unit_caps", k, la.unit_caps[k][vid]) * self.units(cap.field) * d)
        fams = [self.family("cap", cap, la.cap_cells[k]) for k, cap in enumerate(layer.caps)]
        for k, fam in enumerate(fams):
            room = np.maximum(0, self.money("caps", k, la.caps[k][vid]) * d - self.st.get(fam, rows))
            pay = np.where(pay > room, room, pay)
        if need_above:
            out.above = self.cut_off(eligible, raw, pay, ratio)
        pay = self.deduct(pay, after_caps=True)
        for fam in fams:
            self.st.put(fam, rows, self.st.get(fam, rows) + np.where(self.live, pay, 0))
        if found is not None:
            scope, by = found
            fam = self.w.own_family(self.scheme, layer, "paid_exact", scope, by)
            before = self.st.get(fam, rows)
            after = before + np.where(self.live, pay, 0)
            self.st.put(fam, rows, after)
            paid = round_div(after, d, self.mode) - round_div(before, d, self.mode)
        else:
            paid = pay // d
        out.paid = np.where(self.live, paid, 0)
        out.counted = np.where(self.live, counted, 0)
        out.why = self.why
        return out

    def field_scopes(self) -> None:
        """A 按 孕期号 total needs the claim's value: accumulators.scope_key refuses the claim without it."""
        layer = self.layer
        waived = self.la.waived[self.vid]
        for limit in (layer.fee_limit, layer.deductible, *layer.caps):
            if limit is None or limit.scope is not ir.Scope.FIELD:
                continue
            missing = ~self.w.keys.fact(limit.by or "")[0][self.rows]
            if isinstance(limit, ir.Deductible):
                missing &= ~waived
            if missing.any():
                self.refuse(missing, f"缺少{limit.by}，无法确定按{limit.by}累计的范围 (no {limit.by} to key the running total)")

    def deductible(self, ded: ir.Deductible, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(counted, the deductible charged) per claim; the state-dependent steps by adjust_deductible itself."""
        la, vid, rows, st, w = self.la, self.vid, self.rows, self.st, self.w
        counted = np.zeros(len(rows), dtype=np.int64)
        amount = la.deductible[vid].copy()
        on = ~la.waived[vid]
        if not on.any():
            return counted, np.zeros(len(rows), dtype=np.int64)
        sub = np.nonzero(on)[0]
        r = rows[sub]
        if ded.highest or ded.counts or ded.step is not None or ded.compound is not None:
            held = np.zeros(len(sub), dtype=np.int64)
            if ded.highest:
                fam = w.own_family(self.scheme, self.layer, "deductible_highest", ded.scope)
                held = st.get(fam, r)
                st.put(fam, r, np.maximum(held, amount[sub]))
            n = np.ones(len(sub), dtype=np.int64)
            if ded.counts or ded.step is not None or ded.compound is not None:
                n = w.count(self.scheme, (self.scheme.name, self.layer.name, "deductible"), r)
            found, inverse = by_unique(self._adjusted, vid[sub], amount[sub], held, n)
            adjusted = np.array(found, dtype=np.int64)[inverse]
            missing = adjusted < 0
            if missing.any():
                where = np.zeros(len(rows), dtype=bool)
                where[sub[missing]] = True
                self.refuse(where, terms.unsettled_reason(self.layer.name, "缺少起付线界限的数值"))
            amount[sub] = np.maximum(adjusted, 0)
        referral = (not ded.counts_in and ded.shared and ded.scope is not ir.Scope.PERIOD)
        if referral:
            has = w.keys.fact("转诊号")[0][r]
            if has.any():
                fam = (self.scheme.name, self.layer.name, "deductible", "first", ded.scope)
                st.family(fam, lambda: w.keys.scope(ded.scope, True, ded.stay_days, ded.by))
                rr = r[has]
                got = st.get(fam, rr)
                a = amount[sub[has]]
                st.put(fam, rr, np.where(got == 0, a + 1, got))
                amount[sub[has]] = np.where(got == 0, a, got - 1)
        fam = self.family("deductible", ded, la.ded_cell)
        counted[sub] = self.take_rows(fam, r, amount[sub], base[sub], self.live[sub])
        charged = np.where(on, amount, 0)
        return counted, charged

    def take_rows(self, fam, r: np.ndarray, amount: np.ndarray, base: np.ndarray, live: np.ndarray) -> np.ndarray:
        used = self.st.get(fam, r)
        entering = np.minimum(base, np.maximum(0, amount - used))
        self.st.put(fam, r, used + np.where(live, entering, 0))
        return entering

    def _adjusted(self, v: int, amount: int, held: int, n: int) -> int:
        key = ("ded", self.scheme.name, self.j, v, held, n)
        memo = self.w._memo
        if key not in memo:
            found = deductible_for(self.w.policy, self.scheme, self.layer, self.w.values[v], amount, held, n)
            memo[key] = -1 if found is None else int(found)
        return memo[key]  # type: ignore[return-value]

    def brackets(self, br: ir.Brackets, eligible: np.ndarray, base: np.ndarray, floor: np.ndarray) -> np.ndarray:
        """den · (F(after) − F(before)) of the period's running base (按累计费用: the cost, above the deductible)."""
        cost = br.base == "累计费用"
        fam = self.w.own_family(self.scheme, self.layer, "brackets_cost" if cost else "brackets", ir.Scope.PERIOD)
        x = base if cost else eligible
        before = self.st.get(fam, self.rows)
        after = before + x
        self.st.put(fam, self.rows, np.where(self.live, after, before))
        self.span = (before, after)
        self.floor = floor if cost else None  # 按累计费用: the bands start at the deductible (bracket_cost_pay)
        band_id = self.la.band_id[self.vid]
        raw = np.zeros(len(x), dtype=np.int64)
        for i, bands in enumerate(self.la.bandsets):
            m = band_id == i
            if not m.any() or not bands:
                continue
            lift = floor[m] if cost else np.zeros(int(m.sum()), dtype=np.int64)
            raw[m] = self._value(bands, after[m], lift) - self._value(bands, before[m], lift)
        return raw

    def _value(self, bands: tuple[ir.Band, ...], x: np.ndarray, floor: np.ndarray) -> np.ndarray:
        total = np.zeros(len(x), dtype=np.int64)
        for band in bands:
            lower = np.maximum(int(band.lower), floor)
            top = x if band.upper is None else np.minimum(x, np.maximum(int(band.upper), floor))
            total += np.maximum(top - lower, 0) * int(band.ratio.value * self.den)
        return total

    def once(self, once: ir.OneOff, eligible: np.ndarray) -> np.ndarray:
        """一次性支付: owed once the period's running base first passes the threshold, paid until settled."""
        w, st, rows = self.w, self.st, self.rows
        base_fam = w.own_family(self.scheme, self.layer, "once_base", ir.Scope.PERIOD)
        owed_fam = w.own_family(self.scheme, self.layer, "once_owed", ir.Scope.PERIOD)
        before = st.get(base_fam, rows)
        after = before + eligible
        st.put(base_fam, rows, after)
        threshold = int(once.threshold)
        owed = st.get(owed_fam, rows)
        owed = np.where((before <= threshold) & (threshold < after), int(once.amount), owed)
        paid = np.where(owed > 0, np.minimum(owed, eligible), 0)
        st.put(owed_fam, rows, np.where(owed > 0, owed - paid, owed))
        return paid

    def topup(self, topup: ir.YearTopUp, base: np.ndarray, policy_range: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """年度补助: round(F after) − round(F before) of F = ratio × max(0, share − threshold × total)."""
        w, st, rows = self.w, self.st, self.rows
        now = policy_range if topup.over == "政策范围内费用" else cost
        share_fam = w.own_family(self.scheme, self.layer, "topup_share", ir.Scope.PERIOD)
        total_fam = w.own_family(self.scheme, self.layer, "topup_total", ir.Scope.PERIOD)
        s0, t0 = st.get(share_fam, rows), st.get(total_fam, rows)
        s1, t1 = s0 + base, t0 + now
        st.put(share_fam, rows, s1)
        st.put(total_fam, rows, t1)
        th, ra = topup.threshold.value, topup.ratio.value
        q = th.denominator * ra.denominator

        def f(share: np.ndarray, total: np.ndarray) -> np.ndarray:
            top = np.maximum(0, share * th.denominator - th.numerator * total) * ra.numerator
            return round_div(top, q, self.mode)

        return f(s1, t1) - f(s0, t0)

    def deduct(self, pay: np.ndarray, after_caps: bool) -> np.ndarray:
        """支付后扣除 / 封顶后扣除: each deduction of that position, never below 0."""
        for k, d in enumerate(self.layer.deductions):
            if d.after_caps != after_caps:
                continue
            total = self.money("deductions", k, self.la.deductions[k][self.vid])
            if d.per is not None:
                total = total * self.units(d.per)
            total = total * self.den
            pay = np.where(pay > total, pay - total, 0)
        return pay

    def cut_off(self, eligible: np.ndarray, raw: np.ndarray, pay: np.ndarray, ratio) -> np.ndarray:
        """accumulators.above_cap: the spending whose payment a cap cut off, in cost terms."""
        d = self.den
        above = np.zeros(len(pay), dtype=np.int64)
        cut = (pay < raw) & (eligible > 0)
        if not cut.any():
            return above
        if ratio is not None:
            num, rden = ratio
            m = cut & (num != 0)
            if m.any():
                covered = round_div(pay[m] * rden[m], d * num[m], self.mode)
                above[m] = np.maximum(0, eligible[m] - covered)
            return above
        if self.layer.brackets is None:
            return above
        before, after = self.span
        band_id = self.la.band_id[self.vid]
        for i in np.nonzero(cut)[0]:
            bands = self.la.bandsets[int(band_id[i])]
            if self.floor is not None:
                lift = int(self.floor[i])
                bands = tuple(attrs.evolve(b, lower=Money(max(int(b.lower), lift)),
                                           upper=None if b.upper is None else Money(max(int(b.upper), lift)))
                              for b in bands)
            lo, hi = int(before[i]), int(after[i])
            target = band_value(bands, lo) + Fraction(int(pay[i]), d)
            x = round_fen(band_inverse(bands, target, lo, hi), self.mode)
            above[i] = max(0, hi - x)
        return above


__all__ = ["LayerStep"]
