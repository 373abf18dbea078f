"""Settle one 职工住院 claim through the batch kernel (for checks that must hold on both backends)."""

from __future__ import annotations

import datetime as dt

from policylang import ir
from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns


def batch_fund(policy: ir.Policy, person: dict) -> int:
    cols = Columns.from_records([{"参保人ID": "p", "日期": dt.date(2024, 5, 1), "费用": 1_000_000, "险种": "职工医保",
                                  "就医类型": "住院", "医院等级": "三级", **person}])
    settled = settle_columns(policy, cols)
    return int(settled.money["统筹支付"][0])
