"""Region pages say everything the script says: issue-9 mechanisms, formulas by year, 资助参保, 判断."""

from __future__ import annotations

from pathlib import Path

import attrs

from policylang import ir
from policylang.api import check_path
from policylang.docs.model import region_page
from policylang.docs.primitives import RENDERERS

ROOT = Path(__file__).resolve().parents[2]
VOCAB = ROOT / "tests" / "vocabulary"


def _primitive_types(obj: object, out: set[type]) -> set[type]:
    if isinstance(obj, tuple):
        for x in obj:
            _primitive_types(x, out)
    elif attrs.has(type(obj)) and not isinstance(obj, ir.Param | ir.Condition | ir.Table):
        out.add(type(obj))
    return out


def test_every_primitive_of_the_vocabulary_has_a_renderer():
    """The vocabulary examples use every layer primitive, and none falls back to the bare-parameter view."""
    used: set[type] = set()
    for folder in VOCAB.iterdir():
        for scheme in check_path(folder).policy.schemes:
            for layer in scheme.layers:
                for f in attrs.fields(type(layer)):
                    if f.name not in ("name", "origin", "notes", "when"):
                        _primitive_types(getattr(layer, f.name), used)
    assert used <= set(RENDERERS), used - set(RENDERERS)
    assert {ir.FeeLimit, ir.OneOff, ir.Brackets, ir.Fixed, ir.Allowance, ir.Requirement} <= used


def test_vocabulary_pages_are_built(site, page_html):
    assert site.warnings.strip() == ""
    for folder in VOCAB.iterdir():
        assert "医保待遇" in page_html(folder.name), folder.name


def test_formulas_show_their_text_and_each_years_value(page_html):
    html = page_html("expressions")
    assert ("起付线（每次住院）为上年度职工平均工资的1%，最低600元，最高1,800元；"
            "2023 年为 600元（按最低值），2024 年为 900元，2025 年为 1,200元。") in html
    assert "年度封顶线为上年度居民人均可支配收入的5倍；2023 年为 18万元，2024 年为 20万元" in html
    assert "其中年龄按参保人本人（或本次就诊）的实际情况计算，因人而异，计算结果在 85% 至 95% 之间" in html
    assert "本方案的待遇与参保人的年龄有关" in html  # no chart, a sentence instead
    rounding = page_html("rounding_order")
    assert "333元（按公式计算，截尾取整到元）" in rounding and "本方案的待遇与参保人的月工资有关" in rounding


def test_counters_step_downs_one_offs_and_first_pay_by_count(page_html):
    html = page_html("counters")
    assert "起付线按住院次数计算：第 2 次 50%，第 3 次起 0%" in html
    assert "每多住院一次，起付线降低200元，但不低于最低标准：一级 100元、二级 200元、三级 300元" in html
    assert "首次超过1万元时，一次性支付500元（每年最多一次）" in html
    assert "个人先行自付 按本年度第几次计：第 1 次 0%，第 2 次起 10%" in html


def test_fee_limits_are_not_caps(page_html):
    html = page_html("fee_limits")
    assert "每年只有前 1万元费用进入本层，其余转入下一层" in html
    assert "年度封顶线" in html and "费用限额（年度）" in html


def test_highest_level_adjustments_accounts_and_periods(page_html):
    assert "起付线按本年度就诊过的最高医院等级计算" in page_html("highest_level")
    adjust = page_html("adjust_order")
    assert "报销比例按以下顺序逐条调整" in adjust and "调整后最高 92%" in adjust and "调整后最低 55%" in adjust
    accounts = page_html("accounts")
    assert "本人负担中的起付线、乙类先行自付部分先由个人账户支付" in accounts
    assert "个人账户每年划入：在职 1,000元、退休 2,000元" in accounts
    assert "其中个人账户支付" in accounts and "其中现金支付" in accounts
    periods = page_html("periods")
    assert "跨年度的住院按出院日期所在年度计算" in periods and "跨年度的住院按入院日期所在年度计算" in periods
    assert "起付线（每90天）" in periods and "每 90 天为一个计算期" in periods


def test_subsidies_say_who_gets_what_per_year(page_html):
    html = page_html("subsidy")
    assert "资助按每年的居民个人缴费标准计算（2021年280元、2022年320元）" in html
    assert "低保对象：按缴费标准的80%资助（最低280元）" in html
    assert "易返贫致贫人口：定额资助280元（2022年1月1日起）" in html
    # computed by the subsidy evaluator: 320 × 80% = 256 → 最低 280
    assert "资助280元，个人缴费40元" in html and "资助288元，个人缴费32元" in html
    assert "2022年1月1日起，新增易返贫致贫人口 资助标准：定额资助280元。" in html


def test_questions_list_who_is_allowed_with_dates(page_html):
    html = page_html("questions")
    assert "至2023年12月31日：亲属关系为本人或配偶或父母或子女的，可以。" in html
    assert "其他情形：不可以（个人账户只能为近亲属支付）。" in html


BRACKETS = """\
地区 分段示例
导入 "fields"

方案 慢特病 (险种 = 职工医保, 就医类型 = 门诊慢特病) {{
    周期 自然年度
    起付线 年度 1 万元
    分段 {base} {{ 5万元(含)以内 50%, 超过 5万元 70% }}
}}

测试 "10 万元" {{
    参保人 职工医保 在职
    就诊 2024-03-01 门诊慢特病 二级 100000 元  期望 统筹支付 53000 元
}}
"""


def _text(page) -> str:
    return repr(page.schemes)


def test_bracket_base_changes_the_words_and_the_numbers(tmp_path):
    pages = {}
    for name, base in (("above", "按起付线以上部分"), ("cumulative", "按累计费用")):
        path = tmp_path / name / "rules.policy"
        path.parent.mkdir()
        path.write_text(BRACKETS.format(base=base), encoding="utf-8")
        checked = check_path(path)
        pages[name] = region_page(checked.policy, checked.compiled.tests, name, with_charts=False)
    above, cumulative = pages["above"], pages["cumulative"]
    assert "按超过起付线的累计金额分段" in _text(above) and "按本年度累计费用分段" in _text(cumulative)
    assert "按本年度累计费用分段" not in _text(above)
    ex_above, ex_cum = above.schemes[0].examples[0], cumulative.schemes[0].examples[0]
    assert ex_above.table.rows[0][5] == "5.3万元" and ex_cum.table.rows[0][5] == "5.5万元"
    assert not ex_above.mismatches and ex_cum.mismatches  # the same expectation holds for one base only


def test_cross_region_claims_are_explained(tmp_path):
    from policylang.api import Regions

    path = ROOT / "regions" / "beijing"
    checked = check_path(path)
    page = region_page(checked.policy, checked.compiled.tests, "beijing", False, Regions.near(path))
    notes = [n for s in page.schemes for e in s.examples for n in e.notes]
    assert any("在广东省中山市某镇就医" in n and "就医地目录、参保地政策" in n for n in notes)


def test_steps_after_the_ratio_are_said_in_plain_words(page_html):
    html = page_html("steps")
    assert "每次就诊先扣除5元（支付额不足扣除的，本次不支付）；本层如有封顶线，按扣除后的金额计算。" in html
    assert "本层支付额按封顶线计算后，每次就诊再扣除5元" in html
    assert "按床日数计的封顶线：本层每次就诊的支付额不超过床日数乘以表中的标准。" in html
    assert "按护理天数定额支付：本层支付护理天数乘以定额标准（见上表）的金额；进入本层的费用低于这个金额的，按实际费用支付。" in html
    assert "本方案的支付与每次就诊的床日数有关，一张示意图无法代表所有就诊" in html
