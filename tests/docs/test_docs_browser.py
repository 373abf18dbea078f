"""Open the built site in headless Chromium: tables and a worked example are rendered, search works when a
query is typed, and texts from scripts stay text in the search results."""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from docs.chromium import BINARY as CHROMIUM
from docs.chromium import FLAGS, Chromium, Page

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed and .ci/run could not apt-get "
                                                          "it (no root or no Debian package index)")


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120)


def test_region_page_renders_tables_and_a_worked_example(site):
    page = (site.index.parent / "regions" / "suizhou.html").as_uri()
    dom = _chromium("--dump-dom", page).stdout
    assert dom.count("<table") >= 2
    assert "基本医保待遇标准" in dom and "<td><p>1,300元</p></td>" in dom
    assert "算例：在职 二级 一次门诊 2000 元" in dom and "统筹支付 1,050.00 元，个人自付 950.00 元" in dom


def test_screenshot_is_drawn(site, tmp_path):
    shot = tmp_path / "page.png"
    _chromium("--hide-scrollbars", "--window-size=1280,1600", f"--screenshot={shot}",
              (site.index.parent / "regions" / "suizhou.html").as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(site) -> Iterator[str]:
    """The site over HTTP on localhost (search fetches the pages it summarises, which file:// forbids)."""
    handler = functools.partial(_QuietHandler, directory=str(Path(site.index).parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    yield chromium
    chromium.close()


def _search(browser: Chromium, served: str, query: str) -> tuple[list[str], Page]:
    """Type a query into the search page and press Enter; the result titles as the page shows them."""
    page = browser.open(served + "search.html")
    page.type("input[name=q]", query)
    page.wait_for("location.search.includes('q=')")
    # searchtools.js writes the status line only when the search is finished (_finishSearch).
    page.wait_for("typeof Search !== 'undefined' && Search.status && Search.status.innerText.length > 0")
    titles = page.evaluate("Array.from(document.querySelectorAll('ul.search li > a')).map(a => a.textContent)")
    assert page.exceptions() == []  # e.g. "ChineseStemmer is not defined" (sphinx#14229)
    return titles, page


def test_chinese_search_finds_pages_from_a_typed_query(browser, served):
    titles, _ = _search(browser, served, "封顶线")
    assert "湖北省随州市医保待遇" in titles
    titles, _ = _search(browser, served, "起付线")
    assert "样例市医保待遇" in titles


def test_script_text_in_search_results_is_text(browser, served):
    name = "<img src=x onerror=\"window.pwned='测试'\">标记住院"
    titles, page = _search(browser, served, name)
    assert f"标记市医保待遇 > 算例：{name}" in titles
    assert page.evaluate("document.querySelectorAll('ul.search img, ul.search svg, ul.search script').length") == 0
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_region_page_runs_no_script_text(browser, served):
    page = browser.open(served + "regions/hostile.html")
    assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload]').length") == 0
    # Inline scripts: the calculator's own (its policy data, and its code, which defines PolicyCalc) and at
    # most one of Sphinx's; none may come from the script's text.
    others = ("Array.from(document.querySelectorAll('script:not([src])')).filter(s => "
              "!(s.type === 'application/json' && s.id.startsWith('pc-')) && !s.text.includes('PolicyCalc')).length")
    assert page.evaluate(others) <= 1
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert "<img src=x onerror=" in page.evaluate("document.querySelector('div.body').textContent")
