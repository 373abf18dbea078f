"""The public page says deductible bounds, 逐次 and what a fee limit counts from in plain Chinese."""

from __future__ import annotations

import re


def test_compounding_is_told_apart_from_factors_of_the_first_admission(page_html):
    html = page_html("deductibles")
    assert "起付线按住院次数计算：第 2 次 80%，第 3 次起 60%（按首次住院起付线的比例）" in html
    assert "按住院次数减少后的起付线最低 200元（原来的起付线低于这个数的，仍按原来的起付线）" in html
    assert ("每次住院的起付线是上一次住院起付线的 75%（逐次减少，不是每次都按第一次的 75%）") in html
    assert "例如二级医院起付线 500元的，第 2 次 375元，第 3 次 281.25元，依此类推。" in html
    assert "逐次减少后的起付线最低 二级 300元、三级 600元（其余不设最低；原来的起付线低于这个数的，仍按原来的起付线）" in html


def test_table_bounds_and_fee_limit_above_the_deductible(page_html):
    html = page_html("deductibles")
    assert "起付线不高于9,000元。" in html
    assert ("费用限额只计起付线以上的部分：先扣除起付线，每年起付线以上的费用只有前 1万元进入本层报销，"
            "超出的部分转入下一层；起付线以下的费用不占用限额") in html
    assert "每年只有前 1万元费用进入本层，其余转入下一层" in html  # the 按累计费用 scheme, as today
    # the text people read: not the calculator's IR (a script, a tag's attribute)
    visible = re.sub(r"<[^>]*>", "", re.sub(r"<script.*?</script>", "", html, flags=re.S))
    for internal in ("base_lower", "compound", "Compound", "FeeLimit", "Deductible"):
        assert internal not in visible
