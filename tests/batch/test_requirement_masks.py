"""要求 as masks (batch/requirements.py): each requirement checked once per distinct key of the fields it reads,
behind a guard filter. Generated claims that fail several requirements at once, meet or miss the guards
(断缴月数, 参保身份, 缴费日期 around the claim date) and lack fields: reasons and payments equal settle()'s."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from batchcheck import assert_same, policy_of
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns

DAY = st.dates(dt.date(2023, 11, 1), dt.date(2024, 12, 31))
claim = st.fixed_dictionaries({
    "参保人ID": st.sampled_from(["A", "B", "C", "D"]),
    "日期": DAY,
    "费用": st.integers(0, 5_000_00),
    "险种": st.sampled_from(["职工医保", "城乡居民医保"]),
    "人员类别": st.sampled_from(["在职", "退休"]),
    "就医类型": st.sampled_from(["普通门诊", "住院"]),
    "医院等级": st.sampled_from(["一级", "二级", "三级"]),
    "参保身份": st.sampled_from(["单位职工", "灵活就业", None]),
    "断缴月数": st.sampled_from([Fraction(0), Fraction(3), Fraction(4), Fraction(12), None]),
    "缴费日期": st.one_of(DAY, st.none()),
    "欠缴起始": st.one_of(DAY, st.none()),
    "第三方责任": st.sampled_from(["是", "否", None]),
    "违法行为": st.sampled_from(["是", "否", None]),
    "定点": st.sampled_from(["是", "否", None]),
    "性别": st.sampled_from(["男", "女", None]),
    "视同缴费年限": st.sampled_from([Fraction(0), Fraction(120), Fraction(180), None]),
    "实际缴费年限": st.sampled_from([Fraction(96), Fraction(120), Fraction(240), None]),
})


@settings(max_examples=80, deadline=None)
@given(records=st.lists(claim, min_size=1, max_size=40))
def test_requirements_as_masks_equal_the_scalar_check(records: list[dict]) -> None:
    policy = policy_of("eligibility")
    cols = Columns.from_records([{k: v for k, v in r.items() if v is not None} for r in records])
    assert_same(policy, cols, settle_columns(policy, cols))


def test_several_failing_requirements_are_joined_in_written_order() -> None:
    policy = policy_of("eligibility")
    day = dt.date(2024, 6, 1)
    base = {"参保人ID": "A", "费用": 1000_00, "险种": "职工医保", "人员类别": "在职", "就医类型": "住院",
            "医院等级": "二级"}
    records = [{**base, "日期": day, "第三方责任": "是", "违法行为": "是", "定点": "否"},
               {**base, "日期": day, "违法行为": "是", "欠缴起始": dt.date(2024, 1, 5)},
               {**base, "日期": day, "第三方责任": "否", "违法行为": "否", "定点": "是"}]
    cols = Columns.from_records(records)
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    assert list(settled.reasons[:2]) == [
        "有第三方责任的意外伤害不予报销；因违法行为受伤不予报销；非定点医疗机构不予报销",
        "欠缴：自欠缴次月起停止享受待遇；因违法行为受伤不予报销"]
    assert settled.reasons[2] == ""
