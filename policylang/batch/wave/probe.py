"""Row-local values for the wave engine, looked up by the scalar evaluator's own code.

For one distinct key of the facts a scheme reads (batch/keys.py): the scheme that applies, why the claim is
refused before it touches any running total, and every table cell, formula and bound its layers read. Each
lookup is eval.layers.LayerSettler's own method on a throwaway ledger (Quiet), so the two backends cannot
disagree on a value. What depends on earlier claims (the n-th admission, the highest level so far) is asked for
separately (deductible_for, first_share_for), memoised by the engine per (key, state).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction

import attrs

from policylang import ir
from policylang.eval.deductibles import Unavailable, bound_table
from policylang.eval.layers import LayerSettler
from policylang.eval.settle import ClaimSettler
from policylang.ir import terms
from policylang.ir.claims import Claim
from policylang.ir.values import Money


def _silent(*_args: object) -> None:
    return None


class Quiet(LayerSettler):
    """A LayerSettler on a throwaway ledger, saying nothing, whose admission number is given (count)."""

    def __init__(self, policy: ir.Policy, scheme: ir.Scheme, layer: ir.Layer, claim: Claim, facts: dict,
                 amounts: dict | None = None, n: int = 1) -> None:
        super().__init__(policy, scheme, layer, defaultdict(int), claim, facts, _silent, {}, amounts)
        self.n = n
        self.why = ""

    def count(self, what: str) -> int:
        return self.n


class Refused(Exception):
    """The claim is refused whole for a row-local reason (a missing table cell or value)."""


@attrs.frozen
class LayerValues:
    """One layer's row-local values for a key. applies False: the layer pays 0 (its 当 or 要求 fail)."""

    applies: bool
    days: int = 0  # an allowance layer: 津贴天数 and 津贴
    allowance: int = 0
    fee_limit: int = 0
    fee_cell: tuple = ()  # the cell keys a 各自累计 limit counts under
    waived: bool = False
    deductible: int = 0  # after the table line's bounds; state-dependent steps: deductible_for
    ded_cell: tuple = ()
    ratio: Fraction = Fraction(0)
    bands: tuple[ir.Band, ...] = ()
    fixed: int = 0  # the standard (per unit for 定额 每 X)
    deductions: tuple[int, ...] = ()  # per deduction: the amount (per unit for 每 X)
    unit_caps: tuple[int, ...] = ()  # per 封顶线 每 X: the amount per unit
    caps: tuple[int, ...] = ()
    cap_cells: tuple[tuple, ...] = ()
    formulas: tuple[tuple[str, int, ir.Formula], ...] = ()  # (slot, index, formula) computed per row (formulas.py)


@attrs.frozen
class RowValues:
    scheme: int  # index into policy.schemes, −1 = none
    reason: str = ""  # refused whole before any running total: why ("" = settled)
    first_rule: int = -1  # index into the scheme's first_pays, −1 = none
    layers: tuple[LayerValues, ...] = ()
    facts: dict = attrs.field(factory=dict, eq=False)  # the facts after 先行自付's overrides
    day: dt.date | None = None  # the date that picks versions (版本 按)


def _cell_keys(s: Quiet, limit: ir.Cap | ir.FeeLimit | ir.Deductible) -> tuple:
    if not getattr(limit, "separate", None):
        return ()
    cell = terms.required_cell(limit.param, s.day, s.facts)
    return cell.keys


def per_row(value: object) -> bool:
    """A formula whose value differs from row to row: it reads a claim field or the claim's own amounts."""
    return isinstance(value, ir.Formula) and any(isinstance(n, ir.FieldRef | ir.ClaimAmount) for n in ir.walk(value))


class _Money:
    """Money cells of a layer: looked up here, or left to the engine per row (formulas.py) when vectorised."""

    def __init__(self, s: Quiet, layer: ir.Layer, vector: bool) -> None:
        self.s, self.layer, self.vector = s, layer, vector
        self.formulas: list[tuple[str, int, ir.Formula]] = []

    def __call__(self, param: ir.Param, slot: str, index: int = 0) -> int:
        s = self.s
        cell = terms.required_cell(param, s.day, s.facts)
        if self.vector and per_row(cell.value):
            self.formulas.append((slot, index, cell.value))  # type: ignore[arg-type]
            return 0
        found = s.amount(cell.value, cell.origin)
        if found is None:
            raise Refused(terms.unsettled_reason(self.layer.name, s.why))
        return found


def _amount(s: Quiet, layer: ir.Layer, param: ir.Param) -> int:
    return _Money(s, layer, False)(param, "")


