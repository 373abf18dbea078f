"""The scalar fallback: persons whose claims the kernel cannot vectorise are settled one by one, exactly."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
from batchcheck import assert_same, policy_of

from policylang import ir
from policylang.batch.columns import Columns
from policylang.batch.features import unsupported
from policylang.batch.generate import generate
from policylang.batch.settle import settle_columns


def _records(rows: list[tuple[str, str, str, str, int]]) -> Columns:
    """(person, date, 人员类别, 医院等级, 分) for 随州 职工 普通门诊."""
    return Columns.from_records([{"参保人ID": p, "日期": dt.date.fromisoformat(d), "费用": fen, "险种": "职工医保",
                                  "人员类别": cat, "就医类型": "普通门诊", "医院等级": level}
                                 for p, d, cat, level, fen in rows])


def test_deductible_changing_within_the_year_goes_to_the_wave_engine() -> None:
    """No closed form when a person's deductible changes within the year: the kernel hands the person to the wave
    engine (batch/wave), which runs the running total claim by claim; the scalar path only with engine="kernel"."""
    policy = policy_of("suizhou")
    cols = _records([("A", "2024-01-05", "在职", "一级", 30_000), ("A", "2024-06-01", "退休", "一级", 30_000),
                     ("A", "2024-07-01", "退休", "二级", 90_000), ("B", "2024-03-01", "在职", "二级", 200_000)])
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    assert not settled.scalar_persons and not (settled.scalar != "").any()
    kernel_only = settle_columns(policy, cols, engine="kernel")
    assert_same(policy, cols, kernel_only)
    assert kernel_only.scalar_persons == {"起付线在同一累计期内变化": 1}
    assert list(kernel_only.scalar) == ["起付线在同一累计期内变化"] * 3 + [""]


class FutureLayer(ir.Layer):
    """A layer with a field the kernel has never heard of."""


@attrs.frozen
class Surcharge:
    amount: int


def test_unknown_ir_goes_to_scalar() -> None:
    policy = policy_of("suizhou")
    scheme = policy.schemes[0]
    odd = attrs.evolve(scheme, layers=tuple(FutureLayer(**attrs.asdict(layer, recurse=False))
                                            for layer in scheme.layers))
    odd_policy = attrs.evolve(policy, schemes=(odd,))
    assert unsupported(odd_policy, odd) is not None and "FutureLayer" in unsupported(odd_policy, odd)
    cols = generate(odd_policy, 2_000, 200, seed=5)
    settled = settle_columns(odd_policy, cols, engine="kernel")
    assert_same(odd_policy, cols, settled)
    assert sum(settled.scalar_persons.values()) > 0
    assert all(w.startswith("未支持的规则要素") for w in settled.scalar_persons)


def test_cap_scopes_without_closed_form_go_to_scalar() -> None:
    policy = policy_of("admission")
    scheme = next(s for s in policy.schemes if s.name == "居民门诊")
    layer = scheme.layers[0]
    odd_cap = attrs.evolve(layer.caps[0], scope=ir.Scope.ADMISSION)
    odd = attrs.evolve(scheme, layers=(attrs.evolve(layer, caps=(*layer.caps, odd_cap)),))
    odd_policy = attrs.evolve(policy, schemes=tuple(odd if s is scheme else s for s in policy.schemes))
    assert "封顶线范围组合" in (unsupported(odd_policy, odd) or "")
    cols = generate(odd_policy, 5_000, 500, seed=6)
    settled = settle_columns(odd_policy, cols)
    assert_same(odd_policy, cols, settled)


def test_vectorised_rows_are_not_settled_by_scalar() -> None:
    policy = policy_of("layers")
    cols = generate(policy, 5_000, 600, seed=8)
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    assert np.count_nonzero(settled.scalar != "") == sum(
        np.count_nonzero(cols.person == p) for p in np.unique(cols.person[settled.scalar != ""]))
