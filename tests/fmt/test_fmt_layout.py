"""The canonical layout, case by case: spacing, blocks, comments, paragraphs, semicolons, full width."""

from __future__ import annotations

import pytest

from policylang.tools.fmt import format_text

CASES = {
    "one statement per line, four-space blocks": (
        '方案 门诊 (就医类型=普通门诊) { 起付线 每次 300元; 比例 一级 90 %，二级 80% }\n',
        '方案 门诊 (就医类型 = 普通门诊) {\n    起付线 每次 300 元\n    比例 一级 90%, 二级 80%\n}\n',
    ),
    "units spaced, percentages attached, inclusion tight": (
        '方案 a {\n分段 { 2万元(含)以内 70%, 超过2万元 80% }\n}\n',
        '方案 a {\n    分段 { 2 万元(含)以内 70%, 超过 2 万元 80% }\n}\n',
    ),
    "comments kept: own line, trailing, inside a statement": (
        '# 头注释\n方案 a { # 方案注释\n  比例 一级 90%,   # 行内\n   二级 80%\n  # 块尾注释\n}\n',
        '# 头注释\n方案 a {  # 方案注释\n    # 行内\n    比例 一级 90%, 二级 80%\n    # 块尾注释\n}\n',
    ),
    "paragraphs: several blank lines become one, none after a brace": (
        '地区 甲\n\n\n\n依据 "x"\n方案 a {\n\n    比例 90%\n\n}\n',
        '地区 甲\n\n依据 "x"\n方案 a {\n    比例 90%\n}\n',
    ),
    "strings as written, full-width punctuation in them kept": (
        '说明 “甲，乙；丙”\n说明 "Ａ（１）"\n',
        '说明 “甲，乙；丙”\n说明 "Ａ（１）"\n',
    ),
    "tests: tight attributes, 期望 aligned across consecutive claims": (
        '测试 "t" {\n参保人 职工医保 年龄=60岁\n就诊 2024-01-01 住院 100 元 期望 统筹支付 1 元\n'
        '就诊 2024-01-02 住院 一级 1000 元 期望 统筹支付 2 元\n}\n',
        '测试 "t" {\n    参保人 职工医保 年龄=60 岁\n    就诊 2024-01-01 住院 100 元        期望 统筹支付 1 元\n'
        '    就诊 2024-01-02 住院 一级 1000 元  期望 统筹支付 2 元\n}\n',
    ),
    "a 明细 block: one item per line, the expectation after the brace": (
        '测试 "t" { 参保人 职工医保\n 就诊 2024-01-01 门诊 { 明细 "药" 甲类 5元 明细 挂号费 甲类 1 元 } 期望 费用 6 元 }\n',
        '测试 "t" {\n    参保人 职工医保\n    就诊 2024-01-01 门诊 {\n        明细 "药" 甲类 5 元\n'
        '        明细 挂号费 甲类 1 元\n    } 期望 费用 6 元\n}\n',
    ),
    "bands: between two amounts, inclusion kept with its amount": (
        '方案 a {\n分段 { 5万元至10万元(含) 60%, 超过10万元 70% }\n}\n',
        '方案 a {\n    分段 { 5 万元 至 10 万元(含) 60%, 超过 10 万元 70% }\n}\n',
    ),
    "claim attributes tight, text attributes too": (
        '测试 "t" {\n参保人 职工医保\n就诊 2024-01-01 住院 100 元 住院号 = "A-1" 期望 统筹支付 1 元\n}\n',
        '测试 "t" {\n    参保人 职工医保\n    就诊 2024-01-01 住院 100 元 住院号="A-1"  期望 统筹支付 1 元\n}\n',
    ),
    "formulas: operators spaced, parentheses tight": (
        '方案 a { 比例 = 85%+( 年龄-70 )×0.5%，最低 85% }\n',
        '方案 a {\n    比例 = 85% + (年龄 - 70) × 0.5%, 最低 85%\n}\n',
    ),
    "alternatives tight": (
        '方案 a { 住院 一级 / 二级 免起付线 }\n',
        '方案 a {\n    住院 一级/二级 免起付线\n}\n',
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_layout(case: str) -> None:
    original, expected = CASES[case]
    result = format_text(original)
    assert result.ok, result.diagnostics
    assert result.text == expected
    assert format_text(expected).text == expected


def test_keywords_never_merged_with_names() -> None:
    """Spaces between two words are never removed: 方案 职工 stays two tokens."""
    assert format_text("方案    职工医保 {\n比例 90%\n}\n").text == "方案 职工医保 {\n    比例 90%\n}\n"


def test_a_script_that_does_not_parse_is_left_untouched() -> None:
    broken = "方案 a {\n    比例 90%\n"
    result = format_text(broken, "b.policy")
    assert result.text == broken
    assert [d.code for d in result.diagnostics] == ["E009"]


def test_empty_script() -> None:
    assert format_text("").text == ""
    assert format_text("\n\n# 只有注释\n\n").text == "# 只有注释\n"
