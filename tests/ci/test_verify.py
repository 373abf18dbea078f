"""Invariants on generated claims: the real evaluator passes; injected bugs are caught and shrunk."""

from __future__ import annotations

import attrs

from policylang.eval.settle import LayerShare, settle
from policylang.tools import verify as v


def test_suizhou_holds_every_invariant(suizhou_policy):
    report = v.verify(suizhou_policy, seed=1, examples=5)
    assert report.violation is None
    assert report.sequences == 2 * 4 * 5  # every 险种 × 人员类别 combination (the rules use both)
    assert report.claims >= report.sequences


def test_generated_claims_cover_every_claim_combination(suizhou_policy):
    gen = v.Generator(suizhou_policy, seed=0)
    seen = {c.facts for _ in range(40) for c in gen.claims(3)}
    kinds = len(suizhou_policy.enum("就医类型").values)
    assert len(seen) == len(gen.claim_combos) == kinds * 3  # 就医类型 × 医院等级; unused enumerations are left out
    assert {50000, 49999, 50001, 130000, 160000} <= set(gen.amounts)


def test_same_seed_same_run(suizhou_policy):
    def broken(policy, person, claims):
        return tuple(attrs.evolve(r, fund=r.fund + 1) if r.cost > 300000 else r
                     for r in settle(policy, person, claims))

    a = v.verify(suizhou_policy, seed=7, examples=5, settler=broken)
    b = v.verify(suizhou_policy, seed=7, examples=5, settler=broken)
    assert a == b


def test_paying_more_than_the_claim_is_caught_with_one_claim(suizhou_policy):
    def overpays(policy, person, claims):
        return tuple(attrs.evolve(r, fund=r.cost + 1, personal=-1, layers=(LayerShare("基本医保", r.cost + 1),))
                     if r.cost >= 100000 else r for r in settle(policy, person, claims))

    found = v.verify(suizhou_policy, seed=3, examples=10, settler=overpays).violation
    assert found is not None and found.invariant == v.BOUNDS
    assert len(found.rows) == 1
    assert found.rows[0][1].amount == 100000  # shrunk to the smallest failing round amount
    assert "不在 0 与费用" in found.detail
    text = v.render_violation(found)
    assert "最小反例（1 次就诊）" in text and "适用方案" in text


def test_forgetting_earlier_claims_breaks_the_annual_cap_with_two_claims(suizhou_policy):
    def amnesiac(policy, person, claims):  # settles each claim as if it were the year's first
        return tuple(settle(policy, person, [c])[0] for c in claims)

    found = v.verify(suizhou_policy, seed=0, examples=20, settler=amnesiac).violation
    assert found is not None and found.invariant == v.CAPS
    assert len(found.rows) == 2
    assert "超过封顶线" in found.detail and "policy.policy:17" in found.detail


def test_paying_less_for_more_cost_is_caught(suizhou_policy):
    def cliff(policy, person, claims):
        return tuple(attrs.evolve(r, fund=0, personal=r.cost, layers=(LayerShare("基本医保", 0),))
                     if r.cost > 500000 else r for r in settle(policy, person, claims))

    found = v.verify(suizhou_policy, seed=0, examples=10, settler=cliff).violation
    assert found is not None and found.invariant == v.MONOTONE
    assert len(found.rows) == 1 and "降为" in found.detail


def test_a_layer_paying_more_than_left_is_caught(suizhou_policy):
    def two_layers(policy, person, claims):
        return tuple(attrs.evolve(r, layers=(LayerShare("基本医保", -1), LayerShare("大病保险", r.fund + 1)))
                     for r in settle(policy, person, claims))

    found = v.verify(suizhou_policy, seed=0, examples=3, settler=two_layers).violation
    assert found is not None and found.invariant == v.LAYERS


def test_sharing_accumulators_between_people_is_caught(suizhou_policy):
    def one_pool(policy, rows):  # a backend that forgets to key accumulators by person
        return list(settle(policy, rows[0][0], [c for _, c in rows]))

    found = v.verify(suizhou_policy, seed=0, examples=5, table=one_pool).violation
    assert found is not None and found.invariant == v.INTERLEAVE
    assert len(found.rows) == 2 and found.rows[0][0].id != found.rows[1][0].id


def test_shrink_drops_claims_and_rounds_amounts():
    rows = [(None, attrs.evolve(_claim(), amount=a)) for a in (123456, 5, 987654)]

    def fails(rs):
        return ("x", "y") if any(c.amount >= 500000 for _, c in rs) else None

    small = v.shrink(rows, fails)
    assert [c.amount for _, c in small] == [500000]


