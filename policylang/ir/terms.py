"""Row-local terms every backend shares: one home for what a claim's facts and date alone decide.

Scalar settle (eval/), the batch plan, docs, verify, diff and history call these; none re-derives them:
a table cell for a claim, a reference value by year, a computed parameter (formula) with its bounds and
rounding, the ratio after adjustments and the 0–100% clamp, a waiver, a first self-pay rule, whether two
validity intervals overlap, and the names of the outputs a test may expect.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from fractions import Fraction

import attrs

from policylang.ir import nodes as ir
from policylang.ir.outputs import DAYS_OUTPUT, MONEY_OUTPUTS, expectable, output_value
from policylang.ir.values import (
    ONE,
    ZERO,
    ArithOp,
    Days,
    FieldType,
    FormulaKind,
    Money,
    PickOp,
    Ratio,
    RoundTo,
    magnitude,
)


class Missing(Exception):
    """A value the claim needs cannot be had: a reference value for the year, or a formula's input."""


class FormulaError(Missing):
    """The expression cannot be computed for this claim (a missing field or value, division by zero)."""


NoCell = ir.NoCell  # defined in ir.params: a typed condition on a missing field refuses the claim the same way


# ---- validity -----------------------------------------------------------------------------------
def overlap(a_start: dt.date | None, a_end: dt.date | None, b_start: dt.date | None, b_end: dt.date | None) -> bool:
    """Whether two validity intervals (inclusive, None = open) share a day."""
    return (a_start is None or b_end is None or a_start <= b_end) and (b_start is None or a_end is None or b_start <= a_end)


def in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return ir.in_force(start, end, day)


# ---- cells and values ---------------------------------------------------------------------------
def cell(param: ir.Param, day: dt.date, facts: ir.Facts) -> ir.Cell | None:
    """The table cell of a parameter for a claim: the version in force, its most specific matching cell."""
    return param.lookup(day, facts)


TABLE_GLOSS = {"比例": "ratio", "起付线": "deductible", "封顶线": "cap", "费用限额": "fee limit", "定额": "fixed standard",
               "分段": "brackets", "津贴天数": "allowance days"}


def table_key(version: ir.Version, facts: ir.Facts) -> str:
    """The claim's values for the fields a table is keyed by (三级; 职工医保·退休), as the missing key."""
    fields = version.table.fields
    return "·".join(str(facts.get(f) or f"未填{f}") for f in fields) if fields else "默认值"


def unsettled_reason(layer: str, why: str) -> str:
    """The refusal reason of a claim whose layer lacks a value (a reference value, a formula's input)."""
    return f"{layer}无法结算：{why}" if why else f"{layer}缺少当年的参考值，无法结算"


_NO_CELL = re.compile(r"^\S+(表没有 .+ \(no .+ for .+\)|在就诊日没有生效的版本 \(no .+ in force on the claim's date\))$")


def is_no_cell(reason: str) -> bool:
    """Whether a refusal reason is a missing table cell (required_cell's wording; the batch carries only text):
    such a claim was not settled at all, so a test expecting amounts of it fails instead of passing on 0."""
    return _NO_CELL.match(reason) is not None


def required_cell(param: ir.Param, day: dt.date, facts: ir.Facts) -> ir.Cell:
    """The cell a claim must have from a table it reaches; NoCell (a located refusal) when there is none."""
    version = param.at(day)
    gloss = TABLE_GLOSS.get(param.name, param.name)
    if version is None:
        first = param.versions[0].origin if param.versions else None
        raise NoCell(f"{param.name}在就诊日没有生效的版本 (no {gloss} in force on the claim's date)", first)
    found = version.table.lookup(facts)
    if found is None:
        key = table_key(version, facts)
        raise NoCell(f"{param.name}表没有 {key} (no {gloss} for {key})", version.origin)
    return found


def reference_value(policy: ir.Policy, ref: ir.RefValue, day: dt.date) -> Money:
    """A reference value for the claim's year plus the offset (上年度 = −1); Missing if not given."""
    reference = policy.reference(ref.name)
    year = day.year + ref.offset
    found = reference.for_year(year) if reference else None
    if found is None:
        raise Missing(f"缺少 {year} 年的{ref.name}")
    return found


Amounts = Mapping[str, int]  # the claim's own amounts an expression may read (ir.CLAIM_AMOUNTS), in 分


def claim_amounts(cost: int, excluded: int, first_paid: int, policy_range: int) -> dict[str, int]:
    """The claim's own amounts by the names an expression reads them under (known before any layer pays)."""
    return {"费用": cost, "全自费": excluded, "先行自付": first_paid, "政策范围内费用": policy_range}


