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
