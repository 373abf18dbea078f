"""Generated pages never carry markup from a script or a path: HTML, reST and region folder names stay text."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from policylang.docs.site import SiteError, build_site
from policylang.docs.sphinx_ext import generated_pages

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
# What the hostile texts would become if they were pasted into HTML or reST instead of built as text nodes.
LIVE = re.compile(r"<img src=x|<svg onload|<script>window\.pwned|href=\"javascript:|<b>粗|<strong>粗体|"
                  r"<a [^>]*>链接</a>|footnote", re.I)


def _index(site) -> tuple[str, dict]:
    text = (site.index.parent / "searchindex.js").read_text(encoding="utf-8")
    return text, json.loads(text[text.index("(") + 1: text.rindex(")")])


def _pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def test_script_texts_are_escaped_on_the_region_page(site):
    html = (site.index.parent / "regions" / "hostile.html").read_text(encoding="utf-8")
    body = html[html.index('<div class="body"'):]
    assert not LIVE.search(body)
    assert "&lt;img src=x onerror=&quot;window.pwned='测试'&quot;&gt;标记住院" in body  # the test name
    assert "&lt;script&gt;window.pwned = &quot;依据&quot;&lt;/script&gt;" in body  # the basis
    assert ".. raw:: html &lt;img src=x" in body and "**粗体** `链接`_ |替换| [#]_" in body  # 说明, verbatim
    assert "&lt;svg onload=" in body
    assert "`注入 &lt;javascript:window.pwned=1&gt;`_" in body


def test_script_texts_are_escaped_on_the_comparison_page(site):
    html = (site.index.parent / "regions" / "comparison.html").read_text(encoding="utf-8")
    assert "标记市" in html and not LIVE.search(html)


def test_search_index_holds_script_texts_as_data_not_markup(site):
    text, index = _index(site)
    assert "<" not in text and ">" not in text and "&" not in text  # escaped as \u003c … inside JSON strings
    titles = [t for t in index["alltitles"] if "window.pwned" in t]
    assert titles == ["算例：<img src=x onerror=\"window.pwned='测试'\">标记住院"]


def test_a_region_folder_named_with_markup_is_only_text(tmp_path):
    regions = tmp_path / "regions"
    folder = regions / "注入 `x <javascript:1>`_ <b>粗 **y** .. raw:: html"
    shutil.copytree(HOSTILE, folder)
    out = tmp_path / "site"
    result = build_site([folder], out)
    assert result.status == 0 and result.warnings.strip() == ""
    pages = _pages(out)
    assert set(pages) >= {"index.html", "regions/index.html", "regions/comparison.html"}
    slugs = [p for p in pages if p.startswith("regions/") and p not in ("regions/index.html",
                                                                       "regions/comparison.html")]
    assert len(slugs) == 1 and re.fullmatch(r"regions/[A-Za-z0-9-]+\.html", slugs[0])  # page names are ASCII
    for name, html in pages.items():
        assert not LIVE.search(html) and "x &lt;javascript:1&gt;" not in html, name
    stubs = {p.relative_to(out / "_sources").as_posix(): p.read_text(encoding="utf-8")
             for p in (out / "_sources").rglob("*.txt")}
    assert stubs["index.rst.txt"] == ".. policy-site-index::\n"
    assert all("注入" not in text and str(tmp_path) not in text for text in stubs.values())  # no path in reST


@pytest.mark.parametrize("name", ["a\n.. raw:: html\n\n   <script>window.pwned=1<\\script>", "a\tb", "a\u202eb",
                                  "a\x1b[31mb"])
def test_region_folder_names_with_control_characters_are_refused(tmp_path, name):
    folder = tmp_path / "regions" / name
    shutil.copytree(HOSTILE, folder)
    with pytest.raises(SiteError, match=r"地区目录名.*含有控制字符或不可见字符.*\(region folder name"):
        build_site([folder], tmp_path / "site")
    assert not (tmp_path / "site").exists()
    pages, refused = generated_pages([tmp_path / "regions"])  # a conf.py site skips it with a warning
    assert pages == {} and len(refused) == 1 and "\n" not in refused[0]


def test_site_title_is_text_and_never_html(tmp_path):
    out = tmp_path / "site"
    build_site([HOSTILE], out, title="`x`_ **t** .. raw:: html")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>`x`_ **t** .. raw:: html<a" in html and "<strong>t</strong>" not in html
    with pytest.raises(SiteError, match=r"网站标题.*\(site title"):  # the theme prints the title as HTML
        build_site([HOSTILE], tmp_path / "other", title="<script>window.pwned=1</script>")
