"""Amounts other funds already paid (扣除已付), the date that picks a version (版本 按), the year-end top-up on the
period's totals (年度补助) and the 政策范围内个人自付 account part: settled exactly, explained, and coherent."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

import attrs
from conftest import compile_text

from policylang.eval.settle import settle
from policylang.eval.topup import owed
from policylang.ir.claims import Claim, Item, Person
from policylang.ir.rounding import round_fen
from policylang.tools.verify import check_person

HEAD = """地区 测试市
依据 《测试细则》
导入 "fields"
字段 基本医保已支付 金额 默认 0 元
字段 大病保险已支付 金额 默认 0 元
"""

AID = HEAD + """
方案 医疗救助 (险种 = 城乡居民医保) {
    扣除已付 基本医保已支付, 大病保险已支付
    比例 70%
}
"""

LAYERED = HEAD + """
方案 医疗救助 (险种 = 城乡居民医保) {
    层 医疗救助 {
        扣除已付 基本医保已支付
        比例 50%
    }
    层 倾斜救助 {
        比例 50%
    }
}
"""

VERSIONED = HEAD + """
方案 职工住院 (险种 = 职工医保, 就医类型 = 住院) 自 2024-01-01 起 {
    版本 按 出院日期
    起付线 每次住院 1000 元 至 2023-12-31
    起付线 每次住院 800 元 自 2024-01-01 起
    比例 80%
}
"""

TOPUP = HEAD + """
方案 慢病 (险种 = 职工医保) {
    周期 自然年度
    层 统筹 {
        比例 一级 90%, 二级 75%, 三级 60%
    }
    层 补助 {
        年度补助 超过 政策范围内费用 20% 的部分 50%
    }
}
"""

RESIDENT = Person("P", (("险种", "城乡居民医保"),))
WORKER = Person("W", (("人员类别", "在职"), ("险种", "职工医保")))


def _claim(day: str, fen: int, i: int = 0, **facts) -> Claim:
    return Claim(dt.date.fromisoformat(day), fen, tuple(sorted(facts.items())), i)


def test_a_single_aid_layer_pays_on_the_policy_range_less_what_others_paid():
    policy = compile_text(AID)
    (r,) = settle(policy, RESIDENT, [_claim("2024-03-01", 10_000_00, 基本医保已支付=5_000_00, 大病保险已支付=2_000_00)])
    assert r.fund == 2_100_00  # (10000 − 5000 − 2000) × 70%
    assert r.other_paid == r.output("其他基金已支付") == 7_000_00
    assert r.personal == r.cost - r.total_fund - r.other_paid == 900_00
    assert any("扣除其他基金已支付" in t.text for t in r.trace)
    assert any("不由本政策支付，也不由个人负担" in t.text for t in r.trace)


def test_what_others_paid_never_makes_the_base_negative_and_more_than_the_cost_is_refused():
    policy = compile_text(AID)
    items = (Item("药", "甲类", 800_00), Item("床位", "目录外", 200_00))
    over = attrs.evolve(_claim("2024-03-01", 1_000_00, 基本医保已支付=900_00), items=items)
    over, refused = settle(policy, RESIDENT, [over, _claim("2024-03-02", 1_000_00, 1, 基本医保已支付=1_200_00)])
    assert (over.fund, over.personal, over.refused) == (0, 100_00, ())  # 1000 − 0 − 900
    assert any("= 0.00 元（不低于 0）" in t.text for t in over.trace)
    assert refused.refused and "超过本次费用" in refused.refused[0]
    assert refused.personal == refused.cost  # nothing deducted from a claim that could not be settled


def test_a_later_layer_works_on_what_is_left_after_the_deduction():
    policy = compile_text(LAYERED)
    (r,) = settle(policy, RESIDENT, [_claim("2024-03-01", 10_000_00, 基本医保已支付=6_000_00)])
    paid = {ls.name: ls.paid for ls in r.layers}
    assert paid == {"医疗救助": 2_000_00, "倾斜救助": 1_000_00}  # 4000 × 50%, then (4000 − 2000) × 50%
    assert r.personal == 1_000_00


def test_the_discharge_date_picks_the_version_and_the_scheme_validity():
    policy = compile_text(VERSIONED)
    spanning, plain = settle(policy, WORKER, [
        _claim("2023-12-20", 10_000_00, 0, 就医类型="住院", 出院日期=dt.date(2024, 1, 10)),
        _claim("2023-12-20", 10_000_00, 1, 就医类型="住院")])
    assert spanning.scheme == "职工住院" and spanning.deductible == 800_00  # the 2024 version, in force by discharge
    assert any("按出院日期 2024-01-10 适用当时的标准" in t.text for t in spanning.trace)
    assert plain.scheme is None  # by its own date the scheme is not yet in force


def _topup_claims(rng: random.Random, n: int) -> list[Claim]:
    days = sorted(dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(366)) for _ in range(n))
    return [Claim(d, rng.choice((1, 333_33, 5_000_00, rng.randrange(1, 3_000_000))), (("医院等级", rng.choice(
        ("一级", "二级", "三级"))),), i) for i, d in enumerate(days)]


def test_the_year_end_top_up_sums_to_the_rule_applied_to_the_years_totals():
    policy = compile_text(TOPUP)
    topup = policy.schemes[0].layers[1].topup
    for seed in range(30):
        claims = _topup_claims(random.Random(seed), 1 + seed % 7)
        results = settle(policy, WORKER, claims)
        share = sum(r.output("补助进入") for r in results)
        total = sum(r.policy_range for r in results)
        paid = sum(ls.paid for r in results for ls in r.layers if ls.name == "补助")
        assert paid == round_fen(owed(topup, share, total)[1], policy.rounding), seed
        assert check_person(policy, WORKER, claims) is None, seed


def test_a_top_up_advanced_too_early_is_taken_back_and_said_so():
    policy = compile_text(TOPUP)
    first, second = settle(policy, WORKER, [_claim("2024-02-01", 10_000_00, 0, 医院等级="三级"),
                                           _claim("2024-03-01", 10_000_00, 1, 医院等级="一级")])
    assert first.output("补助") == 1_000_00 and second.output("补助") == -500_00
    assert any("本次冲减 500.00 元" in t.text for t in second.trace)
    assert owed(policy.schemes[0].layers[1].topup, 5_000_00, 20_000_00)[1] == Fraction(500_00)


def test_the_account_pays_the_policy_range_share_but_not_what_is_wholly_self_paid():
    policy = compile_text(HEAD + """
方案 职工门诊 (险种 = 职工医保) {
    个人账户 支付 政策范围内个人自付
    比例 60%
}
""")
    person = Person("W", (("人员类别", "在职"), ("账户余额", 10_000_00), ("险种", "职工医保")))
    claim = Claim(dt.date(2024, 3, 1), 1_300_00, (), 0, (Item("药", "甲类", 1_000_00), Item("自费", "目录外", 300_00)))
    (r,) = settle(policy, person, [claim])
    assert (r.personal, r.account, r.cash, r.output("个人账户余额")) == (700_00, 400_00, 300_00, 9_600_00)
