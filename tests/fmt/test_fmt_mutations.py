"""Hypothesis mutates the layout of real scripts; fmt must undo it without touching the meaning.

Mutations only change what the lexer ignores or folds: the width of white space, line breaks inside a
statement, full-width commas and parentheses, extra blank lines, extra comments and semicolons.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmt.corpus import SCRIPTS, label
from policylang.source import Source
from policylang.syntax.parser import parse
from policylang.tools.fmt import format_text
from policylang.tools.fmt.tree import concrete, leaves

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Small scripts keep the test fast; the whole corpus is covered unmutated by test_corpus.
SMALL = [p for p in SCRIPTS if len(p.read_text(encoding="utf-8")) < 3000]


def _gaps(text: str) -> list[tuple[int, int]]:
    """The white space between tokens (outside strings and comments): where a mutation may act."""
    toks = leaves(concrete(Source("m", text)).tree)
    out = []
    for a, b in itertools.pairwise(toks):
        gap = text[a.end_pos:b.start_pos]
        if gap and not gap.strip():
            out.append((a.end_pos, b.start_pos))
    return out


@st.composite
def respaced(draw: st.DrawFn) -> tuple[str, str]:
    """A script with the white space inside its lines changed (no line break added or removed)."""
    path = draw(st.sampled_from(SMALL))
    text = path.read_text(encoding="utf-8")
    out, pos = [], 0
    for start, end in _gaps(text):
        gap = text[start:end]
        out.append(text[pos:start])
        out.append(gap if "\n" in gap else draw(st.sampled_from([" ", "  ", "\t", " \u3000 "])))
        pos = end
    out.append(text[pos:])
    mutated = "".join(out)
    if draw(st.booleans()):
        mutated = _full_width_commas(mutated)
    return label(path), mutated


def _full_width_commas(text: str) -> str:
    """ASCII commas outside strings and comments become “，” (the lexer folds them back)."""
    parts = re.split(r'("[^"\n]*"|“[^”\n]*”|《[^》\n]*》|#[^\n]*)', text)
    return "".join(p if i % 2 else p.replace(",", "，") for i, p in enumerate(parts))


@st.composite
def restructured(draw: st.DrawFn) -> tuple[str, str]:
    """A script with line breaks, blank lines, comments and semicolons added between tokens."""
    path = draw(st.sampled_from(SMALL))
    text = path.read_text(encoding="utf-8")
    gaps = _gaps(text)
    chosen = draw(st.sets(st.integers(0, len(gaps) - 1), max_size=8)) if gaps else set()
    out, pos = [], 0
    for i, (start, end) in enumerate(gaps):
        out.append(text[pos:start])
        kind = draw(st.sampled_from(["break", "blank", "comment"])) if i in chosen else None
        out.append({None: text[start:end], "break": "\n      ", "blank": "\n\n\n",
                    "comment": f"  # 变异注释 {i}\n"}[kind])
        pos = end
    out.append(text[pos:])
    return label(path), "".join(out)


@SETTINGS
@given(respaced())
def test_white_space_inside_lines_does_not_change_the_layout(case: tuple[str, str]) -> None:
    name, mutated = case
    original = (Path(__file__).resolve().parents[2] / name).read_text(encoding="utf-8")
    assert format_text(mutated, name).text == format_text(original, name).text


@SETTINGS
@given(restructured())
def test_restructured_scripts_keep_their_meaning_and_comments(case: tuple[str, str]) -> None:
    name, mutated = case
    result = format_text(mutated, name)
    assert result.ok, result.diagnostics
    assert parse(Source(name, result.text))[0] == parse(Source(name, mutated))[0]
    assert result.text.count("# 变异注释") == mutated.count("# 变异注释")
    assert format_text(result.text, name).text == result.text
