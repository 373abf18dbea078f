"""Lowering of the region-level programmes beside the schemes: subsidies (资助) and yes/no questions (判断)."""

from __future__ import annotations

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.values import SubsidyKind
from policylang.lower.conditions import conditions, conditions_of_keys
from policylang.lower.context import Context, Definitions
from policylang.lower.values import money_value, ratio_value, validity
from policylang.syntax import ast


def _enumerated(ctx: Context, conds: tuple | None) -> tuple[ir.Condition, ...] | None:
    """资助 and 判断 are answered outside a settlement, where a missing field cannot refuse a claim: enumeration
    conditions only (E091)."""
    if conds is None:
        return None
    for c in conds:
        if isinstance(c, ir.FieldTest):
            ctx.report(error("E091", f"资助、判断 只按枚举取值区分，不能写“{c.describe()}”", c.origin))
            return None
    return conds


def _subsidy_rule(ctx: Context, rule: ast.SubsidyRule) -> ir.SubsidyRule | None:
    conds = _enumerated(ctx, conditions_of_keys(ctx, rule.keys))
    start, end = validity(ctx, rule.validity)
    if conds is None:
        return None
    if rule.kind == "定额":
        assert rule.amount is not None
        amount = money_value(ctx, rule.amount, "资助金额")
        return None if amount is None else ir.SubsidyRule(conds, SubsidyKind.FIXED, amount, None, rule.span, start,
                                                          end)
    if rule.kind == "比例":
        assert rule.amount is not None
        share = ratio_value(ctx, rule.amount, "资助比例")
        floor = money_value(ctx, rule.floor, "资助下限") if rule.floor else None
        if share is None or (rule.floor is not None and floor is None):
            return None
        return ir.SubsidyRule(conds, SubsidyKind.SHARE, share, floor, rule.span, start, end)
    return ir.SubsidyRule(conds, SubsidyKind.FULL, None, None, rule.span, start, end)


def subsidy(ctx: Context, defs: Definitions, s: ast.Subsidy) -> ir.Subsidy | None:
    """资助: who gets their contribution paid, in full, in part or by a fixed amount."""
    defs.once(("资助", s.name), f"资助“{s.name}”", s.span)
    if s.base.text not in ctx.references:
        ctx.report(error("E023", f"未知参考值“{s.base.text}”", s.base.span, "资助按 参考值 中逐年的个人缴费标准计算"))
        return None
    rules = [r for rule in s.rules if (r := _subsidy_rule(ctx, rule))]
    return ir.Subsidy(s.name, s.base.text, tuple(rules), s.notes, s.span)


def question(ctx: Context, defs: Definitions, q: ast.Question) -> ir.Question:
    """判断: a yes/no question answered from the conditions of its 允许 clauses."""
    defs.once(("判断", q.name.text), f"判断“{q.name.text}”", q.name.span)
    allows = []
    for a in q.allows:
        start, end = validity(ctx, a.validity)
        allows.append(ir.Allow(_enumerated(ctx, conditions(ctx, a.conds)) or (), start, end, a.span))
    return ir.Question(q.name.text, q.text, tuple(allows), q.otherwise, q.notes, q.span)
