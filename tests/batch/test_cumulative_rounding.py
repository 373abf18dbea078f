"""Cumulative rounding next to a cap: the kernel cuts the exact 分段 payment and rounds the period's running
payment exactly as the scalar evaluator does, so no 分 moves between claims in either backend."""

from __future__ import annotations

import datetime as dt

from batch.batchcheck import assert_same
from hypothesis import given, settings
from hypothesis import strategies as st
from properties.helpers import HEADER, script

from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns

CAPPED = (HEADER.format(rounding="{mode}") + "方案 住院 (险种 = 职工医保) {{\n    周期 自然年度\n    起付线 年度 100 元\n"
          "    分段 {{ 5000元(含)以内 50%, 超过 5000元 70% }}\n    封顶线 每日 300 元\n    封顶线 年度 {year} 元\n}}\n")


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(("四舍五入", "截尾", "进位")), st.integers(300, 5000),
       st.lists(st.tuples(st.integers(0, 500), st.integers(0, 200_000)), min_size=1, max_size=8))
def test_capped_brackets_agree_in_both_backends(mode, year_cap, rows):
    policy = script(CAPPED.format(mode=mode, year=year_cap))
    cols = Columns.from_records([{"参保人ID": "p", "日期": dt.date(2024, 1, 1) + dt.timedelta(days=day), "费用": cost,
                                  "险种": "职工医保", "人员类别": "在职", "就医类型": "住院", "医院等级": "二级"}
                                 for day, cost in rows])
    settled = settle_columns(policy, cols)
    assert not any(settled.scalar), "the kernel itself must settle capped brackets"
    assert_same(policy, cols, settled)