def _arith(node: ir.Arith, policy: ir.Policy, facts: ir.Facts, day: dt.date, amounts: Amounts | None = None) -> Fraction:
    if isinstance(node, ir.Num):
        return Fraction(magnitude(node.value))  # type: ignore[arg-type]
    if isinstance(node, ir.RefValue):
        try:
            return Fraction(reference_value(policy, node, day).fen)
        except Missing as e:
            raise FormulaError(str(e)) from None
    if isinstance(node, ir.FieldRef):
        value = facts.get(node.name)
        if value is None or isinstance(value, str | dt.date):
            raise FormulaError(f"缺少“{node.name}”")
        fdef = policy.field(node.name)
        scale = Fraction(1, 12) if fdef is not None and fdef.type == FieldType.YEARS else Fraction(1)
        return Fraction(value) * scale
    if isinstance(node, ir.ClaimAmount):
        if amounts is None or node.name not in amounts:
            raise FormulaError(f"这里没有本次就诊的“{node.name}”")
        return Fraction(amounts[node.name])
    if isinstance(node, ir.Pick):
        values = [_arith(a, policy, facts, day, amounts) for a in node.args]
        return min(values) if node.op is PickOp.MIN else max(values)
    left, right = _arith(node.left, policy, facts, day, amounts), _arith(node.right, policy, facts, day, amounts)
    if node.op == ArithOp.ADD:
        return left + right
    if node.op == ArithOp.SUB:
        return left - right
    if node.op == ArithOp.MUL:
        return left * right
    if right == 0:
        raise FormulaError("除数为 0")
    return left / right


def expression_value(node: ir.Arith, policy: ir.Policy, facts: ir.Facts, day: dt.date,
                     amounts: Amounts | None = None) -> Fraction:
    """An expression's exact value for a claim (money in 分, ratios as fractions, days and months as numbers):
    facts, the claim's date (reference values by year) and its own amounts. FormulaError if it cannot be had."""
    return _arith(node, policy, facts, day, amounts)


def _bound(value: Money | Ratio | Days | ir.Arith, policy: ir.Policy, facts: ir.Facts, day: dt.date,
           amounts: Amounts | None) -> Fraction:
    if isinstance(value, ir.ARITH_NODES):
        return _arith(value, policy, facts, day, amounts)  # type: ignore[arg-type]
    if isinstance(value, Days):
        return Fraction(value.n)
    return Fraction(value.fen) if isinstance(value, Money) else value.value  # type: ignore[union-attr]


def _computed_bound(bound: object, text: str) -> str:
    """Which bound computed per claim applied (按最低值 上年度职工平均工资 × 10%); nothing for a constant."""
    return f" {text}" if isinstance(bound, ir.ARITH_NODES) and text else ""


def formula_value(formula: ir.Formula, policy: ir.Policy, facts: ir.Facts, day: dt.date,
                  amounts: Amounts | None = None) -> tuple[Money | Ratio | Days, str]:
    """A computed parameter: exact, bounded (最低 / 最高), rounded as the formula says; and a note on what applied.

    A money result is exact until a named rounding: one the formula states, else the caller's (to_fen). A days
    result counts whole days only (不足 1 天的部分不计), never below 0.
    """
    exact = _arith(formula.expr, policy, facts, day, amounts)
    notes = []
    if formula.lower is not None and exact < (low := _bound(formula.lower, policy, facts, day, amounts)):
        exact = low
        notes.append("按最低值" + _computed_bound(formula.lower, formula.lower_text))
    if formula.upper is not None and exact > (high := _bound(formula.upper, policy, facts, day, amounts)):
        exact = high
        notes.append("按最高值" + _computed_bound(formula.upper, formula.upper_text))
    if formula.kind == FormulaKind.RATIO:
        return Ratio(exact), "，".join(notes)
    if formula.kind == FormulaKind.DAYS:
        whole = max(0, math.floor(exact))
        if whole != exact:
            notes.append("不足 1 天的部分不计")
        return Days(whole), "，".join(notes)
    if formula.round_to is not None:
        mode = formula.round_mode or policy.rounding
        unit = 100 if formula.round_to == RoundTo.YUAN else 1
        rounded = Money(exact / unit).rounded(mode).fen * unit
        if rounded != exact:
            notes.append(f"{mode}取整到{formula.round_to}")
        exact = Fraction(rounded)
    return Money(exact), "，".join(notes)


@attrs.frozen
class Resolved:
    """A cell's value for one claim, and how it was reached (a formula's bounds and rounding)."""

    value: ir.Value
    note: str = ""


def resolve(value: ir.Value, policy: ir.Policy, facts: ir.Facts, day: dt.date,
            amounts: Amounts | None = None) -> Resolved:
    """A cell's value for a claim: constants as they are, references by year, formulas evaluated (reading the
    claim's own amounts when given) and money rounded to the 分 by the region's rule. Raises Missing
    (FormulaError for a formula)."""
    if isinstance(value, ir.RefValue):
        return Resolved(reference_value(policy, value, day))
    if isinstance(value, ir.Formula):
        result, note = formula_value(value, policy, facts, day, amounts)
        if isinstance(result, Money) and not result.whole:
            rounded = result.rounded(policy.rounding)
            note = "，".join(x for x in (note, f"{policy.rounding}到分") if x)
            result = rounded
        return Resolved(result, note)
    return Resolved(value)


