"""A total shared across schemes (累计 … 计入) in the batch backend: the kernel settles schemes independently, so a
scheme whose limits count in a named accumulator is unknown to it and every person with a claim in it is settled
by the scalar evaluator as a whole — equal to the scalar results to the 分."""

from __future__ import annotations

import datetime as dt

import attrs
from batchcheck import ROOT, assert_same, policy_of

from policylang.api import check_path
from policylang.batch.columns import Columns
from policylang.batch.features import unsupported
from policylang.batch.generate import generate
from policylang.batch.persons import settle_person
from policylang.batch.settle import settle_columns
from policylang.eval.settle import settle


def _rows(rows: list[tuple[str, str, str, int]]) -> Columns:
    """(person, date, 就医类型, 分) for 城乡居民 救助 under the accumulator vocabulary."""
    return Columns.from_records([{"参保人ID": p, "日期": dt.date.fromisoformat(d), "费用": fen, "险种": "城乡居民医保",
                                  "人员类别": "居民", "就医类型": kind, "医院等级": "二级"}
                                 for p, d, kind, fen in rows])


def test_a_cap_shared_by_two_schemes_settles_alike_in_batch() -> None:
    policy = policy_of("accumulators")
    shared = [s for s in policy.schemes if s.name in ("居民住院救助", "居民慢病救助")]
    assert all(unsupported(policy, s) for s in shared)
    cols = _rows([("A", "2024-03-01", "住院", 6_000_000), ("A", "2024-05-01", "门诊慢特病", 2_000_000),
                  ("A", "2024-06-01", "住院", 100_000), ("B", "2024-02-01", "门诊慢特病", 1_000_000),
                  ("B", "2024-04-01", "普通门诊", 100_000)])
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    # the shared 5 万元: 42000 for the admission, then only the 8000 left for the chronic-disease claim
    assert settled.money["统筹支付"].tolist()[:3] == [4_200_000, 800_000, 0]
    assert not settled.scalar_persons  # the wave engine settles a shared cap (batch/wave), not the scalar path


def test_generated_people_settle_alike_in_batch() -> None:
    policy = policy_of("accumulators")
    cols = generate(policy, 1_500, 150, seed=11)
    assert_same(policy, cols, settle_columns(policy, cols))


def test_year_to_date_totals_open_the_wave_engines_totals() -> None:
    """已累计 on a person: the wave engine starts the named and the layer's own totals from them."""
    checked = check_path(ROOT / "tests" / "vocabulary" / "accumulators" / "rules.policy")
    cases = [c for c in checked.compiled.tests if c.person.opening]
    assert len(cases) >= 2  # a named 累计 and a layer's own 方案名·封顶线
    for case in cases:
        claims = [tc.claim for tc in case.claims]
        run = settle_person(checked.policy, case.person, claims)
        assert not run.fallback
        scalar = settle(checked.policy, case.person, claims)
        assert [r.outputs() | {"trace": None} for r in run.results] == [
            {k: v for k, v in r.outputs().items() if k in run.results[0].outputs()} | {"trace": None} for r in scalar]
        without = settle_person(checked.policy, attrs.evolve(case.person, opening=()), claims)
        assert [r.fund for r in without.results] != [r.fund for r in run.results]  # the balance mattered
