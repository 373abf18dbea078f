"""The browser evaluator settles deductible bounds, 逐次 and 费用限额 按起付线以上部分 as settle does: to the 分,
line for line, with the same refusals — on sequences long enough to reach the floors and the shortened chain."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import compile_text

from policylang.docs import calculator
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts

pytestmark = pytest.mark.skipif(calculator.node() is None and not calculator.node_required(),
                                reason="node is not installed")

SCRIPT = '''地区 测试市
依据 《测试细则》
舍入 {rounding}
导入 "fields"
参考值 低保年标准 2023 年 8400 元, 2024 年 9600 元
参考值 下限 2024 年 300 元

方案 职工住院 (险种 = 职工医保, 就医类型 = 住院) {{
    周期 自然年度
    起付线 每次住院 一级 150 元, 二级 555 元, 三级 1000 元
    起付线 第 2 次 80%, 第 3 次起 60%, 最低 二级 350 元, 三级 700 元, 一级 200 元, 最高 三级 750 元
    起付线 每次递减 50 元 最低 100 元
    比例 90%
}}

方案 居民住院 (险种 = 城乡居民医保, 就医类型 = 住院) {{
    周期 自然年度
    起付线 每次住院 一级 150 元, 二级 555 元, 三级 1000.01 元
    起付线 逐次 85%, 最低 一级 上年度 下限, 三级 400 元 自 2024-03-01 起
    比例 77%
}}

方案 慢病救助 (险种 = 城乡居民医保, 就医类型 = 门诊慢特病) {{
    周期 自然年度
    起付线 年度 上年度 低保年标准, 最高 8000 元 至 2024-12-31
    起付线 年度 上年度 低保年标准, 最低 9700 元 自 2025-01-01 起
    比例 60%
}}

方案 慢特病 (险种 = 职工医保, 就医类型 = 门诊慢特病) {{
    周期 自然年度
    起付线 年度 1000 元
    比例 33%
    费用限额 年度 按起付线以上部分 1 万元
    层 大病保险 {{ 比例 61% }}
}}
'''
WORKER = Person("w", facts({"险种": "职工医保", "人员类别": "在职"}))
RESIDENT = Person("r", facts({"险种": "城乡居民医保", "人员类别": "居民"}))


def _claims(kind: str, plan: list[tuple[str, str, int]]) -> list[Claim]:
    return [Claim(dt.date.fromisoformat(day), fen, facts({"就医类型": kind, "医院等级": level}), i)
            for i, (day, level, fen) in enumerate(plan)]


def _admissions(year: int, levels: str, fen: int) -> list[tuple[str, str, int]]:
    names = {"1": "一级", "2": "二级", "3": "三级"}
    return [(f"{year}-{1 + i:02d}-03", names[c], fen + 37 * i) for i, c in enumerate(levels)]


PEOPLE = [
    (WORKER, _claims("住院", _admissions(2024, "3333", 500_000) + _admissions(2025, "2222", 80_001)
                     + [("2025-06-01", "一级", 100_000), ("2025-07-01", "一级", 100_000)])),
    (RESIDENT, _claims("住院", _admissions(2024, "333333333", 300_000) + _admissions(2025, "1111111", 100_003)
                       + _admissions(2026, "1212", 99_999))),  # 2026: 上年度 下限 is missing → refused
    (RESIDENT, _claims("门诊慢特病", [("2024-03-01", "二级", 1_000_000), ("2025-03-01", "二级", 1_000_000),
                                    ("2025-04-01", "二级", 7)])),
    (WORKER, _claims("门诊慢特病", [("2024-03-01", "二级", 100_003), ("2024-05-01", "二级", 600_017),
                                  ("2024-06-01", "二级", 999_999), ("2024-07-01", "二级", 3)])),
]


@pytest.mark.parametrize("rounding", ["四舍五入", "截尾", "进位"])
def test_js_equals_python_on_bounds_compounding_and_fee_limit_bases(rounding, tmp_path):
    policy = compile_text(SCRIPT.format(rounding=rounding))
    assert policy is not None
    people = [calculator.person_input(who, claims) for who, claims in PEOPLE]
    expected = [[calculator.result_output(r) for r in settle(policy, who, claims)] for who, claims in PEOPLE]
    got = calculator.run_node(policy, people, tmp_path)
    for want, have in zip(expected, got, strict=True):
        assert have == want
    lines = [line for person in expected for r in person for line in r["trace"]]
    for reached in ("减免后不低于最低", "减免后不高于最高", "→ … →", "低于最低 9,700.00 元", "高于最高 8,000.00 元",
                    "（只计起付线以上部分）", "无法结算", "累计舍入"):
        assert any(reached in line for line in lines), reached
