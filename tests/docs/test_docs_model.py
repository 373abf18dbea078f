"""The page model: tables by category, history sentences, worked examples and chart curves from the IR."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs

from policylang import ir
from policylang.api import compile_path
from policylang.docs.charts import chart_data
from policylang.docs.model import region_page
from policylang.docs.primitives import layer_parts
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person
from policylang.ir.values import Money
from policylang.ir.wording import money_cn

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "fixtures" / "sample"


def _page(path: Path, charts: bool = False):
    from policylang.api import check_path

    checked = check_path(path)
    return region_page(checked.policy, checked.compiled.tests, path.name, with_charts=charts)


def test_money_in_plain_chinese():
    assert money_cn(15_000_000) == "15万元"
    assert money_cn(1_500_000) == "1.5万元"
    assert money_cn(50_000) == "500元"
    assert money_cn(50_007) == "500.07元"
    assert money_cn(130_000) == "1,300元"


def test_overview_table_by_person_category_and_hospital_level():
    layer = _page(ROOT / "regions" / "suizhou").schemes[0].layers[0]
    table = layer.blocks[0]
    assert table.header == ("人员类别", "医院等级", "起付线（年度）", "报销比例", "年度封顶线")
    assert ("在职", "二级", "500元", "70%", "1,300元") in table.rows
    assert ("退休", "三级", "400元", "65%", "1,600元") in table.rows  # 60% + 5 个百分点
    assert len(table.rows) == 6


def test_history_of_every_changed_value():
    page = _page(SAMPLE)
    history = page.schemes[0].layers[0].history
    assert "2024年1月1日起，年度封顶线由15万元提高至20万元。" in history
    table = page.schemes[0].layers[0].blocks[0]
    assert "2024年1月1日起执行" in table.caption
    assert all(row[-1] == "20万元" for row in table.rows)


def test_assumptions_basis_and_notes_are_carried():
    page = _page(SAMPLE)
    assert page.basis == ("样例市职工基本医疗保险办法（样医保发〔2023〕7号）",)
    assert page.assumptions[0].startswith("<b>政策未写明</b>")
    assert "2023年1月1日起" in page.validity


def test_worked_examples_are_computed_by_the_evaluator():
    page = _page(ROOT / "regions" / "suizhou")
    examples = {e.title: e for s in page.schemes for e in s.examples}
    ex = examples["在职 二级 一次门诊 2000 元"]
    assert ex.table.rows[0][-2:] == ("1,050元", "950元")
    assert any("× 70% = 1,050.00 元" in line for line in ex.steps[0].lines)
    assert not ex.mismatches
    three = examples["在职 一级 同一年三次门诊 300、400、1000 元"]
    assert [r[-2] for r in three.table.rows] == ["0元", "160元", "800元"]


def test_a_failing_expectation_is_reported_not_hidden():
    from policylang.api import check_path
    from policylang.docs.examples import worked_example

    checked = check_path(ROOT / "regions" / "suizhou")
    case = checked.compiled.tests[0]
    tc = case.claims[0]
    wrong = attrs.evolve(tc, expects=(attrs.evolve(tc.expects[0], amount=tc.expects[0].amount + 1),))
    ex = worked_example(checked.policy, attrs.evolve(case, claims=(wrong,)))
    assert ex.mismatches and "1,050.00 元" in ex.mismatches[0]


def test_chart_curve_is_the_evaluator_and_summaries_are_exact():
    policy = compile_path(ROOT / "regions" / "suizhou")
    scheme = policy.schemes[0]
    data = chart_data(policy, scheme)
    panel = next(p for p in data.panels if p.label == "在职、一级")
    person = Person("p", (("人员类别", "在职"), ("医院等级", "一级"), ("险种", "职工医保"), ("就医类型", "普通门诊")))
    for i in (0, 37, 120, len(data.xs) - 1):
        (r,) = settle(policy, person, [Claim(data.as_of, data.xs[i])])
        assert panel.layers[0][1][i] == r.fund and panel.personal[i] == r.personal
    assert "超过500元后统筹基金开始支付" in panel.summary
    assert "费用达到2,125元时统筹支付达到1,300元" in panel.summary  # (2125 − 500) × 80% = 1300
    assert len(data.panels) == 6


def test_an_unknown_primitive_still_shows_its_parameters():
    @attrs.frozen
    class Surcharge:  # a primitive the docs have no renderer for yet
        param: ir.Param

    @attrs.frozen
    class FutureLayer(ir.Layer):
        surcharge: Surcharge | None = None

    policy = compile_path(ROOT / "regions" / "suizhou")
    layer = policy.schemes[0].layers[0]
    table = ir.Table((ir.Cell((), Money(12345)),))
    extra = Surcharge(ir.Param("分段起付", (ir.Version(dt.date(2024, 1, 1), None, table),)))
    future = FutureLayer(name=layer.name, ratio=layer.ratio, deductible=layer.deductible, caps=layer.caps,
                         surcharge=extra)
    titles = [c.title for p in layer_parts(future) for c in p.columns]
    assert titles[-1] == "分段起付"


VOCAB = ROOT / "tests" / "vocabulary"


def _blocks_text(page) -> str:
    out = []
    for s in page.schemes:
        out += [*s.conditions, s.chart.title if s.chart else ""]
        for layer in s.layers:
            for b in layer.blocks:
                out.append(repr(b))
    return "\n".join(out)


def test_brackets_reference_values_and_layer_conditions():
    page = _page(VOCAB / "layers", charts=True)
    text = _blocks_text(page)
    assert "('全部', '5万元以内', '60%', '长期有效')" in text
    assert "('全部', '超过5万元的部分', '70%', '长期有效')" in text
    assert "上年度农村居民人均可支配收入" in text
    assert "本层只适用于救助身份为特困人员或低保对象的人员或就诊。" in text
    assert "按救助身份为低保对象的人员计算" in text  # the chart shows every layer


def test_fixed_standards_allowances_eligibility_and_first_self_pay():
    maternity = _blocks_text(_page(VOCAB / "maternity"))
    assert "'定额'" in maternity and "'3,800元'" in maternity and "'98天'" in maternity
    eligibility = _blocks_text(_page(VOCAB / "eligibility"))
    assert "须符合条件，否则不予支付：实际缴费年限不足 10 年。" in eligibility
    first = _blocks_text(_page(VOCAB / "first_pay"))
    assert "个人先行自付 30%，其余按三级的政策结算。" in first
    catalogue = _blocks_text(_page(VOCAB / "catalogue"))
    assert "以下项目不予报销，由个人负担：挂号费、诊金、美容、体检、戒毒。" in catalogue


def test_worked_example_facts_carry_their_units_and_money_is_in_yuan():
    """A typed field of a person or a claim is shown with its unit; money fields are held in 分 but read in 元
    (账户余额=500 元 was printed as 账户余额 50000)."""
    from policylang.api import check_path
    from policylang.docs.examples import worked_example

    checked = check_path(ROOT / "tests" / "vocabulary" / "composed" / "rules.policy")
    by_name = {c.name: worked_example(checked.policy, c) for c in checked.compiled.tests}
    account = next(ex for name, ex in by_name.items() if name.startswith("65 岁"))
    assert account.person == "职工医保、在职、参加工作日期 1990年1月1日、年龄 65 岁、账户余额 500元"
    aid = next(ex for name, ex in by_name.items() if name.startswith("救助"))
    assert aid.table.rows[0][2] == "住院、出院日期 2024年1月10日、基本医保已支付 5,000元、大病保险已支付 2,000元"
    care = next(ex for name, ex in by_name.items() if name.startswith("居家护理"))
    assert care.table.rows[0][2] == "居家护理、护理天数 20 天"


def test_a_chart_skipped_for_a_refusal_says_why_in_chinese_only():
    """The public page's reason for having no chart keeps the Chinese and drops the English gloss."""
    from policylang.api import check_path
    from policylang.docs.charts import chart_or_note

    policy = check_path(ROOT / "tests" / "vocabulary" / "composed" / "rules.policy").policy
    chart, note = chart_or_note(policy, next(s for s in policy.schemes if s.name == "孕检"))
    assert chart is None and "缺少孕期号" in note
    assert not re.search(r"[A-Za-z]", note), note
