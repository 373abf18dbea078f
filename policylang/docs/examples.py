"""Worked examples: the script's own test blocks, settled by the evaluator at build time, with traces."""

from __future__ import annotations

import attrs

from policylang import ir
from policylang.cases import TestCase
from policylang.docs.blocks import Table
from policylang.docs.wording import date_cn, money_cn
from policylang.harness import run_case


@attrs.frozen
class Step:
    """One claim of an example and the evaluator's explanation of it."""

    title: str
    lines: tuple[str, ...]


@attrs.frozen
class WorkedExample:
    title: str
    person: str
    scheme: str | None  # the scheme that settled the first claim
    table: Table
    steps: tuple[Step, ...]
    mismatches: tuple[str, ...]  # expectations the evaluator did not meet (a broken script)


def _claim_label(facts: tuple[tuple[str, str], ...], policy: ir.Policy | None = None) -> str:
    """The facts' values in enumeration order (险种, 人员类别, 医院等级 …)."""
    order = [e.name for e in policy.enums] if policy else []
    ranked = sorted(facts, key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return "、".join(v for _, v in ranked) or "—"


def worked_example(policy: ir.Policy, case: TestCase) -> WorkedExample:
    outcome = run_case(policy, case)
    rows = []
    steps = []
    for i, (tc, r) in enumerate(zip(case.claims, outcome.results, strict=True)):
        c = tc.claim
        rows.append((str(i + 1), date_cn(c.date), _claim_label(c.facts, policy), money_cn(r.cost), money_cn(r.deductible),
                     money_cn(r.fund), money_cn(r.personal)))
        title = f"第 {i + 1} 次就诊（{date_cn(c.date)}，{_claim_label(c.facts, policy)}，费用{money_cn(c.amount)}）"
        steps.append(Step(title, tuple(t.text for t in r.trace)))
    mismatches = tuple(f"{f.what} {f.output}：脚本期望 {f.expected}，计算结果 {f.actual}" for f in outcome.failures)
    header = ("序号", "就诊日期", "就医情况", "费用", "计入起付线", "统筹支付", "个人自付")
    table = Table("计算结果（由结算程序按本页规则算出）", header, tuple(rows))
    scheme = next((r.scheme for r in outcome.results if r.scheme), None)
    person = _claim_label(case.person.facts, policy)
    return WorkedExample(case.name, person, scheme, table, tuple(steps), mismatches)
