"""Steps after the ratio inside a layer: 支付后扣除 / 封顶后扣除, 封顶线 每 X, 定额 每 X; and an allowance layer's own
name as an output. Each is settled exactly, explained, refused (never paid as 0) without its count field, and
exported and compared like every other rule."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from policylang import ir
from policylang.api import check_path
from policylang.docs import calculator
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts
from policylang.tools.diff import diff_policies
from policylang.tools.history import history
from policylang.tools.verify import verify

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2024, 3, 1)
RESIDENT = Person("p", facts({"险种": "城乡居民医保", "人员类别": "居民"}))

BASE = """\
地区 步骤
依据 《步骤》
导入 "fields"
字段 床日数 天数
字段 护理天数 天数 默认 0 天
字段 就诊人次 次数 默认 1 次

方案 住院 (险种 = 城乡居民医保, 就医类型 = 住院) {
    周期 自然年度
    比例 90%
    __RULES__
}
"""


def _policy(tmp_path: Path, rules: str) -> ir.Policy:
    path = tmp_path / "rules.policy"
    path.write_text(BASE.replace("__RULES__", rules), encoding="utf-8")
    checked = check_path(path)
    assert checked.policy is not None, [d.headline() for d in checked.diagnostics]
    return checked.policy


def _claim(amount_yuan: int, i: int = 0, **fields: object) -> Claim:
    return Claim(DAY + dt.timedelta(days=i), amount_yuan * 100, facts({"就医类型": "住院", "医院等级": "二级", **fields}), i)


def _text(result) -> str:
    return "\n".join(t.text for t in result.trace)


def test_deduction_before_the_caps_is_counted_by_the_year_cap(tmp_path):
    """支付后扣除: the cap sees the reduced payment, so the year cap leaves room for it."""
    policy = _policy(tmp_path, "支付后扣除 每次 10 元\n    封顶线 年度 1000 元")
    r1, r2 = settle(policy, RESIDENT, [_claim(1000), _claim(500, 1)])
    assert (r1.fund, r2.fund) == (89_000, 11_000)  # 900 − 10 = 890; then 450 − 10 = 440 → room 110
    assert "支付后扣除每次 10.00 元：本次支付由 900.00 元 减至 890.00 元" in _text(r1)
    assert r1.output("基本医保扣除") == 1_000 and r1.output("基本医保封顶前") == 89_000


def test_deduction_after_the_caps_takes_from_the_capped_payment(tmp_path):
    policy = _policy(tmp_path, "封顶线 每次 500 元\n    封顶后扣除 每次 10 元")
    (r,) = settle(policy, RESIDENT, [_claim(1000)])
    assert r.fund == 49_000 and r.output("基本医保封顶前") == 90_000
    assert "封顶后扣除每次 10.00 元：本次支付由 500.00 元 减至 490.00 元" in _text(r)


def test_a_deduction_never_makes_the_payment_negative(tmp_path):
    policy = _policy(tmp_path, "支付后扣除 每 就诊人次 1 元")
    (r,) = settle(policy, RESIDENT, [_claim(3, 就诊人次=Fraction(5))])
    assert (r.fund, r.personal, r.output("基本医保扣除")) == (0, 300, 270)
    assert "（支付额不足扣除，本层本次不支付）" in _text(r)


def test_a_cap_per_bed_day_bounds_the_claim_by_its_units(tmp_path):
    policy = _policy(tmp_path, "封顶线 每 床日数 二级 100 元, 三级 200 元")
    low, high = settle(policy, RESIDENT, [_claim(5000, 0, 床日数=Fraction(10)), _claim(5000, 1, 床日数=Fraction(60))])
    assert (low.fund, high.fund) == (100_000, 450_000)
    assert "达到封顶线 每床日数 100.00 元（二级） × 床日数 10 = 1,000.00 元" in _text(low)
    assert "未超过封顶线 每床日数 100.00 元（二级） × 床日数 60 = 6,000.00 元" in _text(high)


def test_a_flat_standard_per_day_never_pays_more_than_reaches_the_layer():
    p = check_path(ROOT / "tests" / "vocabulary" / "steps").policy
    home = Claim(DAY, 200_000, facts({"就医类型": "居家护理", "护理天数": Fraction(30)}))
    cheap = Claim(DAY, 1_000, facts({"就医类型": "机构护理", "护理天数": Fraction(30)}), 1)
    r1, r2 = settle(p, RESIDENT, [home, cheap])
    assert (r1.fund, r1.personal) == (150_000, 50_000)
    assert (r2.fund, r2.personal) == (1_000, 0)
    assert "实际费用低于定额标准，按实际费用支付 10.00 元" in _text(r2)


@pytest.mark.parametrize(("units", "why"), [(None, "缺少“床日数”"), (Fraction(5, 2), "“床日数”不是整数")])
def test_a_claim_without_whole_units_is_refused_whole_and_counts_nothing(tmp_path, units, why):
    policy = _policy(tmp_path, "起付线 年度 100 元\n    封顶线 每 床日数 100 元")
    first = _claim(1000) if units is None else _claim(1000, 0, 床日数=units)
    r1, r2 = settle(policy, RESIDENT, [first, _claim(1000, 1, 床日数=Fraction(20))])
    assert r1.refused == (f"基本医保无法结算：{why}",) and r1.fund == 0
    assert r2.deductible == 10_000  # the refused claim counted no deductible


def test_the_steps_round_trip_through_the_export_and_keep_the_invariants():
    policy = check_path(ROOT / "tests" / "vocabulary" / "steps").policy
    assert ir.from_json(ir.to_json(policy)) == policy
    layers = [la for s in policy.schemes for la in s.layers]
    assert any(la.deductions for la in layers) and any(la.unit_caps for la in layers)
    assert any(la.fixed is not None and la.fixed.per for la in layers)
    assert verify(policy, examples=10).violation is None


def test_diff_and_history_name_each_step(tmp_path):
    old = _policy(tmp_path, "支付后扣除 每次 5 元\n    封顶线 每 床日数 200 元")
    new = _policy(tmp_path, "支付后扣除 每次 3 元 自 2024-07-01 起\n    支付后扣除 每次 5 元 至 2024-06-30\n"
                            "    封顶线 每 床日数 250 元")
    items = {(c.item, c.old, c.new) for c in diff_policies(old, new)}
    assert ("封顶线（按床日数计） 默认", "200.00 元", "250.00 元") in items
    assert any(item.startswith("支付后扣除（每次）") and (o, n) == ("5.00 元", "3.00 元") for item, o, n in items)
    changes = {(c.parameter, c.date) for c in history(new)}
    assert ("支付后扣除（每次）", dt.date(2024, 7, 1)) in changes


def test_an_allowance_layer_is_an_output_under_its_name(tmp_path):
    """Its name is its allowance, 0 when it does not apply; 津贴 adds every allowance layer of the claim."""
    path = tmp_path / "rules.policy"
    path.write_text("""\
