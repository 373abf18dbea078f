"""Every figure the settlement computes can be expected by name in a test (both backends) and is in --json;
an unknown name's hint lists the closest valid names."""

from __future__ import annotations

import datetime as dt

import pytest
from batch.batchcheck import ROOT, policy_of
from conftest import compile_text

from policylang.api import check_path
from policylang.batch.persons import settle as batch_settle
from policylang.eval.harness import run_case
from policylang.eval.settle import settle
from policylang.ir import terms
from policylang.ir.claims import Claim, Person, facts

RULES = """地区 测试市
依据 《测试细则》
导入 "fields"

方案 住院 (险种 = 职工医保, 就医类型 = 住院) {
    周期 自然年度
    起付线 年度 1000 元
    比例 80%
    封顶线 年度 5000 元
    层 大病保险 {
        起付线 年度 2000 元
        分段 { 1万元(含)以内 50%, 超过 1万元 60% }
    }
}

测试 "每一个数都能按名称期望" {
    参保人 职工医保 在职
    就诊 2024-03-01 住院 二级 20000 元  期望 基本医保进入 20000 元, 基本医保起付线 1000 元, 基本医保起付线以上 19000 元, 基本医保封顶前 15200 元, 基本医保 5000 元, 大病保险进入 15000 元, 大病保险起付线 2000 元, 大病保险起付线以上 13000 元, 大病保险第一段 5000 元, 大病保险第二段 1800 元, 大病保险封顶前 6800 元, 大病保险 6800 元, 统筹支付 5000 元, 基金支付 11800 元
}
"""


def _compiled(tmp_path, text: str):
    path = tmp_path / "t.policy"
    path.write_text(text, encoding="utf-8")
    return check_path(path)


@pytest.mark.parametrize("backend", [settle, batch_settle], ids=["scalar", "batch"])
def test_every_figure_can_be_expected_by_name(tmp_path, backend):
    checked = _compiled(tmp_path, RULES)
    assert checked.policy is not None, checked.diagnostics
    (case,) = checked.compiled.tests
    outcome = run_case(checked.policy, case, settle_claims=backend)
    assert outcome.passed, outcome.failures


def test_every_figure_is_among_the_outputs_and_the_names_are_valid(tmp_path):
    policy = compile_text(RULES)
    checked = _compiled(tmp_path, RULES)
    (case,) = checked.compiled.tests
    (result,) = settle(policy, case.person, [tc.claim for tc in case.claims])
    outputs = result.outputs()
    assert outputs["大病保险第二段"] == 180_000 and outputs["基本医保封顶前"] == 1_520_000
    assert set(outputs) <= set(terms.output_names(policy))


def test_an_unknown_name_lists_the_closest_valid_names(tmp_path):
    checked = _compiled(tmp_path, RULES.replace("基本医保封顶前 15200 元", "基本医保封顶 15200 元"))
    (d,) = [d for d in checked.diagnostics if d.code == "E017"]
    assert d.help is not None and d.help.startswith("最接近的期望项：") and "基本医保封顶前" in d.help


def _first_case_results(name: str):
    checked = check_path(ROOT / "tests" / "vocabulary" / name)
    case = checked.compiled.tests[0]
    return settle(policy_of(name), case.person, [tc.claim for tc in case.claims])


def test_the_admission_count_the_balance_and_the_daily_allowance_are_figures():
    counted = _first_case_results("counters")
    assert [r.output("住院次数") for r in counted][:3] == [1, 2, 3]
    assert terms.output_value("住院次数", 2).__str__() == "2 次"
    accounts = _first_case_results("accounts")
    balances = [r.output("个人账户余额") for r in accounts]
    assert balances == [0, 0, 50_000]  # 600 元 used up in 2024; 2025's allocation less the 500 元 paid


def test_the_daily_allowance_and_each_allowance_layer_are_figures():
    who = Person("p", facts({"险种": "职工医保", "人员类别": "在职", "连续缴费月数": 12, "日工资": 20_000}))
    (r,) = settle(policy_of("maternity"), who, [Claim(dt.date(2024, 3, 1), 0, facts({"就医类型": "生育津贴"}))])
    assert r.output("日津贴") == 20_000 and r.output("生育津贴") == r.output("津贴") == 98 * 20_000
