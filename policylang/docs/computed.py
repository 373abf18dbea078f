"""Values the script computes rather than states: formulas per year, subsidies per category and year, and
the 判断 rules — each worked out by the core evaluators (formulas.py, subsidy.py), so the page cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from fractions import Fraction

import attrs

from policylang import ir
from policylang.docs.blocks import Block, Bullets, Paragraph, Table
from policylang.docs.primitives import Column
from policylang.eval.subsidy import subsidize
from policylang.ir import terms
from policylang.ir.claims import Person, facts
from policylang.ir.values import Days, FormulaKind, Money, Number, Ratio
from policylang.ir.wording import (
    conditions_cn,
    formula_cn,
    money_cn,
    ordered_values,
    ratio_cn,
    validity_cn,
    who_cn,
)
from policylang.tools.history import subsidy_rule_value


# ---- formulas ------------------------------------------------------------------------------------
def _walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, ir.Bin):
        yield from _walk(node.left)
        yield from _walk(node.right)
    if isinstance(node, ir.Pick):
        for arg in node.args:
            yield from _walk(arg)


def _formula_nodes(formula: ir.Formula) -> Iterator[object]:
    """Every node of a formula's expression and of its bounds computed per claim."""
    for part in (formula.expr, formula.lower, formula.upper):
        if isinstance(part, ir.ARITH_NODES):
            yield from _walk(part)


def formula_fields(formula: ir.Formula, amounts: bool = False) -> list[str]:
    """The person or claim fields a formula reads (年龄, 月工资 …), in order of appearance; with amounts, also the
    claim's own amounts it reads (本次就诊的全自费)."""
    kinds = ir.FieldRef | ir.ClaimAmount if amounts else ir.FieldRef
    return list(dict.fromkeys(n.name if isinstance(n, ir.FieldRef) else f"本次就诊的{n.name}"
                              for n in _formula_nodes(formula) if isinstance(n, kinds)))


def formula_years(policy: ir.Policy, formula: ir.Formula) -> list[int]:
    """The claim years for which every reference value the formula reads is given."""
    refs = [n for n in _formula_nodes(formula) if isinstance(n, ir.RefValue)]
    if not refs:
        return []
    years = None
    for ref in refs:
        found = policy.reference(ref.name)
        have = {y - ref.offset for y, _ in found.values} if found else set()
        years = have if years is None else years & have
    return sorted(years or ())


def formula_value(policy: ir.Policy, formula: ir.Formula, day: dt.date,
                  fact_map: dict | None = None) -> tuple[str, str] | None:
    """The formula's value on a day in words and the note on bounds and rounding (600元, 按最低值), or None."""
    try:
        value, note = terms.formula_value(formula, policy, {**policy.defaults(), **(fact_map or {})}, day)
    except terms.Missing:
        return None
    if isinstance(value, Days):
        return f"{value.n}天", note
    shown = money_cn(value.rounded(policy.rounding)) if isinstance(value, Money) else ratio_cn(value)
    return shown, note


def formula_value_cn(policy: ir.Policy, formula: ir.Formula, day: dt.date,
                     fact_map: dict | None = None) -> str | None:
    """The formula's value on a day in words (600元（按最低值）), or None when it cannot be computed."""
    found = formula_value(policy, formula, day, fact_map)
    if found is None:
        return None
    return f"{found[0]}（{found[1]}）" if found[1] else found[0]


def _constant(bound: Money | Ratio | Days | ir.Arith, kind: FormulaKind) -> ir.Formula:
    """A formula's bound as a formula of its own (worded like the formula's values)."""
    if isinstance(bound, ir.ARITH_NODES):
        return ir.Formula(bound, kind)  # type: ignore[arg-type]
    if isinstance(bound, Days):
        return ir.Formula(ir.Num(Number(bound.n)), kind)
    value = Fraction(bound.fen) if isinstance(bound, Money) else bound.value
    return ir.Formula(ir.Num(Number(value)), kind)


def _formula_sentence(policy: ir.Policy, title: str, label: str, formula: ir.Formula) -> str:
    who = f"{label}：" if label else ""
    text = f"{who}{title}为{formula_cn(formula)}"
    fields = formula_fields(formula, amounts=True)
    if fields:
        text += f"；其中{'、'.join(fields)}按参保人本人（或本次就诊）的实际情况计算，因人而异"
        constant = not isinstance(formula.lower, ir.ARITH_NODES) and not isinstance(formula.upper, ir.ARITH_NODES)
        if formula.lower is not None and formula.upper is not None and constant:
            low = formula_value_cn(policy, _constant(formula.lower, formula.kind), dt.date.min)
            high = formula_value_cn(policy, _constant(formula.upper, formula.kind), dt.date.min)
            text += f"，计算结果在 {low} 至 {high} 之间"
        return text + "。"
    values = [(y, formula_value_cn(policy, formula, dt.date(y, 1, 1))) for y in formula_years(policy, formula)]
    shown = [f"{y} 年为 {v}" for y, v in values if v is not None]
    return text + ("；" + "，".join(shown) if shown else "") + "。"


