"""Worked examples: the script's own test blocks, settled by the evaluator at build time, with traces."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import attrs

from policylang import ir
from policylang.docs.blocks import Table
from policylang.eval.harness import run_case
from policylang.eval.settle import Places
from policylang.ir.cases import TestCase
from policylang.ir.values import FieldType
from policylang.ir.wording import date_cn, money_cn


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
    notes: tuple[str, ...] = ()  # e.g. a claim treated in another region (就医地)


# The English gloss a message ends with, "(no 孕期号 to key the running total)": for the log and the officer,
# not for a citizen's page. Only ASCII brackets holding an English word; full-width （…） is the policy's own.
_GLOSS = re.compile(r"\s*\((?=[^()]*[a-z]{2})[^()（）]*\)")


def without_gloss(text: str) -> str:
    """A message as a citizen's page shows it: Chinese only, its English gloss dropped."""
    return _GLOSS.sub("", text)


# a typed field's value as a citizen reads it: with its unit (money is held in 分, so 50000 is 500元)
_UNITS = {FieldType.DAYS: "天", FieldType.MONTHS: "个月", FieldType.YEARS: "年", FieldType.COUNT: "次",
          FieldType.AGE: "岁"}


def _fact(field: str, value: object, enums: list[str], kind: FieldType | None = None) -> str:
    if isinstance(value, dt.date):
        return f"{field} {date_cn(value)}"
    if isinstance(value, str):
        if value in ("是", "否"):
            return f"{field}：{value}"
        return value if field in enums else f"{field} {value}"
    if isinstance(value, Fraction) and value.denominator == 1:
        value = value.numerator
    if kind is FieldType.MONEY and isinstance(value, int) and not isinstance(value, bool):
        return f"{field} {money_cn(value)}"
    if kind in _UNITS and isinstance(value, int | Fraction) and not isinstance(value, bool):
        return f"{field} {value} {_UNITS[kind]}"
    return f"{field} {value}"


def _claim_label(facts: tuple[tuple[str, object], ...], policy: ir.Policy | None = None) -> str:
    """The facts in enumeration order (险种, 人员类别, 医院等级 …), then typed fields as 字段 值 with units."""
    order = [e.name for e in policy.enums] if policy else []
    ranked = sorted(facts, key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))

    def kind(name: str) -> FieldType | None:
        declared = policy.field(name) if policy else None
        return declared.type if declared else None

    return "、".join(_fact(f, v, order, kind(f)) for f, v in ranked) or "—"


def worked_example(policy: ir.Policy, case: TestCase, places: Places | None = None) -> WorkedExample:
    outcome = run_case(policy, case, places)
    layer_names = list(dict.fromkeys(ls.name for r in outcome.results for ls in r.layers))
    paid_titles = ["统筹支付"] if len(layer_names) <= 1 else [f"{n}支付" for n in layer_names]
    refused = any(r.refused for r in outcome.results)
    scheme_names = {r.scheme for r in outcome.results}
    with_account = any(s.account is not None for s in policy.schemes if s.name in scheme_names)
    with_allowance = any(r.allowance_days for r in outcome.results)
    rows = []
    steps = []
    for i, (tc, r) in enumerate(zip(case.claims, outcome.results, strict=True)):
        c = tc.claim
        paid = {ls.name: ls.paid for ls in r.layers}
        shares = [money_cn(r.fund)] if len(layer_names) <= 1 else [money_cn(paid.get(n, 0)) for n in layer_names]
        row = [str(i + 1), date_cn(c.date), _claim_label(c.facts, policy), money_cn(r.cost), money_cn(r.deductible),
               *shares, money_cn(r.personal)]
        if with_account:
            row += [money_cn(r.account), money_cn(r.cash)]
        if with_allowance:
            row.append(f"{r.allowance_days}天，{money_cn(r.allowance)}" if r.allowance_days else "—")
        if refused:
            row.append("；".join(without_gloss(x) for x in r.refused) or "—")
        rows.append(tuple(row))
        title = f"第 {i + 1} 次就诊（{date_cn(c.date)}，{_claim_label(c.facts, policy)}，费用{money_cn(r.cost)}）"
        steps.append(Step(title, tuple(without_gloss(t.text) for t in r.trace)))
    mismatches = tuple(f"{f.what} {f.output}：脚本期望 {f.expected}，计算结果 {f.actual}" for f in outcome.failures)
    header = ("序号", "就诊日期", "就医情况", "费用", "计入起付线", *paid_titles, "个人自付",
              *(("其中个人账户支付", "其中现金支付") if with_account else ()),
              *(("津贴",) if with_allowance else ()), *(("不予支付的原因",) if refused else ()))
    places = dict.fromkeys(str(v) for tc in case.claims for f, v in tc.claim.facts if f == "就医地")
    notes = tuple(f"本算例有在{p}就医的费用（跨地区就医）：报销范围按就医地{p}的目录确定，起付线、比例、封顶线按参保地"
                  f"{policy.region}的政策计算（就医地目录、参保地政策）。" for p in places)
    if case.person.opening:  # 已累计: the totals the example starts from
        since = f"截至{date_cn(case.person.opening_date)}，" if case.person.opening_date else ""
        carried = "、".join(f"{name} {money_cn(v)}" for name, v in case.person.opening)
        notes += (f"本算例从年中开始：{since}本年度已累计 {carried}（此前就诊已计入的金额）。",)
    table = Table("计算结果（由结算程序按本页规则算出）", header, tuple(rows))
    scheme = next((r.scheme for r in outcome.results if r.scheme), None)
    person = _claim_label(case.person.facts, policy)
    return WorkedExample(case.name, person, scheme, table, tuple(steps), mismatches, notes)
