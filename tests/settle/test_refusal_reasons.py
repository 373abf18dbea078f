"""Every refused claim says why, in the text trace as well as in the reasons; both backends give one reason."""

from __future__ import annotations

import datetime as dt

from batch.batchcheck import assert_same, policy_of

from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts


def test_a_formula_missing_its_optional_field_refuses_the_claim_and_the_text_trace_says_why():
    policy = policy_of("expressions")
    who = Person("p", facts({"险种": "职工医保", "人员类别": "退休"}))  # no 年龄: the ratio formula cannot be computed
    (r,) = settle(policy, who, [Claim(dt.date(2024, 5, 1), 1_000_000, facts({"就医类型": "住院", "医院等级": "三级"}))])
    assert r.refused == ("基本医保无法结算：缺少“年龄”",)
    assert r.total_fund == 0 and r.personal == r.cost
    text = "\n".join(line.render() for line in r.trace)
    assert "无法计算“85% + (年龄 - 70) × 0.5%”：缺少“年龄”，本次就诊不予支付" in text


def test_both_backends_refuse_a_missing_formula_input_for_the_same_reason():
    policy = policy_of("expressions")
    cols = Columns.from_records([{"参保人ID": "p", "日期": dt.date(2024, 5, 1), "费用": 1_000_000, "险种": "职工医保",
                                  "人员类别": "退休", "就医类型": "住院", "医院等级": "三级"}])
    assert_same(policy, cols, settle_columns(policy, cols))


def test_a_claim_refused_for_a_missing_value_counts_no_deductible_in_either_backend():
    """The deductible is counted before the ratio formula fails: refused as a whole, the claim leaves the
    admission's deductible untouched, so the next claim of the same admission pays all of it."""
    policy = policy_of("expressions")
    who = Person("p", facts({"险种": "职工医保", "人员类别": "退休"}))
    stay = {"就医类型": "住院", "医院等级": "三级", "住院号": "A"}
    first = Claim(dt.date(2024, 5, 1), 1_000_000, facts(stay))  # no 年龄: refused
    second = Claim(dt.date(2024, 5, 2), 1_000_000, facts({**stay, "年龄": 76}), index=1)
    r1, r2 = settle(policy, who, [first, second])
    assert r1.refused == ("基本医保无法结算：缺少“年龄”",) and r1.total_fund == 0
    assert "不计入起付线与封顶线" in "\n".join(line.render() for line in r1.trace)
    assert r2.deductible == 90_000 and r2.fund == 800_800
    rows = [{"参保人ID": "p", "日期": c.date, "费用": c.amount, "险种": "职工医保", "人员类别": "退休", **stay}
            for c in (first, second)]
    rows[1]["年龄"] = 76
    cols = Columns.from_records(rows)
    assert_same(policy, cols, settle_columns(policy, cols))
