"""Properties of deductible bounds, 逐次 and 费用限额 按起付线以上部分, against a direct model of their meaning."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts
from policylang.ir.rounding import MODES, round_fen
from properties.helpers import HEADER, script, yuan

EXAMPLES = settings(max_examples=60, deadline=None)
WORKER = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))
YEAR = dt.date(2024, 1, 1)


def _admissions(costs: list[int]) -> list[Claim]:
    return [Claim(YEAR + dt.timedelta(days=7 * i), c, facts({"就医类型": "住院"}), i) for i, c in enumerate(costs)]


@EXAMPLES
@given(st.integers(0, 300_000), st.integers(0, 100), st.integers(0, 300_000), st.sampled_from(sorted(MODES)),
       st.integers(1, 9))
def test_compound_is_the_previous_admissions_deductible_times_the_factor_bounded_below(base, pct, floor, mode, n):
    policy = script(HEADER.format(rounding=mode) + "方案 住院 (险种 = 职工医保) {\n    周期 自然年度\n"
                    f"    起付线 每次住院 {yuan(base)} 元\n    起付线 逐次 {pct}%, 最低 {yuan(floor)} 元\n    比例 50%\n}}\n")
    got = [r.deductible for r in settle(policy, WORKER, _admissions([10_000_000] * n))]
    chain = [base]
    for _ in range(n - 1):
        chain.append(round_fen(Fraction(chain[-1] * pct, 100), mode))
    want = [chain[0]] + [max(x, min(floor, base)) for x in chain[1:]]
    assert got == want
    assert all(d <= base for d in got) and got == sorted(got, reverse=True)  # never raised, never growing


@EXAMPLES
@given(st.integers(0, 300_000), st.integers(0, 300_000), st.integers(0, 100), st.integers(0, 100),
       st.lists(st.integers(0, 1_500_000), min_size=1, max_size=6))
def test_fee_limit_above_the_deductible_admits_at_most_the_limit_above_it(deductible, limit, r1, r2, costs):
    policy = script(HEADER.format(rounding="四舍五入") + "方案 限额 (险种 = 职工医保) {\n    周期 自然年度\n"
                    f"    起付线 年度 {yuan(deductible)} 元\n    比例 {r1}%\n"
                    f"    费用限额 年度 按起付线以上部分 {yuan(limit)} 元\n    层 第二层 {{ 比例 {r2}% }}\n}}\n")
    results = settle(policy, WORKER, _admissions(costs))
    borne = entered = left = 0
    for cost, r in zip(costs, results, strict=True):
        counted = min(cost, deductible - borne)
        entering = min(cost - counted, limit - entered)
        assert r.deductible == counted
        # rounded cumulatively over the year's limit: no 分 moves between claims
        assert r.fund == round_fen(Fraction((entered + entering) * r1, 100)) - round_fen(Fraction(entered * r1, 100))
        # the next layer rounds its running payment over the same year (eval/accumulators.py running_scope)
        assert r.layers[1].paid == (round_fen(Fraction((left + cost - r.fund) * r2, 100))
                                    - round_fen(Fraction(left * r2, 100)))
        borne, entered, left = borne + counted, entered + entering, left + cost - r.fund
    assert entered <= limit
