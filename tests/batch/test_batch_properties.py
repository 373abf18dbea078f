"""Hypothesis: small random claim sets (ties, year ends, same admission) settle the same in both backends."""

from __future__ import annotations

import datetime as dt

from batchcheck import assert_same, policy_of
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns

LEVELS = ("一级", "二级", "三级")

claim = st.fixed_dictionaries({
    "参保人ID": st.sampled_from(["A", "B", "C"]),
    "日期": st.dates(dt.date(2023, 12, 25), dt.date(2025, 1, 5)),
    "费用": st.one_of(st.integers(0, 3_000_00), st.integers(0, 400) .map(lambda x: x * 1_000_00),
                    st.integers(0, 60_000_000)),
    "险种": st.sampled_from(["职工医保", "城乡居民医保"]),
    "人员类别": st.sampled_from(["在职", "退休"]),
    "就医类型": st.sampled_from(["普通门诊", "住院", "门诊慢特病"]),
    "医院等级": st.sampled_from(LEVELS),
    "住院号": st.sampled_from(["H1", "H2", None]),
    "转诊号": st.sampled_from(["R1", None]),
    "救助身份": st.sampled_from(["无", "低保对象", "特困人员"]),
})


def _cols(records: list[dict]) -> Columns:
    return Columns.from_records([{k: v for k, v in r.items() if v is not None} for r in records])


@settings(max_examples=60, deadline=None)
@given(records=st.lists(claim, min_size=1, max_size=25),
       region=st.sampled_from(["suizhou", "admission", "layers", "versions"]))
def test_small_inputs_agree(records: list[dict], region: str) -> None:
    policy = policy_of(region)
    cols = _cols(records)
    assert_same(policy, cols, settle_columns(policy, cols))
