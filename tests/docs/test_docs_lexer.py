"""The Pygments lexer for policy scripts: keywords from the grammar, registered as a plugin."""

from __future__ import annotations

from pathlib import Path

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name

from policylang.docs.lexer import PolicyLexer
from policylang.syntax.parser import keywords

ROOT = Path(__file__).resolve().parents[2]


def _tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in PolicyLexer().get_tokens(text) if v.strip()]


def test_whole_words_only_are_keywords():
    assert _tokens("方案 职工医保") == [(Keyword, "方案"), (Name, "职工医保")]
    assert _tokens("方案职工医保") == [(Name, "方案职工医保")]


def test_every_grammar_keyword_is_highlighted():
    for kw in keywords():
        ((token, value),) = _tokens(kw)
        assert value == kw and token in Keyword, kw


def test_region_scripts_lex_without_errors():
    for path in [*ROOT.glob("regions/**/*.policy"), *ROOT.glob("stdlib/*.policy")]:
        assert all(t is not Error for t, _ in PolicyLexer().get_tokens(path.read_text(encoding="utf-8"))), path


def test_registered_with_pygments():
    assert isinstance(get_lexer_by_name("policy"), PolicyLexer)
    assert isinstance(get_lexer_for_filename("x.policy"), PolicyLexer)