def _layer(policy: ir.Policy, scheme: ir.Scheme, layer: ir.Layer, claim: Claim, facts: dict,
           amounts: dict | None, vector: bool = False) -> LayerValues:
    if not ir.all_hold(layer.when, facts):
        return LayerValues(False)
    if layer.requirements:
        check = ClaimSettler(policy, defaultdict(int), claim, facts)
        check.scheme = scheme
        if check.layer_requirements(layer):
            return LayerValues(False)
    s = Quiet(policy, scheme, layer, claim, facts, amounts)
    if layer.allowance is not None:
        rate = layer.allowance.rate
        if vector and per_row(rate):  # the days here, the daily rate per row (formulas.py)
            flat = attrs.evolve(layer, allowance=attrs.evolve(layer.allowance, rate=Money(0)))
            found = Quiet(policy, scheme, flat, claim, facts, amounts).allowance()
            if found is None:
                raise Refused("缺少计算津贴所需的数值")
            return LayerValues(True, days=found[0], formulas=(("rate", 0, rate),))  # type: ignore[arg-type]
        found = s.allowance()
        if found is None:
            raise Refused("缺少计算津贴所需的数值")
        return LayerValues(True, days=found[0], allowance=found[1])
    values: dict = {}
    money = _Money(s, layer, vector)
    limit = layer.fee_limit
    if limit is not None:
        values["fee_limit"] = money(limit.param, "fee_limit")
        values["fee_cell"] = _cell_keys(s, limit)
    ded = layer.deductible
    if ded is not None:
        if terms.waiver(ded, facts, s.day) is not None:
            values["waived"] = True
        else:
            amount = _amount(s, layer, ded.param)
            try:
                values["deductible"] = bound_table(s, ded, amount)
            except Unavailable:
                raise Refused(terms.unsettled_reason(layer.name, s.why)) from None
            values["ded_cell"] = _cell_keys(s, ded)
    if layer.ratio is not None:
        if s.ratio_pay(layer.ratio, 0) is None:
            raise Refused(terms.unsettled_reason(layer.name, s.why))
        assert s.ratio_used is not None
        values["ratio"] = s.ratio_used.value
    elif layer.brackets is not None:
        values["bands"] = terms.required_cell(layer.brackets.param, s.day, facts).value.bands  # type: ignore[union-attr]
    elif layer.fixed is not None:
        values["fixed"] = money(layer.fixed.param, "fixed")
    values["deductions"] = tuple(money(d.param, "deductions", k) for k, d in enumerate(layer.deductions))
    values["unit_caps"] = tuple(money(c.param, "unit_caps", k) for k, c in enumerate(layer.unit_caps))
    values["caps"] = tuple(money(cap.param, "caps", k) for k, cap in enumerate(layer.caps))
    values["cap_cells"] = tuple(_cell_keys(s, cap) for cap in layer.caps)
    return LayerValues(True, formulas=tuple(money.formulas), **values)


def probe(policy: ir.Policy, facts: dict, date: dt.date, amount: int, with_amounts: bool = False,
          catalogue: tuple[int, int] = (0, 0), vector: bool = True) -> RowValues:
    """Everything row-local about a claim with these facts, date and 费用 (with_amounts: a formula reads the
    claim's 费用, 政策范围内费用 …, given its catalogue's 全自费 and 乙类先行自付; its 先行自付 share does not count
    claims)."""
    try:
        scheme = policy.scheme_for(facts, date)
    except terms.NoCell as e:
        return RowValues(-1, e.reason)
    if scheme is None:
        return RowValues(-1, "没有适用的方案")
    index = policy.schemes.index(scheme)
    day = scheme.version_day(facts, date)
    place = facts.get("就医地")
    if place and place != policy.region:  # a batch has no other regions' catalogues
        return RowValues(index, f"找不到就医地“{place}”的目录", day=day)
    facts = dict(facts)
    claim = Claim(date, amount)
    try:
        rule = terms.first_pay(scheme, facts, day)
        first = -1
        if rule is not None:
            first = scheme.first_pays.index(rule)
            facts.update(rule.overrides)
        amounts = None
        if with_amounts:
            excluded, class_share = catalogue
            policy_range = amount - excluded - class_share
            first_paid = 0 if rule is None else (Money(policy_range) * rule.share).rounded(policy.rounding).fen
            amounts = terms.claim_amounts(amount, excluded, class_share + first_paid, policy_range)
        layers = tuple(_layer(policy, scheme, layer, claim, facts, amounts, vector) for layer in scheme.layers)
    except terms.NoCell as e:
        return RowValues(index, e.reason, day=day)
    except Refused as e:
        return RowValues(index, str(e), day=day)
    return RowValues(index, "", first, layers, facts, day)


def deductible_for(policy: ir.Policy, scheme: ir.Scheme, layer: ir.Layer, values: RowValues, amount: int,
                   highest: int, n: int) -> int | None:
    """The deductible after its state-dependent steps (按最高等级补差 given the highest so far, the n-th
    admission's factor, 每次递减, 逐次), by LayerSettler.adjust_deductible itself; None: a bound is missing."""
    ded = layer.deductible
    assert ded is not None and values.day is not None
    s = Quiet(policy, scheme, layer, Claim(values.day, 0), values.facts, n=n)
    s.day = values.day
    if ded.highest:
        s.acc[s.key("deductible_highest", ded.scope)] = highest
    cell = terms.required_cell(ded.param, s.day, s.facts)
    try:
        return s.adjust_deductible(attrs.evolve(ded, base_lower=None, base_upper=None), amount, cell)
    except Unavailable:
        return None


def first_share_for(scheme: ir.Scheme, values: RowValues, n: int) -> Fraction:
    """The 先行自付 share of the n-th such claim of the period (its 第 n 次 rule), or the rule's share."""
    if values.first_rule < 0:
        return Fraction(0)
    rule = scheme.first_pays[values.first_rule]
    if not rule.counts:
        return rule.share.value
    counted = ir.count_value(rule.counts, n)
    return counted.value.value if counted else Fraction(0)


__all__ = ["LayerValues", "Quiet", "RowValues", "deductible_for", "first_share_for", "probe"]
