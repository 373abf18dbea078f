"""The concrete syntax tree the formatter reads: every token kept (keywords, commas, semicolons), comments found.

The checker's parser drops punctuation and comments; the formatter needs both, so it parses the same
grammar with ``keep_all_tokens`` and recovers the comments from the gaps between tokens (outside
strings, which cannot span lines, a ``#`` in a gap always starts a comment).
"""

from __future__ import annotations

import functools
import re

import attrs
from lark import Lark, Token, Tree

from policylang.resources import grammar_file
from policylang.source import Source
from policylang.syntax.parser_cache import cached_lark

_COMMENT = re.compile(r"#[^\n]*")


@functools.cache
def _lark() -> Lark:
    return cached_lark(
        grammar_file().read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        keep_all_tokens=True,
    )


@attrs.frozen
class Comment:
    """A ``#`` comment: its text as written and where it starts."""

    text: str
    pos: int
    line: int
    own_line: bool  # nothing but white space before it on its line


@attrs.frozen
class Concrete:
    """A parsed script with its comments, for layout."""

    source: Source
    tree: Tree
    comments: tuple[Comment, ...]

    def text(self, tok: Token) -> str:
        """A token's text: strings as written (full-width quotes kept), everything else folded to ASCII."""
        if tok.type == "STRING":
            return self.source.text[tok.start_pos:tok.end_pos]
        if tok.type == "NAME":  # a bracketed part of a name in full-width brackets, as the checker reads it
            return str(tok.value).replace("(", "（").replace(")", "）")
        return str(tok.value)


def leaves(tree: Tree) -> list[Token]:
    return [t for t in tree.scan_values(lambda v: isinstance(v, Token))]


def concrete(source: Source) -> Concrete:
    """Parse source (which must already be free of syntax errors) keeping every token and comment."""
    tree = _lark().parse(source.folded)
    comments: list[Comment] = []
    pos = 0
    for tok in [*leaves(tree), None]:
        end = tok.start_pos if tok is not None else len(source.text)
        for m in _COMMENT.finditer(source.text, pos, end):
            line_start = source.text.rfind("\n", 0, m.start()) + 1
            own = not source.text[line_start:m.start()].strip()
            line = source.text.count("\n", 0, m.start()) + 1
            comments.append(Comment(m.group().rstrip(), m.start(), line, own))
        if tok is not None:
            pos = tok.end_pos
    return Concrete(source, tree, tuple(comments))
