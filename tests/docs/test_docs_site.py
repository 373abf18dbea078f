"""The built public site: no warnings, escaped script text, tables, charts, comparison, Chinese search."""

from __future__ import annotations

import json
import re


def test_build_has_no_warnings(site):
    assert site.status == 0
    assert site.warnings.strip() == ""


def test_region_page_has_tables_history_and_examples(suizhou_html, sample_html):
    assert "<table" in suizhou_html and "起付线（年度）" in suizhou_html
    assert "算例：在职 二级 一次门诊 2000 元" in suizhou_html
    assert "进入报销部分 1,500.00 元 × 70% = 1,050.00 元" in suizhou_html
    assert "2024年1月1日起，年度封顶线由15万元提高至20万元。" in sample_html
    assert "样医保发〔2023〕7号" in sample_html


def test_text_from_scripts_is_escaped(sample_html):
    assert "<script>alert" not in sample_html
    assert "&lt;script&gt;alert(" in sample_html and "&lt;/script&gt; 本说明含有 HTML" in sample_html
    assert "<img src=x" not in sample_html and "&lt;img src=x onerror=alert(1)&gt;" in sample_html
    assert "<b>政策未写明" not in sample_html and "&lt;b&gt;政策未写明&lt;/b&gt;" in sample_html
    assert "<i>三级</i>" not in sample_html and "&lt;i&gt;三级&lt;/i&gt;" in sample_html


def test_charts_are_svg_with_a_text_alternative(site, suizhou_html):
    images = re.findall(r'<img alt="([^"]*)" src="([^"]+\.svg)"', suizhou_html)
    assert images, "no chart"
    alt, src = images[0]
    assert "统筹基金" in alt and "在职、一级" in alt
    svg = (site.index.parent / "regions" / src).resolve()
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "图的文字说明" in suizhou_html


def test_comparison_page_puts_regions_side_by_side(site):
    html = (site.index.parent / "regions" / "comparison.html").read_text(encoding="utf-8")
    assert "湖北省随州市" in html and "样例市" in html
    assert "在职 500元；退休 400元" in html
    assert "现行标准2024年1月1日起" in html


def test_chinese_search_index(site):
    text = (site.index.parent / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1: text.rindex(")")])["terms"]
    for word in ("起付线", "封顶线", "随州", "报销", "算例"):
        assert word in terms, word


def test_chinese_search_stemmer_exists(site):
    """Sphinx 9.0 names a ChineseStemmer class that it never defines (sphinx#14229); ours names the real one."""
    data = (site.index.parent / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var EnglishStemmer" in data and data.rstrip().endswith("window.Stemmer = EnglishStemmer;")
    assert "ChineseStemmer" not in data