# ---- ratios -------------------------------------------------------------------------------------
def adjust(adj: ir.Adjustment, ratio: Ratio) -> tuple[Ratio, Ratio | None]:
    """The ratio after one adjustment, and the bound that stopped it (if any).

    A bound never moves the ratio against the adjustment: a ratio already above 最高 stays where it is.
    """
    new = ratio + adj.delta
    if adj.raises and adj.upper is not None and new > adj.upper:
        return max(ratio, adj.upper, key=lambda r: r.value), adj.upper
    if not adj.raises and adj.lower is not None and new < adj.lower:
        return min(ratio, adj.lower, key=lambda r: r.value), adj.lower
    return new, None


def applies(rule: ir.Adjustment | ir.Waiver | ir.FirstSelfPay | ir.Allow | ir.SubsidyRule, facts: ir.Facts, day: dt.date) -> bool:
    """A dated rule with conditions applies to a claim in force on its day whose facts meet every condition."""
    return ir.in_force(rule.start, rule.end, day) and ir.all_hold(rule.when, facts)


def adjusted(ratio: Ratio, adjustments: tuple[ir.Adjustment, ...], facts: ir.Facts,
             day: dt.date) -> list[tuple[ir.Adjustment, Ratio, Ratio | None]]:
    """Each adjustment that applies, in the order written, with the ratio after it and the bound that held."""
    steps = []
    for adj in adjustments:
        if applies(adj, facts, day):
            ratio, stop = adjust(adj, ratio)
            steps.append((adj, ratio, stop))
    return steps


def clamp(ratio: Ratio) -> Ratio:
    """A paid ratio is between 0% and 100%."""
    return ratio.clamped(ZERO, ONE)


def final_ratio(ratio: Ratio, adjustments: tuple[ir.Adjustment, ...], facts: ir.Facts, day: dt.date) -> Ratio:
    """The ratio a claim is paid at: adjustments in order, then the 0–100% clamp."""
    steps = adjusted(ratio, adjustments, facts, day)
    return clamp(steps[-1][1] if steps else ratio)


# ---- allowances ---------------------------------------------------------------------------------
@attrs.frozen
class AllowanceDays:
    """津贴天数 for a claim: the base cell, each addition that applied with the days it added, the total."""

    cell: ir.Cell | None
    steps: tuple[tuple[ir.DaysAddition | ir.DaysPerCount, Days], ...] = ()

    @property
    def total(self) -> Days:
        base = self.cell.value if self.cell is not None else Days(0)
        return sum((added for _, added in self.steps), start=base)  # type: ignore[arg-type]


def allowance_days(allowance: ir.Allowance, facts: ir.Facts, day: dt.date) -> AllowanceDays:
    """Base days by the table, plus each 加 N 天 whose conditions hold, plus days × (count − base) per 每多 1."""
    cell_ = cell(allowance.days, day, facts)
    if cell_ is None:
        return AllowanceDays(None)
    steps: list[tuple[ir.DaysAddition | ir.DaysPerCount, Days]] = [
        (add, add.days) for add in allowance.additions if ir.all_hold(add.when, facts)]
    for per in allowance.per_count:
        extra = max(0, int(facts.get(per.field, per.base)) - per.base)  # type: ignore[arg-type]
        if extra:
            steps.append((per, per.days * extra))  # type: ignore[misc]
    return AllowanceDays(cell_, tuple(steps))


# ---- waivers, first self-pay, outputs -------------------------------------------------------------
def waiver(ded: ir.Deductible, facts: ir.Facts, day: dt.date) -> ir.Waiver | None:
    """The 免起付线 rule that waives the deductible for this claim, if any."""
    return next((w for w in ded.waivers if applies(w, facts, day)), None)


def first_pay(scheme: ir.Scheme, facts: ir.Facts, day: dt.date) -> ir.FirstSelfPay | None:
    """The first 先行自付 rule of a scheme that applies to this claim."""
    return next((r for r in scheme.first_pays if applies(r, facts, day)), None)


def layer_names(policy: ir.Policy, allowances: bool = True) -> tuple[str, ...]:
    """Every layer's name in first-written order (each is an output of its own); allowances=False: only the
    layers that pay on the claim's cost (a 津贴 layer's output is 津贴 and 津贴天数)."""
    return tuple(dict.fromkeys(layer.name for scheme in policy.schemes for layer in scheme.layers
                               if allowances or layer.allowance is None))


def output_names(policy: ir.Policy) -> tuple[str, ...]:
    """The names a claim's test may expect: the fixed outputs (ir.outputs), then each layer's payment."""
    return expectable(layer_names(policy))


__all__ = [
    "DAYS_OUTPUT",
    "MONEY_OUTPUTS",
    "TABLE_GLOSS",
    "AllowanceDays",
    "FormulaError",
    "Missing",
    "NoCell",
    "Resolved",
    "adjust",
    "adjusted",
    "allowance_days",
    "applies",
    "cell",
    "claim_amounts",
    "clamp",
    "expression_value",
    "final_ratio",
    "first_pay",
    "formula_value",
    "in_force",
    "is_no_cell",
    "layer_names",
    "output_names",
    "output_value",
    "overlap",
    "reference_value",
    "required_cell",
    "resolve",
    "table_key",
    "unsettled_reason",
    "waiver",
]
