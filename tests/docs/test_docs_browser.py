"""Open the built region page in headless Chromium: the tables and a worked example are rendered."""

from __future__ import annotations

import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

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
