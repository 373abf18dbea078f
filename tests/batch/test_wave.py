"""The wave engine (batch/wave): every region and vocabulary script settles alike on both backends, to the 分,
with no person left to the scalar evaluator; and what it still leaves to scalar (IR it has never heard of)."""

from __future__ import annotations

import datetime as dt
import zlib

import attrs
import numpy as np
import pytest
from batchcheck import REGIONS, assert_same, policy_of

from policylang import ir
from policylang.batch.columns import Columns
from policylang.batch.generate import generate
from policylang.batch.settle import needs_wave, settle_columns
from policylang.batch.wave.rows import unsupported


def _seed(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % 1000


@pytest.mark.parametrize("region", [r.name for r in REGIONS])
def test_wave_equals_scalar_with_no_fallback(region: str) -> None:
    """Forced onto the wave engine (also where the closed-form kernel would run): many claims per person, so
    counters, accounts, one-off payments and shared totals reach their later states."""
    policy = policy_of(region)
    cols = generate(policy, 3_000, 200, seed=_seed(region) + 7)
    settled = settle_columns(policy, cols, engine="wave")
    assert_same(policy, cols, settled)
    assert not settled.scalar_persons, settled.scalar_persons
    assert not (settled.scalar != "").any()


@pytest.mark.parametrize("region", ["accumulators", "counters", "accounts", "steps", "paid", "composed", "weihai"])
def test_auto_uses_the_wave_engine_where_the_kernel_cannot(region: str) -> None:
    policy = policy_of(region)
    assert needs_wave(policy)
    cols = generate(policy, 1_000, 100, seed=_seed(region))
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    assert not settled.scalar_persons


def test_a_refused_claim_undoes_what_it_counted_in_the_step() -> None:
    """The first claim of an admission lacks 床日数 (封顶线 每 床日数): it is refused whole after its layer counted
    the 800 元 deductible, so the deductible is undone and the admission's next claim counts all of it."""
    policy = policy_of("steps")

    def claim(day: str, fen: int, **facts: object) -> dict:
        return {"参保人ID": "P", "日期": dt.date.fromisoformat(day), "费用": fen, "险种": "城乡居民医保",
                "人员类别": "居民", "就医类型": "住院", "医院等级": "二级", "住院号": "H1", **facts}

    cols = Columns.from_records([claim("2024-03-01", 500_000), claim("2024-03-09", 300_000, 床日数=8)])
    settled = settle_columns(policy, cols, engine="wave")
    assert_same(policy, cols, settled)
    assert "床日数" in settled.reasons[0]
    assert settled.money["起付线"].tolist() == [0, 80_000]
    assert settled.money["统筹支付"].tolist() == [0, 160_000]  # 90% of 2,200 元 = 1,980 元, capped at 8 × 200 元


class FutureLayer(ir.Layer):
    """A layer kind the engines have never heard of."""


def test_unknown_ir_is_left_to_scalar_by_the_wave_engine_too() -> None:
    policy = policy_of("counters")
    scheme = policy.schemes[0]
    odd = attrs.evolve(scheme, layers=tuple(FutureLayer(**attrs.asdict(la, recurse=False)) for la in scheme.layers))
    odd_policy = attrs.evolve(policy, schemes=(odd, *policy.schemes[1:]))
    assert "FutureLayer" in (unsupported(odd_policy, odd) or "")
    cols = generate(odd_policy, 1_500, 150, seed=5)
    settled = settle_columns(odd_policy, cols, engine="wave")
    assert_same(odd_policy, cols, settled)
    assert sum(settled.scalar_persons.values()) > 0
    assert all(w.startswith("未支持的规则要素") for w in settled.scalar_persons)


def test_many_claims_of_one_person_step_in_date_order() -> None:
    """One person, 60 claims in shuffled input order: the n-th admission's deductible and the yearly cap follow
    the date order (ties by input row), exactly as settle() does."""
    policy = policy_of("counters")
    rng = np.random.default_rng(4)
    days = rng.integers(0, 700, size=60)
    records = [{"参保人ID": "P", "日期": dt.date(2023, 1, 1) + dt.timedelta(days=int(d)), "费用": int(a),
                "险种": "职工医保", "人员类别": "在职", "就医类型": "住院", "医院等级": "二级", "住院号": f"H{k % 25}"}
               for k, (d, a) in enumerate(zip(days, rng.integers(10_000, 3_000_000, size=60), strict=True))]
    cols = Columns.from_records(records)
    settled = settle_columns(policy, cols, engine="wave")
    assert_same(policy, cols, settled)


ABOVE_COST_BANDS = """地区 分段封顶示例
依据 《示例》
导入 "fields"

方案 慢特病 (险种 = 职工医保, 就医类型 = 门诊慢特病) {
    周期 自然年度
    起付线 年度 1 万元
    分段 按累计费用 { 5万元(含)以内 50%, 超过 5万元 70% }
    封顶线 年度 3 万元
    层 大额补助 { 基数 超过上一层封顶线的部分; 比例 90% }
}
"""


def test_a_layer_above_the_cap_of_cost_based_brackets(tmp_path) -> None:
    """基数 超过上一层封顶线的部分 after 分段 按累计费用 with a cap: the cap point is found on the bands as they
    start at the deductible, in both backends."""
    from policylang.api import check_path

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "policy.policy").write_text(ABOVE_COST_BANDS, encoding="utf-8")
    checked = check_path(tmp_path / "r")
    assert checked.policy is not None, checked.diagnostics
    policy = checked.policy
    rng = np.random.default_rng(9)
    records = [{"参保人ID": f"P{k % 7}", "日期": dt.date(2024, 1, 1) + dt.timedelta(days=int(d)), "费用": int(a),
                "险种": "职工医保", "人员类别": "在职", "就医类型": "门诊慢特病", "医院等级": "二级"}
               for k, (d, a) in enumerate(zip(rng.integers(0, 360, 120), rng.integers(100_000, 4_000_000, 120),
                                              strict=True))]
    cols = Columns.from_records(records)
    settled = settle_columns(policy, cols, engine="wave")
    assert_same(policy, cols, settled)
    assert settled.layers["大额补助"].sum() > 0


@pytest.mark.parametrize("region", ["weihai", "jiaozuo"])
def test_lookups_kept_from_other_batches_give_a_fresh_batchs_result(region, monkeypatch) -> None:
    """keys.lookups keeps row lookups across batches of one policy: a batch after others (with other data,
    or without a column the others had) must settle exactly as it does first."""
    from policylang.batch import keys
    from policylang.batch.wave import rows

    policy = policy_of(region)
    first = generate(policy, 1_500, 250, seed=41)
    name = sorted(rows.wave_fields(policy) & set(first.facts))[0]
    later = generate(policy, 1_500, 250, seed=42)
    later = attrs.evolve(later, facts={k: v for k, v in later.facts.items() if k != name})
    monkeypatch.setattr(keys, "_KEPT", {"policy": None, "values": {}})
    alone = settle_columns(policy, later, engine="wave")
    settle_columns(policy, first, engine="wave")
    after = settle_columns(policy, later, engine="wave")
    assert keys._KEPT["values"]  # the lookups were kept
    for k in alone.money:
        assert np.array_equal(alone.money[k], after.money[k]), k
    assert np.array_equal(alone.scheme, after.scheme) and list(alone.reasons) == list(after.reasons)
