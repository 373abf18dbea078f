"""Settlement invariants on generated claims: bounds, caps, conservation and monotonicity.

Checked on the 随州 policy and on randomly generated simple policies (deductible, ratio, caps, rounding).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cache

import attrs
from conftest import SUIZHOU, compile_text
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang import ir
from policylang.api import compile_path
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts
from policylang.ir.rounding import MODES

EXAMPLES = settings(max_examples=60, deadline=None)


@cache
def suizhou() -> ir.Policy:
    return compile_path(SUIZHOU)


days = st.dates(min_value=dt.date(2023, 11, 1), max_value=dt.date(2025, 2, 28))
amounts = st.integers(min_value=0, max_value=1_000_000)  # 分: up to 10,000 元
claim = st.builds(
    lambda day, amount, level, kind: Claim(day, amount, facts({"医院等级": level, "就医类型": kind})),
    days, amounts, st.sampled_from(["一级", "二级", "三级"]),
    st.sampled_from(["普通门诊", "普通门诊", "普通门诊", "住院"]),
)
claims = st.lists(claim, min_size=1, max_size=8)
people = st.sampled_from(["在职", "退休"]).map(lambda c: Person("p", facts({"险种": "职工医保", "人员类别": c})))


@st.composite
def simple_policies(draw) -> tuple[str, dict]:
    """A one-scheme script with random deductible, ratio, caps, period and rounding."""
    p = {
        "deductible": draw(st.integers(0, 300_000)),
        "ratio": draw(st.integers(0, 1000)),  # tenths of a percent
        "cap": draw(st.integers(0, 2_000_000)),
        "visit_cap": draw(st.none() | st.integers(0, 500_000)),
        "month": draw(st.integers(1, 12)),
        "rounding": draw(st.sampled_from(MODES)),
    }
    yuan = lambda fen: f"{fen // 100}.{fen % 100:02d}"  # noqa: E731
    body = [f"周期 社保年度 自 {p['month']} 月 起" if p["month"] != 1 else "周期 自然年度",
            f"起付线 {yuan(p['deductible'])} 元", f"比例 {p['ratio'] // 10}.{p['ratio'] % 10}%",
            f"封顶线 年度 {yuan(p['cap'])} 元"]
    if p["visit_cap"] is not None:
        body.append(f"封顶线 每次 {yuan(p['visit_cap'])} 元")
    text = (f"地区 测试市\n依据 《测试细则》\n舍入 {p['rounding']}\n导入 \"enums\"\n"
            "方案 门诊 (险种 = 职工医保) {\n" + "\n".join(body) + "\n}\n")
    return text, p


@cache
def compiled(text: str) -> ir.Policy:
    return compile_text(text)


def year_totals(policy: ir.Policy, results) -> dict[int, int]:
    totals: defaultdict[int, int] = defaultdict(int)
    for r in results:
        scheme = next((s for s in policy.schemes if s.name == r.scheme), None)
        if scheme is not None:
            totals[scheme.period.key(r.claim.date)] += r.fund
    return totals


def check_bounds(results) -> None:
    for r in results:
        assert 0 <= r.fund <= r.cost, "the fund pays between 0 and the claim"
        assert r.fund + r.personal == r.cost, "fund + personal is the cost, to the 分"
        assert 0 <= r.deductible <= r.cost


# ---- 随州 ------------------------------------------------------------------------------------------
@EXAMPLES
@given(people, claims)
def test_suizhou_bounds_and_year_cap(who: Person, cs: list[Claim]) -> None:
    policy = suizhou()
    results = settle(policy, who, cs)
    check_bounds(results)
    cap = 130000 if who.fact_map()["人员类别"] == "在职" else 160000
    for total in year_totals(policy, results).values():
        assert total <= cap


@EXAMPLES
@given(people, claims, st.data())
def test_suizhou_more_spending_never_pays_less(who: Person, cs: list[Claim], data) -> None:
    policy = suizhou()
    i = data.draw(st.integers(0, len(cs) - 1))
    extra = data.draw(st.integers(1, 500_000))
    more = [*cs[:i], attrs.evolve(cs[i], amount=cs[i].amount + extra), *cs[i + 1:]]
    before, after = year_totals(policy, settle(policy, who, cs)), year_totals(policy, settle(policy, who, more))
    year = policy.schemes[0].period.key(cs[i].date)
    assert after.get(year, 0) >= before.get(year, 0)
    assert sum(after.values()) >= sum(before.values())


@EXAMPLES
@given(people, claims, st.randoms(use_true_random=False))
def test_suizhou_input_order_does_not_change_amounts(who: Person, cs: list[Claim], rnd) -> None:
    # distinct dates, so date order is a total order and input order must not matter
    cs = list({c.date: c for c in cs}.values())
    shuffled = cs[:]
    rnd.shuffle(shuffled)
    by_date = lambda results: sorted((r.claim.date, r.fund, r.deductible) for r in results)  # noqa: E731
    assert by_date(settle(suizhou(), who, cs)) == by_date(settle(suizhou(), who, shuffled))


# ---- random simple policies ----------------------------------------------------------------------
@EXAMPLES
@given(simple_policies(), claims)
def test_simple_policy_bounds_and_caps(script: tuple[str, dict], cs: list[Claim]) -> None:
    text, p = script
    policy = compiled(text)
    who = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))
    results = settle(policy, who, cs)
    check_bounds(results)
    for total in year_totals(policy, results).values():
        assert total <= p["cap"]
    for r in results:
        if p["visit_cap"] is not None:
            assert r.fund <= p["visit_cap"]
        # the fund never pays more than the ratio of what is above the deductible, plus one 分 of rounding
        assert r.fund * 1000 <= (r.cost - r.deductible) * p["ratio"] + 1000


@EXAMPLES
@given(simple_policies(), claims, st.data())
def test_simple_policy_more_spending_never_pays_less(script: tuple[str, dict], cs: list[Claim], data) -> None:
    text, _ = script
    policy = compiled(text)
    who = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))
    i = data.draw(st.integers(0, len(cs) - 1))
    more = [*cs[:i], attrs.evolve(cs[i], amount=cs[i].amount + data.draw(st.integers(1, 500_000))), *cs[i + 1:]]
    before, after = year_totals(policy, settle(policy, who, cs)), year_totals(policy, settle(policy, who, more))
    year = policy.schemes[0].period.key(cs[i].date)
    assert after.get(year, 0) >= before.get(year, 0)


@EXAMPLES
@given(simple_policies(), st.lists(amounts, min_size=1, max_size=6))
def test_simple_policy_deductible_counted_once_per_year(script: tuple[str, dict], fens: list[int]) -> None:
    text, p = script
    policy = compiled(text)
    who = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))
    cs = [Claim(dt.date(2024, 1, 1) + dt.timedelta(days=i), f, facts({"就医类型": "普通门诊"}))
          for i, f in enumerate(fens)]
    results = settle(policy, who, cs)
    by_year: defaultdict[int, int] = defaultdict(int)
    cost: defaultdict[int, int] = defaultdict(int)
    for r in results:
        key = policy.schemes[0].period.key(r.claim.date)
        by_year[key] += r.deductible
        cost[key] += r.cost
    for key, ded in by_year.items():
        assert ded == min(p["deductible"], cost[key])
