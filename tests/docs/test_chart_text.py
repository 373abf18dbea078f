"""Chart text is Chinese on every machine: the SVG keeps its text as <text> for the browser's fonts (no glyph
paths, no ASCII fallback such as "panel 1" or "personal" when the build machine lacks a CJK font)."""

from __future__ import annotations


def test_chart_svgs_keep_chinese_text(site):
    svgs = sorted((site.index.parent / "_images").glob("*.svg"))
    assert svgs, "the site has charts"
    for svg in svgs:
        text = svg.read_text(encoding="utf-8")
        assert "<text" in text and "个人负担" in text and "年度政策范围内费用（元）" in text, svg.name
        assert "panel 1" not in text and "personal" not in text and "fund layer" not in text, svg.name
