"""Typed conditions (年龄 >= 60 岁, 参加工作日期 早于 1995-01-01) in schemes, layers and table keys: lowering
checks, the most specific row, a missing field, the trace, the batch backend and the JSON export."""

from __future__ import annotations

import datetime as dt
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from batch.batchcheck import assert_same, policy_of

from policylang import ir
from policylang.api import check_path
from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts

HEAD = '地区 测试市\n依据 《测试细则》\n导入 "fields"\n'


def _checked(text: str):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.policy"
        path.write_text(HEAD + text, encoding="utf-8")
        return check_path(path)


def _codes(text: str) -> list[str]:
    return sorted(d.code for d in _checked(text).diagnostics if d.is_error)


def _policy(text: str) -> ir.Policy:
    checked = _checked(text)
    assert checked.policy is not None, [d.headline() for d in checked.diagnostics]
    return checked.policy


def _claim(**fields: object) -> Claim:
    return Claim(dt.date(2024, 3, 1), 100_000, facts(fields))


@pytest.mark.parametrize(("written", "op", "strict"), [
    ("年龄 >= 60 岁", ">=", None), ("年龄 ≥ 60 岁", ">=", None), ("年龄 > 60 岁", ">", None),
    ("年龄 60 岁以上", ">=", None), ("年龄 60 岁(不含)以上", ">", None), ("年龄 60 岁以下", "<=", None),
    ("年龄 60 岁(含)以下", "<=", None), ("年龄 != 60 岁", "!=", None),
    ("缴费日期 早于 2020-01-01", "<", None), ("缴费日期 晚于 2020-01-01", ">", None),
    ("缴费日期 不早于 2020-01-01", ">=", None), ("缴费日期 不晚于 2020-01-01", "<=", None),
])
def test_every_way_of_writing_an_operator(written: str, op: str, strict: None) -> None:
    policy = _policy(f"方案 甲 ({written}) {{ 比例 50% }}")
    (test,) = policy.schemes[0].when
    assert isinstance(test, ir.FieldTest) and test.op == op


@pytest.mark.parametrize(("age", "held"), [(59, False), (60, True), (61, True)])
def test_above_includes_the_number_as_in_law(age: int, held: bool) -> None:
    test = _policy("方案 甲 (年龄 60 岁以上) { 比例 50% }").schemes[0].when[0]
    assert test.holds({"年龄": Fraction(age)}) is held