def _claim():
    import datetime as dt

    from policylang.ir.claims import Claim
    return Claim(dt.date(2024, 1, 1), 0)


def test_cli_verify(run_cli):
    from ci.helpers import SUIZHOU

    result = run_cli("verify", SUIZHOU, "-n", "3", "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "不变量全部成立" in result.output


def test_render_shows_typed_facts_by_name():
    import datetime as dt
    from fractions import Fraction

    from policylang.ir.claims import Claim, Person

    person = Person("p", (("人员类别", "在职"), ("账户余额", 5000)))
    claim = Claim(dt.date(2024, 1, 2), 100, (("住院号", "H1"), ("入院日期", dt.date(2024, 1, 1)), ("年龄", Fraction(70))))
    result = settle_rows_one(person, claim)
    text = v.render_violation(v.Violation("x", "y", ((person, claim),), (result,)))
    assert "在职 账户余额=5000" in text and "住院号=H1 入院日期=2024-01-01 年龄=70" in text


def settle_rows_one(person, claim):
    from ci.helpers import SUIZHOU
    from policylang.api import compile_path

    return settle(compile_path(SUIZHOU), person, [claim])[0]


# ---- a 费用限额 shared by several claims: the precise monotonicity invariant ---------------------------

def _fee_limited(deductible: str):
    from properties.helpers import HEADER, script
    return script(HEADER.format(rounding="四舍五入") + "方案 住院 (险种 = 职工医保) {\n    周期 自然年度\n"
                  f"    {deductible}\n    比例 75%\n    费用限额 年度 1 万元\n}}\n")


def _two_claims(first: int, second: int):
    import datetime as dt

    from policylang.ir.claims import Claim, Person, facts
    who = Person("p", facts({"险种": "职工医保", "人员类别": "退休"}))
    kind = facts({"就医类型": "住院"})
    return who, [Claim(dt.date(2024, 1, 1), first, kind, 0), Claim(dt.date(2024, 3, 12), second, kind, 1)]


def test_a_per_visit_deductible_under_a_shared_fee_limit_may_pay_less_when_an_earlier_claim_costs_more():
    """Raising claim 1 from 0 to 100 元 charges a second 50 元 deductible inside the year's 1 万元 room, so claim 2
    enters 50 元 less: the rule as written. verify checks only the latest claim's raise there."""
    policy = _fee_limited("起付线 每次 50 元")
    who, claims = _two_claims(0, 995_001)
    total = [sum(r.total_fund for r in settle(policy, who, cs)) for cs in (claims, [v.with_more(claims[0], 10_000),
                                                                                    claims[1]])]
    assert total[1] < total[0]
    assert v.check_person(policy, who, claims) is None


def test_a_raise_of_the_latest_claim_under_a_shared_fee_limit_is_still_checked():
    policy = _fee_limited("起付线 每次 50 元")
    who, claims = _two_claims(0, 995_001)

    def cliff(policy, person, claims):  # the latest claim pays nothing above 10,000 元
        rs = settle(policy, person, claims)
        return tuple(attrs.evolve(r, fund=0, personal=r.cost, layers=tuple(LayerShare(s.name, 0) for s in r.layers))
                     if i == len(rs) - 1 and r.cost > 1_000_000 else r for i, r in enumerate(rs))

    found = v.check_person(policy, who, claims, cliff)
    assert found is not None and found[0] == v.MONOTONE and "第 2 次就诊" in found[1]


def test_raising_an_earlier_claim_is_checked_when_the_limited_claims_are_alike():
    """A yearly deductible and claims with the same facts: raising claim 1 must never pay less (a 分 lost on a
    later claim, as a per-claim rounded 大病保险 after the limit used to lose, is caught)."""
    policy = _fee_limited("起付线 年度 1000 元")
    who, claims = _two_claims(64_221, 222_273)

    def loses(policy, person, claims):  # the later claim loses 1 分 when the first costs an even amount
        rs = settle(policy, person, claims)
        return tuple(attrs.evolve(r, fund=r.fund - 1, personal=r.personal + 1,
                                  layers=(attrs.evolve(r.layers[0], paid=r.layers[0].paid - 1), *r.layers[1:]))
                     if i == 1 and claims[0].amount % 2 == 0 and r.fund > 0 else r for i, r in enumerate(rs))

    found = v.check_person(policy, who, claims, loses)
    assert found is not None and found[0] == v.MONOTONE and "第 1 次就诊费用增加 0.01 元" in found[1]
    assert v.check_person(policy, who, claims) is None
