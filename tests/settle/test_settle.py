"""settle(): deductibles, caps, adjustments, rounding, claim order, periods, per-visit and per-day caps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import SUIZHOU, compile_text

from policylang.api import compile_path
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts
from policylang.ir.units import to_fen

HEAD = '地区 测试市\n依据 《测试细则》\n导入 "enums"\n'


def person(category: str = "在职") -> Person:
    return Person("p", facts({"险种": "职工医保", "人员类别": category}))


def visit(day: str, yuan: int | str, level: str = "一级", kind: str = "普通门诊") -> Claim:
    fen = to_fen(Decimal(str(yuan)))
    return Claim(dt.date.fromisoformat(day), fen, facts({"医院等级": level, "就医类型": kind}))


def scheme(body: str, head: str = "") -> str:
    return f"{HEAD}{head}\n方案 门诊 (险种 = 职工医保) {{\n{body}\n}}\n"


def funds(policy, claims, who: Person | None = None) -> list[int]:
    return [r.fund for r in settle(policy, who or person(), claims)]


@pytest.fixture(scope="module")
def suizhou():
    return compile_path(SUIZHOU)


def test_deductible_is_consumed_across_claims(suizhou) -> None:
    results = settle(suizhou, person(), [visit("2024-02-01", 300), visit("2024-05-01", 400),
                                         visit("2024-09-01", 1000)])
    assert [r.deductible for r in results] == [30000, 20000, 0]
    assert [r.fund for r in results] == [0, 16000, 80000]


def test_year_cap_limits_later_claims(suizhou) -> None:
    assert funds(suizhou, [visit("2024-03-01", 3000), visit("2024-06-01", 2000, "二级")]) == [130000, 0]


def test_retired_adjustment_and_higher_cap(suizhou) -> None:
    assert funds(suizhou, [visit("2024-04-10", 5000, "三级")], person("退休")) == [160000]
    assert funds(suizhou, [visit("2024-03-01", 1400, "二级")], person("退休")) == [75000]


def test_claims_settle_in_date_order_and_report_in_input_order(suizhou) -> None:
    later, earlier = visit("2024-09-01", 1000), visit("2024-02-01", 300)
    results = settle(suizhou, person(), [later, earlier])
    assert [r.claim.date for r in results] == [later.date, earlier.date]
    assert [r.deductible for r in results] == [20000, 30000]
    assert [r.fund for r in results] == [64000, 0]


def test_same_day_claims_keep_input_order(suizhou) -> None:
    results = settle(suizhou, person(), [visit("2024-03-01", 300), visit("2024-03-01", 600)])
    assert [r.deductible for r in results] == [30000, 20000]


def test_new_year_resets_deductible_and_cap(suizhou) -> None:
    results = settle(suizhou, person(), [visit("2024-12-30", 3000), visit("2025-01-02", 1000)])
    assert [(r.fund, r.deductible) for r in results] == [(130000, 50000), (40000, 50000)]


def test_fund_plus_personal_is_cost(suizhou) -> None:
    for r in settle(suizhou, person(), [visit("2024-03-01", "1234.57"), visit("2024-03-02", "0.01")]):
        assert r.fund + r.personal == r.cost


def test_unmatched_claim_pays_nothing_and_says_why(suizhou) -> None:
    r = settle(suizhou, person(), [visit("2024-03-01", 2000, kind="住院")])[0]
    assert (r.scheme, r.fund, r.personal) == (None, 0, 200000)
    assert "没有适用的方案" in r.trace[0].text


def test_trace_points_at_the_script(suizhou) -> None:
    r = settle(suizhou, person(), [visit("2024-03-01", 2000, "二级")])[0]
    origins = [t.origin for t in r.trace if t.origin]
    assert origins and all(o.file.endswith("policy.policy") for o in origins)
    assert any("1,050.00" in t.text for t in r.trace)


@pytest.mark.parametrize(("mode", "expected"), [("四舍五入", 5), ("截尾", 4), ("进位", 5), (None, 5)])
def test_rounding_statement(mode: str | None, expected: int) -> None:
    head = f"舍入 {mode}\n" if mode else ""
    policy = compile_text(scheme("起付线 500 元\n比例 70%", head))
    # (500.07 − 500) × 70% = 4.9 分
    assert funds(policy, [visit("2024-03-01", "500.07")]) == [expected]


@pytest.mark.parametrize(("mode", "expected"), [("四舍五入", 0), ("截尾", 0), ("进位", 1)])
def test_rounding_small_fraction(mode: str, expected: int) -> None:
    policy = compile_text(scheme("比例 30%", f"舍入 {mode}\n"))
    assert funds(policy, [visit("2024-03-01", "0.01")]) == [expected]


def test_insurance_year_with_start_month() -> None:
    policy = compile_text(scheme("周期 社保年度 自 7 月 起\n起付线 100 元\n比例 50%\n封顶线 1000 元"))
    claims = [visit("2024-06-30", 200), visit("2024-07-01", 200), visit("2025-06-30", 200),
              visit("2025-07-01", 200)]
    results = settle(policy, person(), claims)
    assert [r.deductible for r in results] == [10000, 10000, 0, 10000]
    assert [r.fund for r in results] == [5000, 5000, 10000, 5000]


def test_insurance_year_cap_spans_the_new_calendar_year() -> None:
    policy = compile_text(scheme("周期 社保年度 自 7 月 起\n比例 50%\n封顶线 1000 元"))
    assert funds(policy, [visit("2024-12-01", 1600), visit("2025-01-05", 1600)]) == [80000, 20000]


def test_per_visit_cap() -> None:
    policy = compile_text(scheme("比例 50%\n封顶线 每次 100 元"))
    assert funds(policy, [visit("2024-03-01", 500), visit("2024-03-01", 100), visit("2024-03-02", 300)]) == [
        10000, 5000, 10000]


def test_per_day_cap_is_shared_by_claims_of_a_day() -> None:
    policy = compile_text(scheme("比例 50%\n封顶线 每日 50 元"))
    assert funds(policy, [visit("2024-03-01", 60), visit("2024-03-01", 60), visit("2024-03-02", 60)]) == [
        3000, 2000, 3000]


def test_per_day_and_year_caps_together() -> None:
    policy = compile_text(scheme("比例 60%\n封顶线 每日 50 元\n封顶线 年度 200 元"))
    claims = [visit(f"2024-03-0{d}", 100) for d in range(1, 7)]
    assert funds(policy, claims) == [5000, 5000, 5000, 5000, 0, 0]


def test_per_visit_deductible() -> None:
    policy = compile_text(scheme("起付线 每次 100 元\n比例 50%"))
    results = settle(policy, person(), [visit("2024-03-01", 300), visit("2024-03-02", 300)])
    assert [(r.deductible, r.fund) for r in results] == [(10000, 10000), (10000, 10000)]


def test_ratio_adjustment_down_and_clamp() -> None:
    policy = compile_text(scheme("比例 一级 90%, 二级 80%, 三级 70%\n退休 比例 提高 20%\n在职 比例 降低 10%"))
    assert funds(policy, [visit("2024-03-01", 100)], person("退休")) == [10000]
    assert funds(policy, [visit("2024-03-01", 100, "三级")], person("在职")) == [6000]


def test_versioned_values_follow_the_claim_date() -> None:
    body = "比例 50%\n封顶线 100 元 至 2024-06-30\n封顶线 200 元 自 2024-07-01 起"
    policy = compile_text(scheme(body))
    assert funds(policy, [visit("2024-03-01", 1000)]) == [10000]
    assert funds(policy, [visit("2024-08-01", 1000)]) == [20000]


def test_settle_with_no_claims(suizhou) -> None:
    assert settle(suizhou, person(), []) == ()