@pytest.mark.parametrize(("text", "code"), [
    ("方案 甲 (年龄 >= 60 元) { 比例 50% }", "E025"),
    ("方案 甲 (缴费日期 < 60 岁) { 比例 50% }", "E025"),
    ("方案 甲 (险种 >= 3 岁) { 比例 50% }", "E025"),
    ("方案 甲 (年龄 >= 60) { 比例 50% }", "E004"),
    ("方案 甲 (不存在的字段 >= 60 岁) { 比例 50% }", "E015"),
    ("方案 甲 { 比例 年龄 >= 60 岁 80%, 年龄 > 59 岁 90% }", "E090"),
    ("方案 甲 { 比例 年龄 >= 60 岁 80%, 年龄 != 70 岁 90% }", "E090"),
    ("方案 甲 { 比例 年龄 >= 60 岁 80%, 年龄 >= 60 岁 90% }", "E013"),
    ("方案 甲 { 分段 年龄 >= 60 岁 { 1000 元以内 50%, 超过 1000 元 60% } 分段 年龄 >= 50 岁 "
     "{ 1000 元以内 50%, 超过 1000 元 60% } }", "E090"),
    ('判断 可报 "x" { 允许 年龄 >= 60 岁 }\n方案 甲 { 比例 50% }', "E091"),
])
def test_wrong_conditions_are_located_errors(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize("rows", [
    "年龄 < 60 岁 80%, 年龄 >= 60 岁 90%",
    "年龄 <= 60 岁 80%, 年龄 > 60 岁 90%",
    "年龄 >= 60 岁 年龄 < 70 岁 80%, 年龄 >= 70 岁 90%, 70%",
    "年龄 >= 60 岁 80%, 在职 年龄 >= 60 岁 90%",  # more specific: an enumeration key as well
    "年龄 >= 60 岁 80%, 缴费日期 < 2020-01-01 90%",  # different fields: the first written applies
])
def test_rows_that_never_tie_are_accepted(rows: str) -> None:
    assert _codes(f"方案 甲 {{ 比例 {rows} }}") == []


def test_the_most_specific_row_applies_and_a_range_counts_once() -> None:
    policy = _policy("方案 甲 { 比例 年龄 >= 60 岁 年龄 < 70 岁 80%, 在职 年龄 >= 60 岁 90%, 70% }")
    table = policy.schemes[0].layers[0].ratio.param.versions[0].table
    assert [c.specificity for c in table.cells] == [1, 2, 0]
    assert table.lookup({"年龄": Fraction(65), "人员类别": "在职"}).value == ir.RatioValue(Fraction(9, 10))
    assert table.lookup({"年龄": Fraction(65), "人员类别": "退休"}).value == ir.RatioValue(Fraction(4, 5))
    assert table.lookup({"年龄": Fraction(75), "人员类别": "退休"}).value == ir.RatioValue(Fraction(7, 10))


def test_a_missing_field_refuses_the_claim_unless_it_is_optional() -> None:
    policy = _policy("字段 工作日期 日期\n方案 甲 { 比例 工作日期 < 1995-01-01 90%, 年龄 >= 60 岁 80%, 50% }")
    who = Person("p", facts({}))
    (refused,) = settle(policy, who, [_claim(年龄=Fraction(70))])
    assert refused.refused and "缺少“工作日期”" in refused.refused[0] and refused.total_fund == 0
    (paid,) = settle(policy, who, [_claim(工作日期=dt.date(2000, 1, 1))])  # 年龄 is 可选: its row does not apply
    assert not paid.refused and paid.fund == 50_000


def test_the_trace_says_which_condition_held_and_the_persons_value() -> None:
    policy = _policy("方案 甲 (年龄 >= 60 岁) { 比例 年龄 >= 70 岁 90%, 50% }")
    (r,) = settle(policy, Person("p", facts({})), [_claim(年龄=Fraction(72))])
    text = "\n".join(line.render() for line in r.trace)
    assert "条件成立：年龄 60 岁及以上（年龄 72 岁）" in text
    assert "适用比例 90%（年龄 70 岁及以上）" in text


@pytest.mark.parametrize(("written", "words"), [
    ("年龄 >= 60 岁", "年龄 60 岁及以上"), ("年龄 < 60 岁", "年龄不满 60 岁"), ("年龄 > 60 岁", "年龄超过 60 岁"),
    ("月工资 <= 3000 元", "月工资 3,000 元及以下"), ("缴费日期 < 1995-01-01", "缴费日期在1995年1月1日之前"),
    ("缴费日期 >= 1995-01-01", "缴费日期在1995年1月1日及以后"), ("断缴月数 > 3 个月", "断缴月数超过 3 个月"),
])
def test_conditions_read_in_plain_chinese(written: str, words: str) -> None:
    assert _policy(f"方案 甲 ({written}) {{ 比例 50% }}").schemes[0].when[0].describe() == words


def test_the_vocabulary_example_settles_alike_in_batch_and_scalar() -> None:
    policy = policy_of("conditions")
    rows = [{"参保人ID": f"p{age}", "日期": dt.date(2024, 3, 1), "费用": 200_000, "险种": "职工医保", "人员类别": "在职",
             "就医类型": "普通门诊", "年龄": Fraction(age), "参加工作日期": dt.date(1990 + age % 10, 1, 1)}
            for age in (17, 18, 59, 60, 69, 70, 85)]
    cols = Columns.from_records(rows)
    assert_same(policy, cols, settle_columns(policy, cols))


def test_typed_conditions_survive_the_json_export() -> None:
    policy = policy_of("conditions")
    assert ir.from_json(ir.to_json(policy)) == policy


def test_an_imported_enumeration_gains_local_values_after_its_own() -> None:
    policy = _policy("枚举 救助身份 增加 { 低收入人口, 因病致贫 }\n方案 甲 (救助身份 = 因病致贫) { 比例 50% }")
    enum = policy.enum("救助身份")
    assert enum.values[-2:] == ("低收入人口", "因病致贫") and enum.values[0] == "无" and enum.default == "无"
    assert _codes("枚举 不存在 增加 { 甲 }\n方案 甲 { 比例 50% }") == ["E088"]
    assert _codes("枚举 救助身份 增加 { 特困人员 }\n方案 甲 { 比例 50% }") == ["E089"]


def test_a_missing_field_is_refused_alike_in_batch_and_scalar() -> None:
    policy = policy_of("conditions")
    rows = [{"参保人ID": "a", "日期": dt.date(2024, 3, 1), "费用": 200_000, "险种": "职工医保", "人员类别": "在职",
             "就医类型": "普通门诊", "年龄": Fraction(45)},  # no 参加工作日期: refused
            {"参保人ID": "b", "日期": dt.date(2024, 3, 1), "费用": 200_000, "险种": "城乡居民医保", "人员类别": "居民",
             "就医类型": "普通门诊"}]  # no 年龄 (可选): 年龄 60 岁以上 does not hold, the general scheme applies
    cols = Columns.from_records(rows)
    assert_same(policy, cols, settle_columns(policy, cols))


def test_check_time_tables_with_typed_rows_on_a_mandatory_field_do_not_fail() -> None:
    """W101/W102 look tables up by enumeration values alone: a row keyed by a typed condition on a field the
    check cannot know counts as present (it would refuse a claim at settlement, never a check)."""
    text = ("字段 工作日期 日期\n方案 甲 (险种 = 职工医保) {\n    起付线 每次 在职 工作日期 < 1995-01-01 100 元, 退休 200 元\n"
            "    比例 在职 工作日期 < 1995-01-01 90%, 退休 50%\n    封顶线 每次 在职 50 元, 退休 100 元\n}")
    checked = _checked(text)
    assert checked.policy is not None
    assert sorted(d.code for d in checked.diagnostics) == ["W101", "W101"]


def test_a_scheme_condition_on_a_missing_field_refuses_alike_in_batch_and_scalar() -> None:
    policy = _policy("字段 工作日期 日期\n方案 老 (工作日期 < 1995-01-01) { 比例 90% }\n方案 新 { 比例 50% }")
    (r,) = settle(policy, Person("p", facts({})), [_claim()])
    assert r.scheme is None and "缺少“工作日期”" in r.refused[0]
    rows = [{"参保人ID": "a", "日期": dt.date(2024, 3, 1), "费用": 100_000},
            {"参保人ID": "b", "日期": dt.date(2024, 3, 1), "费用": 100_000, "工作日期": dt.date(1990, 1, 1)},
            {"参保人ID": "c", "日期": dt.date(2024, 3, 1), "费用": 100_000, "工作日期": dt.date(2000, 1, 1)}]
    cols = Columns.from_records(rows)
    assert_same(policy, cols, settle_columns(policy, cols))