地区 津贴
依据 《津贴》
导入 "fields"
方案 生育 (险种 = 职工医保, 就医类型 = 生育) {
    层 生育医疗费 { 定额 3000 元 }
    层 生育津贴 {
        要求 连续缴费月数 >= 12 个月 否则 "缴费不满 1 年"
        津贴天数 98 天
        日津贴 100 元
    }
    层 护理津贴 {
        津贴天数 10 天
        日津贴 20 元
    }
}
""", encoding="utf-8")
    policy = check_path(path).policy
    worker = Person("w", facts({"险种": "职工医保", "连续缴费月数": Fraction(24)}))
    short = Person("s", facts({"险种": "职工医保", "连续缴费月数": Fraction(6)}))
    birth = Claim(DAY, 500_000, facts({"就医类型": "生育", "分娩方式": "顺产"}))
    (full,) = settle(policy, worker, [birth])
    (part,) = settle(policy, short, [birth])
    assert (full.output("生育津贴"), full.output("护理津贴"), full.allowance) == (980_000, 20_000, 1_000_000)
    assert (part.output("生育津贴"), part.output("护理津贴"), part.allowance) == (0, 20_000, 20_000)
    assert full.allowance_days == 108


def test_both_backends_add_every_allowance_layer(tmp_path):
    from batch.batchcheck import assert_same

    from policylang.batch.columns import Columns
    from policylang.batch.settle import settle_columns

    path = tmp_path / "rules.policy"
    path.write_text("""\
地区 津贴
依据 《津贴》
导入 "fields"
方案 生育 (险种 = 职工医保, 就医类型 = 生育) {
    层 生育医疗费 { 定额 3000 元 }
    层 生育津贴 { 津贴天数 98 天
        日津贴 100 元 }
    层 护理津贴 { 津贴天数 10 天
        日津贴 20 元 }
}
""", encoding="utf-8")
    policy = check_path(path).policy
    cols = Columns.from_records([{"参保人ID": "p", "日期": DAY, "费用": 500_000, "险种": "职工医保", "就医类型": "生育",
                                  "分娩方式": "顺产"}])
    settled = settle_columns(policy, cols)
    assert int(settled.money["津贴"][0]) == 1_000_000 and int(settled.days[0]) == 108
    assert_same(policy, cols, settled)


def test_an_override_of_a_per_unit_cap_changes_that_cap_only(tmp_path):
    """覆盖 matches a table by its kind, scope and per-unit field: 封顶线 每 床日数 is not the year's 封顶线."""
    (tmp_path / "parent").mkdir()
    (tmp_path / "child").mkdir()
    (tmp_path / "parent" / "rules.policy").write_text(
        BASE.replace("__RULES__", "封顶线 30 万元\n    封顶线 每 床日数 200 元"), encoding="utf-8")
    (tmp_path / "child" / "rules.policy").write_text(
        '地区 下级\n依据 《下级》\n继承 "parent"\n覆盖 方案 住院 {\n    封顶线 每 床日数 300 元\n}\n', encoding="utf-8")
    policy = check_path(tmp_path / "child").policy
    (layer,) = policy.schemes[0].layers
    assert layer.caps[0].param.versions[0].table.cells[0].value == ir.Money(30_000_000)
    assert layer.unit_caps[0].param.versions[0].table.cells[0].value == ir.Money(30_000)


@pytest.mark.skipif(calculator.node() is None and not calculator.node_required(), reason="node is not installed")
def test_the_calculator_refuses_a_claim_without_its_units_as_python_does(tmp_path):
    policy = _policy(tmp_path, "起付线 年度 100 元\n    支付后扣除 每 就诊人次 1 元\n    封顶线 每 床日数 100 元\n"
                               "    封顶后扣除 每次 2 元")
    claims = [_claim(1000), _claim(1000, 1, 床日数=Fraction(5, 2)), _claim(1000, 2, 床日数=Fraction(3), 就诊人次=Fraction(2))]
    want = [calculator.result_output(r) for r in settle(policy, RESIDENT, claims)]
    (got,) = calculator.run_node(policy, [calculator.person_input(RESIDENT, claims)], tmp_path)
    assert got == want
    assert [r["refused"] for r in want] == [["基本医保无法结算：缺少“床日数”"], ["基本医保无法结算：“床日数”不是整数"], []]
