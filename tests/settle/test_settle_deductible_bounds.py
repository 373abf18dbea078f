"""Bounds on every deductible form, 逐次 (compounding from one admission to the next) and what a 费用限额 counts
from: the order of the steps, their trace lines, and refusals when a bound cannot be had."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import compile_text

from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts

HEAD = '地区 测试市\n依据 《测试细则》\n舍入 四舍五入\n导入 "fields"\n'
WORKER = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))


def policy(body: str, head: str = ""):
    compiled = compile_text(f"{HEAD}{head}\n方案 住院 (险种 = 职工医保, 就医类型 = 住院) {{\n    周期 自然年度\n{body}\n}}\n")
    assert compiled is not None
    return compiled


def admissions(level: str, fen: int, n: int, year: int = 2024) -> list[Claim]:
    return [Claim(dt.date(year, 1 + i, 1), fen, facts({"就医类型": "住院", "医院等级": level}), i) for i in range(n)]


def deductibles(p, claims) -> list[int]:
    return [r.deductible for r in settle(p, WORKER, claims)]


TABLE = "    起付线 每次住院 一级 150 元, 二级 500 元, 三级 1000 元\n"


def test_count_factors_are_taken_from_the_base_and_bounded_below():
    p = policy(TABLE + "    起付线 第 2 次 80%, 第 3 次起 60%, 最低 二级 350 元, 三级 700 元\n    比例 90%")
    assert deductibles(p, admissions("三级", 500_000, 4)) == [100_000, 80_000, 70_000, 70_000]
    assert deductibles(p, admissions("二级", 500_000, 3)) == [50_000, 40_000, 35_000]
    assert deductibles(p, admissions("一级", 500_000, 3)) == [15_000, 12_000, 9_000]  # 一级 has no floor


def test_a_floor_never_raises_a_deductible_above_its_unreduced_amount():
    p = policy(TABLE + "    起付线 第 2 次起 50%, 最低 200 元\n    比例 90%")
    results = settle(p, WORKER, admissions("一级", 100_000, 2))
    assert [r.deductible for r in results] == [15_000, 15_000]
    assert "减免后不低于最低 200.00 元（不超过减免前的 150.00 元）：起付线计 150.00 元" in \
        [line.text for line in results[1].trace]


def test_a_ceiling_on_the_reduction_applies_to_reduced_admissions_only():
    p = policy(TABLE + "    起付线 第 2 次起 90%, 最高 600 元\n    比例 90%")
    assert deductibles(p, admissions("三级", 500_000, 3)) == [100_000, 60_000, 60_000]


def test_compound_rounds_at_each_step_and_stops_at_the_floor():
    p = policy(TABLE + "    起付线 逐次 75%, 最低 一级 50 元\n    比例 80%")
    # 150 → 112.50 → 84.375 → 84.38 → 63.285 → 63.29 (63.28 if rounded once) → 47.47 → floor 50
    assert deductibles(p, admissions("一级", 100_000, 6)) == [15_000, 11_250, 8_438, 6_329, 5_000, 5_000]


def test_compound_starts_from_this_admissions_level():
    p = policy(TABLE + "    起付线 逐次 75%\n    比例 80%")
    third = Claim(dt.date(2024, 4, 1), 200_000, facts({"就医类型": "住院", "医院等级": "三级"}), 2)
    claims = [*admissions("一级", 100_000, 2), third]
    assert deductibles(p, claims) == [15_000, 11_250, 56_250]


def test_compound_counts_one_admission_per_admission_number_and_restarts_each_year():
    p = policy(TABLE + "    起付线 逐次 50%\n    比例 80%")
    same = [Claim(dt.date(2024, 2, 1 + i), 100_000, facts({"就医类型": "住院", "医院等级": "三级", "住院号": "A"}), i)
            for i in range(2)]
    later = admissions("三级", 200_000, 1, year=2024)[0]
    claims = [*same, Claim(dt.date(2024, 6, 1), 200_000, later.facts, 2),
              Claim(dt.date(2025, 1, 5), 200_000, later.facts, 3)]
    assert deductibles(p, claims) == [100_000, 0, 50_000, 100_000]


def test_a_long_compound_chain_is_shown_by_its_ends():
    p = policy(TABLE + "    起付线 逐次 90%\n    比例 80%")
    results = settle(p, WORKER, admissions("三级", 200_000, 8))
    line = next(t.text for t in results[-1].trace if t.text.startswith("本年第 8 次住院"))
    assert line == ("本年第 8 次住院：起付线逐次按上一次的 90% 计（每次四舍五入到分）：1,000.00 元 → 900.00 元 → … → "
                    "531.44 元 → 478.30 元")
    assert results[-1].deductible == 47_830  # 531.441 → 531.44; × 90% = 478.296 → 478.30


def test_table_bounds_follow_the_tables_dates():
    head = "参考值 低保年标准 2023 年 8400 元, 2024 年 9600 元, 2025 年 9800 元\n"
    p = policy("    起付线 年度 上年度 低保年标准, 最高 8000 元 至 2024-12-31\n"
               "    起付线 年度 上年度 低保年标准, 最低 9700 元 自 2025-01-01 起\n    比例 60%", head)
    claims = [Claim(dt.date(y, 3, 1), 1_000_000, facts({"就医类型": "住院"}), i) for i, y in enumerate((2024, 2025, 2026))]
    assert deductibles(p, claims) == [800_000, 970_000, 980_000]  # 8400 → 最高 8000; 9600 → 最低 9700; 9800


def test_a_bound_that_cannot_be_had_refuses_the_claim():
    head = "参考值 下限 2024 年 300 元\n"
    p = policy(TABLE + "    起付线 逐次 50%, 最低 上年度 下限\n    比例 80%", head)
    results = settle(p, WORKER, admissions("三级", 200_000, 2, year=2026))  # 上年度 2025: none
    assert results[0].deductible == 100_000  # the first admission is not reduced: no bound is needed
    assert results[1].fund == 0 and results[1].refused
    assert any("下限" in t.text for t in results[1].trace)


def test_fee_limit_counts_from_zero_by_default_and_above_the_deductible_when_written():
    layer = "    起付线 年度 1000 元\n    比例 50%\n    费用限额 年度 {base}1 万元\n    层 大病保险 {{ 比例 60% }}"
    claim = [Claim(dt.date(2024, 3, 1), 1_500_000, facts({"就医类型": "住院"}), 0)]
    default, counted_from_zero, above = (settle(policy(layer.format(base=b)), WORKER, claim)[0]
                                         for b in ("", "按累计费用 ", "按起付线以上部分 "))
    assert (default.fund, default.layers[1].paid) == (counted_from_zero.fund, counted_from_zero.layers[1].paid) \
        == (450_000, 630_000)
    assert (above.deductible, above.fund, above.layers[1].paid) == (100_000, 500_000, 600_000)
    assert "年度费用限额 10,000.00 元（只计起付线以上部分）：本年已计入 0.00 元，本次计入 10,000.00 元，其余 4,000.00 元不进入" \
           "本层，转入下一层" in [t.text for t in above.trace]


@pytest.mark.parametrize("amounts", [(600_000, 900_000), (1_500_000, 1), (50_000, 80_000, 1_370_000)])
def test_fee_limit_above_the_deductible_pays_the_same_however_the_year_is_split(amounts):
    p = policy("    起付线 年度 1000 元\n    比例 50%\n    费用限额 年度 按起付线以上部分 1 万元")
    claims = [Claim(dt.date(2024, 1 + i, 1), a, facts({"就医类型": "住院"}), i) for i, a in enumerate(amounts)]
    total = sum(amounts)
    assert sum(r.fund for r in settle(p, WORKER, claims)) == min(total - min(total, 100_000), 1_000_000) // 2


def test_compound_applies_while_its_line_is_in_force():
    p = policy(TABLE + "    起付线 逐次 50% 自 2024-03-01 起\n    比例 80%")
    # the admissions are counted from January; the reduction applies to those from March
    assert deductibles(p, admissions("三级", 200_000, 4)) == [100_000, 100_000, 25_000, 12_500]
