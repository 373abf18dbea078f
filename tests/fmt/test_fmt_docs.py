"""The tutorial's formatting example is what fmt really does (the docs cannot drift from the formatter)."""

from __future__ import annotations

import re

from fmt.corpus import ROOT
from policylang.tools.fmt import format_text


def _block(text: str, caption: str) -> str:
    m = re.search(rf"   :caption: {caption}\n\n((?:   [^\n]*\n|\n)+?)\n(?=\S)", text)
    assert m, caption
    return "\n".join(line[3:] for line in m.group(1).splitlines()).strip("\n") + "\n"


def test_tutorial_before_and_after() -> None:
    text = (ROOT / "docs" / "tutorial.rst").read_text(encoding="utf-8")
    before, after = _block(text, "格式化之前"), _block(text, "格式化之后")
    assert before != after
    assert format_text(before).text == after
