"""Rendering a diagnostic: the caret stays under the span when a long line is cut to an excerpt."""

from __future__ import annotations

from policylang.diagnostics import (
    EXCERPT_WIDTH,
    MAX_PER_FILE,
    display_width,
    error,
    render,
    render_all,
    warning,
)
from policylang.source import Source, Span


def _lines(text: str, column: int, width: int = 1) -> tuple[str, str]:
    src = Source("x.policy", text)
    out = render(error("E001", "m", Span.point("x.policy", 1, column, width)), {"x.policy": src}).splitlines()
    return out[2][len("1 | "):], out[3][len("  | "):]


def _under_caret(excerpt: str, caret: str) -> str:
    """The text of the excerpt above the carets (counting display columns)."""
    start = len(caret) - len(caret.lstrip())
    col, out = 0, ""
    for ch in excerpt:
        if start <= col < len(caret):
            out += ch
        col += display_width(ch)
    return out


def test_a_short_line_is_shown_whole() -> None:
    excerpt, caret = _lines("方案 甲 { 比例 50% }", 8, 2)
    assert excerpt == "方案 甲 { 比例 50% }"
    assert _under_caret(excerpt, caret) == "比例"


def test_a_long_line_is_cut_around_the_caret() -> None:
    text = "甲" * 300 + " 比例 " + "乙" * 300
    excerpt, caret = _lines(text, 302, 2)
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert display_width(excerpt) <= EXCERPT_WIDTH + 2
    assert _under_caret(excerpt, caret) == "比例"


def test_the_start_and_the_end_of_a_long_line_are_cut_on_one_side_only() -> None:
    text = "比例" + " 丙" * 400
    excerpt, caret = _lines(text, 1, 2)
    assert not excerpt.startswith("…") and excerpt.endswith("…")
    assert _under_caret(excerpt, caret) == "比例"
    excerpt, caret = _lines(text + " 丁", len(text) + 2)
    assert excerpt.startswith("…") and not excerpt.endswith("…")
    assert _under_caret(excerpt, caret) == "丁"


def test_a_very_wide_span_is_capped() -> None:
    _, caret = _lines("甲" * 1000, 1, 1000)
    assert len(caret) <= EXCERPT_WIDTH + 2


def test_diagnostics_beyond_the_cap_are_counted_per_file() -> None:
    src = Source("x.policy", "甲\n" * 50)
    diags = [error("E001", "m", Span.point("x.policy", i, 1)) for i in range(1, 31)]
    diags += [warning("W104", "w", Span.point("x.policy", 31, 1)), error("E001", "m", Span.point("y.policy", 1, 1))]
    out = render_all(diags, {"x.policy": src})
    assert out.count("错误 E001") == MAX_PER_FILE + 1  # 20 of x.policy, and the one of y.policy
    assert out.endswith("x.policy: 还有 10 个错误、1 个警告未显示 (10 more errors, 1 more warnings)")
