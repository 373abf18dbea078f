"""The wave engine's steps: every person's k-th claim settled together, as eval/settle.py settles one claim.

Row-local values come from probe.py once per distinct key; running totals live in state.py. Payments that a
layer rounds over its running total (a layer under 分段, a 费用限额 wider than one claim, and the ratio layers
after them: eval/accumulators.running_scope) are exact in 1/den 分 until round(X after) − round(X before), den
being the common denominator of every ratio and band of the policy. Persons of a scheme the engine cannot run
(features.wave_unsupported) go to the scalar evaluator, and the summary counts them.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import attrs
import numpy as np

from policylang import ir
from policylang.batch.columns import Columns, FactColumn, day_number, from_day
from policylang.batch.kernel import MONEY, Settled, _Kernel, layer_names
from policylang.batch.segments import distinct, mul_round
from policylang.batch.wave import formulas
from policylang.batch.wave.arrays import LayerArrays, layer_arrays
from policylang.batch.wave.keys import Keys, money_fact, unit_fact
from policylang.batch.wave.layer import LayerStep
from policylang.batch.wave.probe import RowValues, first_share_for
from policylang.batch.wave.rows import plan_values
from policylang.batch.wave.state import State, by_unique
from policylang.eval import paid as funds
from policylang.eval.accumulators import opening_balances
from policylang.ir.units import fmt_yuan


class Wave(_Kernel):
    """Settle a batch sorted by person, date and row; `scalar()` and `put()` come from the kernel."""

    def __init__(self, policy: ir.Policy, cols: Columns, original: Columns, order: np.ndarray) -> None:
        self.policy, self.c, self.original, self.order = policy, cols, original, order
        self.mode = policy.rounding
        n = len(cols)
        self.money = {k: np.zeros(n, dtype=np.int64) for k in MONEY}
        for k in ("费用", "政策范围内费用", "个人自付", "现金支付"):
            self.money[k] = cols.amount.copy()
        self.names = layer_names(policy)
        self.layers = {k: np.zeros(n, dtype=np.int64) for k in self.names}
        self.mask = {k: np.zeros(n, dtype=bool) for k in self.names}
        self.days = np.zeros(n, dtype=np.int64)
        self.fallback: dict[int, str] = {}
        self.scalar_why = np.full(n, "", dtype=object)
        plan = plan_values(policy, cols)
        self.values: list[RowValues] = plan.values
        self.vid = plan.vid
        self.scheme = plan.scheme
        self.reasons = plan.reasons
        self.settling = plan.settling  # rows the steps settle (the others are refused or go to scalar)
        for p, why in plan.fallback.items():
            self.fallback.setdefault(p, why)
        self.excluded, self.class_share = plan.excluded, plan.class_share
        self.first_rule = np.array([v.first_rule for v in self.values], dtype=np.int64)
        self.den = lcm(1, *(v.denominator for v in _fractions(policy, self.values)))
        self.keys = Keys(cols, plan.period)
        self.state = State(cols.person)
        self._arrays: dict[tuple[int, int], LayerArrays] = {}
        self._memo: dict[tuple, object] = {}
        self._units: dict[str, tuple] = {}
        self._money: dict[str, np.ndarray] = {}
        self._version_day: np.ndarray | None = None
        refused = (self.scheme >= 0) & (self.reasons != "") | (self.scheme < 0)
        other = self.other_paid_all(refused & plan.other_paid_applies)
        self.money["个人自付"][refused] -= other[refused]
        self.money["现金支付"][refused] -= other[refused]

    def open_balances(self) -> None:
        """已累计: each person's year-to-date totals (accumulators.opening_balances) start the running totals
        of the period that contains their date (截至, else the person's first claim)."""
        c = self.c
        for code, person in c.openings.items():
            rows = np.nonzero(c.person == code)[0]
            if not len(rows) or not person.opening:
                continue
            first_day = from_day(int(c.date[rows].min()))
            for key, amount in opening_balances(self.policy, person, first_day):
                found = self.opening_family(key)
                if found is None:
                    continue
                fam, what = found
                at = rows[self.keys.period[rows] == key[-1][1]]
                if len(at):
                    values, slots = self.state.values[fam], self.state.slot_of[fam]
                    values[slots[at[0]]] += amount * (self.den if what == "cap" else 1)  # caps count in 1/den 分

    def opening_family(self, key: tuple) -> tuple[object, str] | None:
        """The family of a ledger key an opening balance names (a named 累计 or a layer's own period total)."""
        if key[0] == "累计":
            limit = next((lim for s in self.policy.schemes for la in s.layers
                          for lim in (la.deductible, la.fee_limit, *la.caps)
                          if lim is not None and lim.counts_in == key[1] and lim.scope is ir.Scope.PERIOD), None)
            if limit is None:
                return None
            scheme = next(s for s in self.policy.schemes for la in s.layers
                          if limit in (la.deductible, la.fee_limit, *la.caps))
            layer = next(la for la in scheme.layers if limit in (la.deductible, la.fee_limit, *la.caps))
            what = "cap" if isinstance(limit, ir.Cap) else "deductible" if isinstance(limit, ir.Deductible) else "fee_limit"
            return self.limit_family(scheme, layer, what, limit), what
        scheme = next((s for s in self.policy.schemes if s.name == key[0]), None)
        layer = next((la for la in scheme.layers if la.name == key[1]), None) if scheme else None
        if scheme is None or layer is None:
            return None
        what = key[2]
        limits = {"cap": list(layer.caps), "deductible": [layer.deductible], "fee_limit": [layer.fee_limit]}[what]
        limit = next((lim for lim in limits if lim is not None and not lim.counts_in
                      and lim.scope is ir.Scope.PERIOD), None)
        return None if limit is None else (self.limit_family(scheme, layer, what, limit), what)

    # ---- per-row facts ---------------------------------------------------------------------------
    def money_fact(self, name: str) -> np.ndarray:
        if name not in self._money:
            self._money[name] = money_fact(self.c, name)
        return self._money[name]

    def units(self, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if field not in self._units:
            self._units[field] = unit_fact(self.c.facts.get(field), len(self.c))
        return self._units[field]

    def other_paid_all(self, rows_mask: np.ndarray) -> np.ndarray:
        """其他基金已支付 per row (eval/paid.other_paid by the row's scheme), 0 where rows_mask is False."""
        out = np.zeros(len(self.c), dtype=np.int64)
        for si, scheme in enumerate(self.policy.schemes):
            fields = scheme.paid_fields()
            if fields:
                m = rows_mask & (self.scheme == si)
                out[m] = sum(self.money_fact(f)[m] for f in fields)
        return out

    def arrays(self, si: int, j: int) -> LayerArrays:
        if (si, j) not in self._arrays:
            self._arrays[si, j] = layer_arrays(self.policy.schemes[si].layers[j], si, j, self.values)
        return self._arrays[si, j]

    # ---- accumulators ------------------------------------------------------------------------------
    def limit_family(self, scheme: ir.Scheme, layer: ir.Layer, what: str,
                     limit: ir.Deductible | ir.Cap | ir.FeeLimit, cells: np.ndarray | None = None) -> object:
        """LayerSettler.limit_key as an accumulator family: a named 累计, or the layer's own (per cell when
        各自累计)."""
        shared = getattr(limit, "shared", False)
        stay = getattr(limit, "stay_days", None)
        separate = cells is not None and getattr(limit, "separate", None)
        if limit.counts_in:
            name: tuple = ("累计", limit.counts_in, limit.scope, stay, limit.by)
            cols = lambda: self.keys.scope(limit.scope, False, stay, limit.by)  # noqa: E731
        else:
            name = (scheme.name, layer.name, what, limit.scope, shared, stay, limit.by)
            cols = lambda: self.keys.scope(limit.scope, shared, stay, limit.by)  # noqa: E731
        spec: tuple | None = ("scope", limit.scope, False if limit.counts_in else shared, stay, limit.by)
        if separate:
            name = (*name, "cell", what)
            base = cols
            cols = lambda: [*base(), cells]  # noqa: E731
            spec = None
        return self.state.family(name, cols, spec)

    def own_family(self, scheme: ir.Scheme, layer: ir.Layer, what: str, scope: ir.Scope, by: str | None = None):
        """LayerSettler.key(what, scope): the layer's private running total in a scope."""
        return self.state.family((scheme.name, layer.name, what, scope, by),
                                 lambda: self.keys.scope(scope, False, None, by), ("scope", scope, False, None, by))

    def count(self, scheme: ir.Scheme, who: tuple, rows: np.ndarray) -> np.ndarray:
        """LayerSettler.count: which admission of the period each claim belongs to (a 住院号 keeps its number)."""
        seen = self.state.family((*who, "seen"), lambda: [self.keys.period, *self.keys.admission()])
        counter = self.state.family((*who, "count"), lambda: [self.keys.period])
        n = self.state.get(seen, rows)
        new = n == 0
        if new.any():
            after = self.state.add(counter, rows[new], np.ones(int(new.sum()), dtype=np.int64))
            self.state.put(seen, rows[new], after)
            n = n.copy()
            n[new] = after
        return n

    # ---- the steps -------------------------------------------------------------------------------
    def run(self) -> None:
        c = self.c
        if not len(c):
            return
        rows = np.nonzero(self.settling)[0]
        if not len(rows):
            return
        person = c.person[rows]
        start = np.r_[True, person[1:] != person[:-1]]
        first = np.nonzero(start)[0]
        rank = np.arange(len(rows)) - first[np.cumsum(start) - 1]
        by_rank = np.argsort(rank, kind="stable")
        cuts = np.searchsorted(rank[by_rank], np.arange(int(rank.max()) + 2))
        for k in range(len(cuts) - 1):
            step = rows[by_rank[cuts[k]:cuts[k + 1]]]
            self.state.begin()
            refused: list[np.ndarray] = []
            for si in distinct(self.scheme[step]):
                at = step[self.scheme[step] == si]
                refused.append(self.claims(int(si), at))
            self.state.undo(np.concatenate(refused) if refused else np.zeros(0, dtype=np.int64))

    def claims(self, si: int, rows: np.ndarray) -> np.ndarray:
        """Settle one claim of each person (rows) in scheme si; returns the rows refused whole."""
        scheme = self.policy.schemes[si]
        c, mode = self.c, self.mode
        vid = self.vid[rows]
        amount = c.amount[rows]
        excluded, class_share = self.excluded[rows], self.class_share[rows]
        policy_range = amount - excluded - class_share
        num, den = self.first_share(si, scheme, rows, vid)
        first = mul_round(policy_range, num, den, mode)
        base = policy_range - first
        m = len(rows)
        amounts = {"费用": amount, "政策范围内费用": policy_range, "全自费": excluded, "先行自付": class_share + first}
        self._why = why = np.full(m, "", dtype=object)  # refused whole in a layer: why
        total = np.zeros(m, dtype=np.int64)
        above = np.zeros(m, dtype=np.int64)
        days = np.zeros(m, dtype=np.int64)
        allowance = np.zeros(m, dtype=np.int64)
        shares: list[tuple[str, np.ndarray, np.ndarray]] = []
        for j, layer in enumerate(scheme.layers):
            la = self.arrays(si, j)
            applies = la.applies[vid]
            entering = np.minimum(base, above) if layer.above_cap else base
            above = np.zeros(m, dtype=np.int64)
            if layer.allowance is not None:
                days += np.where(applies, la.days[vid], 0)
                allowance += np.where(applies, self.allowance(la, rows, vid, amounts), 0)
                continue
            paid = np.zeros(m, dtype=np.int64)
            counted = np.zeros(m, dtype=np.int64)
            other = np.zeros(m, dtype=np.int64)
            at = np.nonzero(applies)[0]
            if len(at):
                out = LayerStep(self, scheme, j, rows[at], vid[at], la, {k: v[at] for k, v in amounts.items()}).settle(
                    entering[at], policy_range[at], amount[at], need_above=_next_above(scheme, j))
                paid[at], counted[at], other[at], above[at] = out.paid, out.counted, out.other, out.above
                bad = out.why != ""
                why[at[bad]] = np.where(why[at[bad]] == "", out.why[bad], why[at[bad]])
            shares.append((layer.name, paid, counted))
            total += paid
            base = base - paid - other
        fields = scheme.paid_fields()
        other_paid = sum((self.money_fact(f)[rows] for f in fields), np.zeros(m, dtype=np.int64))
        personal = amount - total - other_paid
        over = (personal < 0) & (why == "")
        for i in np.nonzero(over)[0]:
            why[i] = (f"{funds.OTHER_PAID} {fmt_yuan(int(other_paid[i]))} 元与本政策支付 {fmt_yuan(int(total[i]))} 元"
                      f"合计超过本次费用 {fmt_yuan(int(amount[i]))} 元")
        refused = why != ""
        ok = ~refused
        deductible = shares[0][2] if shares else np.zeros(m, dtype=np.int64)
        account = np.zeros(m, dtype=np.int64)
        if scheme.account is not None and ok.any():
            parts = {"起付线": deductible, "乙类先行自付": class_share, "先行自付": first, "全自费": excluded,
                     "个人自付": personal, "政策范围内个人自付": np.maximum(0, personal - excluded)}
            account[ok] = self.account(si, scheme, rows[ok], vid[ok], {k: v[ok] for k, v in parts.items()},
                                       personal[ok])
        r = rows[ok]
        self.money["全自费"][r] = excluded[ok]
        self.money["先行自付"][r] = (class_share + first)[ok]
        self.money["政策范围内费用"][r] = policy_range[ok]
        self.money["起付线"][r] = deductible[ok]
        self.money["统筹支付"][r] = shares[0][1][ok] if shares else 0
        self.money["基金支付"][r] = total[ok]
        self.money["个人自付"][r] = personal[ok]
        self.money["个人账户支付"][r] = account[ok]
        self.money["现金支付"][r] = (personal - account)[ok]
        self.money["津贴"][r] = allowance[ok]
        self.days[r] = days[ok]
        for name, paid, _ in shares:
            fresh = ~self.mask[name][r]
            self.layers[name][r[fresh]] = paid[ok][fresh]
            self.mask[name][r] = True
        bad = rows[refused]
        if len(bad):
            self.money["个人自付"][bad] = amount[refused] - other_paid[refused]
            self.money["现金支付"][bad] = amount[refused] - other_paid[refused]
            self.money["政策范围内费用"][bad] = amount[refused]
            self.reasons[bad] = why[refused]
        return bad

    def formula_rows(self, rows: np.ndarray, vid: np.ndarray, amounts: dict[str, np.ndarray]) -> formulas.Rows:
        """What a per-row formula reads for these claims (formulas.py): facts, version day, own amounts."""
        if self._version_day is None:
            self._version_day = np.array([day_number(v.day) if v.day else 0 for v in self.values], dtype=np.int64)
        return formulas.Rows(self.policy, self.c.facts, rows, self._version_day[vid], amounts)

    def allowance(self, la: LayerArrays, rows: np.ndarray, vid: np.ndarray,
                  amounts: dict[str, np.ndarray]) -> np.ndarray:
        """津贴 per claim: the key's, or days × a per-row daily rate, rounded once (LayerSettler.allowance)."""
        found = la.formulas.get(("rate", 0))
        out = la.allowance[vid]
        if found is None:
            return out
        out = out.copy()
        codes = found[0][vid]
        for i, f in enumerate(found[1]):
            m = codes == i
            if m.any():
                ctx = self.formula_rows(rows[m], vid[m], {k: v[m] for k, v in amounts.items()})
                out[m] = formulas.times(formulas.formula(f, ctx), la.days[vid[m]], self.mode)
                bad = np.nonzero(m)[0][ctx.why != ""]
                self._why[bad] = np.where(self._why[bad] == "", "缺少计算津贴所需的数值", self._why[bad])
                out[bad] = 0
        return out

    def first_share(self, si: int, scheme: ir.Scheme, rows: np.ndarray, vid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The 先行自付 share per claim: its rule's, or by the n-th such claim of the period (第 n 次)."""
        if not scheme.first_pays:
            zero = np.zeros(len(rows), dtype=np.int64)
            return zero, zero + 1
        rule = self.first_rule[vid]
        n = np.ones(len(rows), dtype=np.int64)
        for index, fp in enumerate(scheme.first_pays):
            if fp.counts:
                m = rule == index
                if m.any():
                    fam = self.state.family((scheme.name, "first_pay", index), lambda: [self.keys.period])
                    n[m] = self.state.add(fam, rows[m], np.ones(int(m.sum()), dtype=np.int64))
        shares = by_unique(lambda v, k: first_share_for(scheme, self.values[v], k), vid, n)
        return (np.array([s.numerator for s in shares[0]], dtype=np.int64)[shares[1]],
                np.array([s.denominator for s in shares[0]], dtype=np.int64)[shares[1]])

    def account(self, si: int, scheme: ir.Scheme, rows: np.ndarray, vid: np.ndarray,
                parts: dict[str, np.ndarray], personal: np.ndarray) -> np.ndarray:
        """ClaimSettler.account: the person's one account pays the named parts up to its balance."""
        acc = scheme.account
        assert acc is not None
        st, period = self.state, self.keys.period[rows]
        opened = st.family(("account", "opened"), lambda: [])
        balance = st.family(("account", "balance"), lambda: [])
        opened_in = st.family(("account", "opened in"), lambda: [])
        new = st.get(opened, rows) == 0
        if new.any():
            at = rows[new]
            st.put(opened, at, np.ones(len(at), dtype=np.int64))
            st.put(balance, at, self.money_fact("账户余额")[at])
            st.put(opened_in, at, period[new])
        if acc.allocation is not None:
            last_key = st.family(("account", "allocated", scheme.name), lambda: [])
            known = st.family(("account", "allocated?", scheme.name), lambda: [])
            last = np.where(st.get(known, rows) == 1, st.get(last_key, rows), st.get(opened_in, rows))
            found, inverse = by_unique(lambda v: self._allocation(acc, v), vid)
            amount = np.array(found, dtype=np.int64)[inverse]
            has = amount >= 0
            grow = (period > last) & has
            if grow.any():
                st.put(balance, rows[grow], st.get(balance, rows[grow]) + amount[grow] * (period - last)[grow])
            st.put(last_key, rows, np.maximum(last, period))
            st.put(known, rows, np.ones(len(rows), dtype=np.int64))
        due = personal if "个人自付" in acc.parts else np.minimum(personal, sum(parts[p] for p in acc.parts))
        held = st.get(balance, rows)
        paid = np.minimum(held, due)
        st.put(balance, rows, held - paid)
        return paid

    def _allocation(self, acc: ir.Account, v: int) -> int:
        key = ("allocation", v)
        if key not in self._memo:
            cell = acc.allocation.lookup(self.values[v].facts) if acc.allocation is not None else None
            self._memo[key] = -1 if cell is None else int(cell.value)  # type: ignore[call-overload]
        return self._memo[key]  # type: ignore[return-value]


def wave_facts(policy: ir.Policy, cols: Columns) -> set[str]:
    """The fact columns the engine reads: every name the schemes mention, plus the keys of running totals."""
    names = {n for n in ir.walk(policy.schemes) if isinstance(n, str)}
    names |= {"住院号", "转诊号", "入院日期", "账户余额", "就医地", *policy.defaults()}
    return names & set(cols.facts)


def with_defaults(policy: ir.Policy, cols: Columns) -> Columns:
    """The columns with each field's default (字段 … 默认) where a row lacks it, as Claim.facts_with gives it."""
    defaults = policy.defaults()
    if not defaults:
        return cols
    facts = dict(cols.facts)
    for name, value in defaults.items():
        col = facts.get(name)
        if col is None:
            facts[name] = FactColumn(np.zeros(len(cols), dtype=np.int64), (value,))
        elif (col.codes < 0).any():
            values = (*col.values, value)
            facts[name] = FactColumn(np.where(col.codes < 0, len(values) - 1, col.codes), values)
    return attrs.evolve(cols, facts=facts)


def _next_above(scheme: ir.Scheme, j: int) -> bool:
    return j + 1 < len(scheme.layers) and scheme.layers[j + 1].above_cap


def _fractions(policy: ir.Policy, values: list[RowValues]) -> set[Fraction]:
    out: set[Fraction] = set()
    for v in values:
        for la in v.layers:
            out.add(la.ratio)
            out.update(b.ratio.value for b in la.bands)
    return out



__all__ = ["Wave", "settle_wave"]


def settle_wave(policy: ir.Policy, cols: Columns, order: np.ndarray) -> Settled:
    """Run the wave engine on a batch (order: its rows by person, date and input row); results in input order."""
    w = Wave(policy, with_defaults(policy, cols.take(order, wave_facts(policy, cols))), cols, order)
    w.open_balances()
    w.run()
    why = w.scalar()
    return Settled(w.c.row, w.scheme, w.money, w.layers, w.mask, w.days, w.reasons, w.scalar_why,
                   why).in_input_order(order)
