"""The two regions rewritten with named accumulators and a layer above the previous cap (威海, 焦作): their public
pages read as plain Chinese — no English gloss from a refusal message, no "计入累计“…”" bookkeeping words."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from policylang.docs.examples import without_gloss

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"JavaScript"}  # the one English word a page may hold: the notice shown when scripts are off


def _text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    body = page[page.find('<div class="body"'):]
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    from policylang.docs.site import build_site

    out = tmp_path_factory.mktemp("plain")
    build_site([ROOT / "regions" / "weihai", ROOT / "regions" / "jiaozuo"], out)
    return {name: _text((out / "regions" / f"{name}.html").read_text(encoding="utf-8")) for name in ("weihai", "jiaozuo")}


@pytest.mark.parametrize("name", ["weihai", "jiaozuo"])
def test_no_english_on_the_page(pages, name) -> None:
    words = set(re.findall(r"[A-Za-z]*[a-z]{2}[A-Za-z]*", pages[name])) - ALLOWED  # not codes like YGT-7
    assert words == set(), sorted(words)


@pytest.mark.parametrize("name", ["weihai", "jiaozuo"])
def test_a_shared_limit_is_said_in_words(pages, name) -> None:
    assert "计入累计" not in pages[name]


def test_the_shared_limit_line_names_what_it_is_shared_with(pages) -> None:
    assert "与其他计入“医疗救助限额”的支付合并计算，本年合计 22,000.00 元" in pages["weihai"]


def test_a_refusal_reason_loses_only_its_gloss() -> None:
    assert without_gloss("缺少孕期号，无法确定按孕期号累计的范围 (no 孕期号 to key the running total)") == \
        "缺少孕期号，无法确定按孕期号累计的范围"
    assert without_gloss("转诊号 YGT-7（三级）(A)") == "转诊号 YGT-7（三级）(A)"


def test_a_total_per_field_is_said_per_thing(pages) -> None:
    # 孕期号 is the label on each claim; the citizen reads of 孕期, with the label explained once
    assert "封顶线按孕期分别计算：登记为同一孕期（就诊时填写的孕期号相同）的就诊合计计算" in pages["weihai"]
    assert "每个孕期封顶线" in pages["weihai"] and "同一孕期已支付" in pages["weihai"]
    assert "每个孕期号" not in pages["weihai"] and "同一孕期号" not in pages["weihai"]


def test_field_thing_drops_only_a_label_suffix() -> None:
    from policylang.ir.wording import field_thing

    assert [field_thing(x) for x in ("孕期号", "住院号", "编号", "病种", "号")] == ["孕期", "住院", "编号", "病种", "号"]


def test_the_calculator_drops_the_same_gloss() -> None:
    from policylang.docs.examples import _GLOSS

    form = (ROOT / "policylang" / "docs" / "static" / "calculator" / "form.js").read_text(encoding="utf-8")
    assert f"text.replace(/{_GLOSS.pattern}/g, \"\")" in form


def test_the_page_speaks_of_the_insurance_not_of_the_script_layers(pages) -> None:
    assert "第二层" not in pages["jiaozuo"]
    assert "本页“职工住院”中的“大额补充”即这项保险" in pages["jiaozuo"]