def formula_blocks(policy: ir.Policy, columns: list[Column]) -> tuple[Block, ...]:
    """One sentence per formula cell of the layer's parameters: the formula and its value in each year."""
    out: list[Block] = []
    for column in columns:
        for version in column.param.versions:
            for cell in version.table.cells:
                if isinstance(cell.value, ir.Formula):
                    out.append(Paragraph(_formula_sentence(policy, column.title, cell.label(), cell.value)))
    return tuple(out)


def scheme_fields(scheme: ir.Scheme) -> list[str]:
    """Non-enumeration fields a scheme's payments depend on (formulas over 年龄, a daily rate from 月工资 …)."""
    out: dict[str, None] = {}

    for obj in ir.walk(scheme.layers, prune=lambda n: isinstance(n, ir.Condition | ir.Formula)):
        if isinstance(obj, ir.Formula):
            out.update(dict.fromkeys(formula_fields(obj)))
        elif isinstance(obj, ir.Allowance) and isinstance(obj.rate, str):
            out[obj.rate] = None
    return list(out)


# ---- subsidies -----------------------------------------------------------------------------------
@attrs.frozen
class InfoSection:
    """A region-level section (资助参保, a 判断) as blocks."""

    title: str
    blocks: tuple[Block, ...]


def _categories(policy: ir.Policy, rules: tuple[ir.SubsidyRule, ...]) -> list[tuple[str, dict[str, str]]]:
    """(label, facts) for each person category the rules name, in the order written."""
    out: dict[str, dict[str, str]] = {}
    for rule in rules:
        axes = [[(c.field, v) for v in ordered_values(c.field, c.values, policy)] for c in rule.when]
        for combo in itertools.product(*axes):
            label = "、".join(v for _, v in combo) or "全部参保人"
            out.setdefault(label, dict(combo))
    return list(out.items())


def subsidy_section(policy: ir.Policy, subsidy: ir.Subsidy) -> InfoSection:
    ref = policy.reference(subsidy.base)
    years = [y for y, _ in ref.values] if ref else []
    blocks: list[Block] = []
    standard = "、".join(f"{y}年{money_cn(v)}" for y, v in ref.values) if ref else "脚本未给出"
    blocks.append(Paragraph(f"困难群众参加{subsidy.name}医保，个人缴费由财政资助。资助按每年的{subsidy.base}计算"
                            f"（{standard}）；同一人符合多项时按下列顺序中的第一项。"))
    items = []
    for rule in subsidy.rules:
        dated = f"（{validity_cn(rule.start, rule.end)}）" if rule.start or rule.end else ""
        items.append(f"{who_cn(rule.when, policy) or '全部参保人'}：{subsidy_rule_value(rule)}{dated}")
    blocks.append(Bullets("资助对象与标准：", tuple(items)))
    blocks += [Paragraph(n) for n in subsidy.notes]
    if years:
        index = policy.subsidies.index(subsidy)
        rows = []
        for label, fact_map in _categories(policy, subsidy.rules):
            cells = []
            for year in years:
                result = subsidize(policy, Person(label, facts(fact_map)), year)[index]
                cells.append(f"资助{money_cn(result.subsidy)}，个人缴费{money_cn(result.remaining)}")
            rows.append((label, *cells))
        rows.append(("其他参保人", *(f"个人缴费{money_cn(v)}" for _, v in ref.values)))
        blocks.append(Table(f"{subsidy.name}资助金额（按各年{subsidy.base}计算）", ("资助对象", *(f"{y}年" for y in years)),
                            tuple(rows)))
    return InfoSection(f"资助参保：{subsidy.name}", tuple(blocks))


# ---- questions (判断) -----------------------------------------------------------------------------
def question_section(policy: ir.Policy, question: ir.Question) -> InfoSection:
    blocks: list[Block] = []
    if question.text:
        blocks.append(Paragraph(f"{question.name}：{question.text}？" if not question.text.endswith(("？", "?"))
                                else f"{question.name}：{question.text}"))
    items = []
    for allow in question.allows:
        when = validity_cn(allow.start, allow.end)
        items.append(f"{when}：{conditions_cn(allow.when, policy) or '所有情形'}的，可以。")
    items.append(f"其他情形：不可以{f'（{question.otherwise}）' if question.otherwise else ''}。")
    blocks.append(Bullets("规则：", tuple(items)))
    blocks += [Paragraph(n) for n in question.notes]
    return InfoSection(f"{question.name}", tuple(blocks))
