"""A Pygments lexer for policy scripts; keywords come from the grammar, so highlighting never drifts."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

from pygments.lexer import RegexLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

from policylang.ir.units import UNIT_KIND

_WORD = r"[A-Za-z_\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][A-Za-z_\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]*"


@functools.cache
def _keywords() -> frozenset[str]:
    from policylang.syntax.parser import keywords

    return frozenset(keywords())


def _word(lexer, match):
    """A run of letters is a keyword only when the whole run is one, as in the grammar."""
    word = match.group()
    if word in UNIT_KIND:
        yield match.start(), Keyword.Type, word
    elif word in _keywords():
        yield match.start(), Keyword, word
    else:
        yield match.start(), Name, word


class PolicyLexer(RegexLexer):
    """医保政策脚本 (policylang scripts)."""

    name = "Policy"
    aliases: ClassVar[list[str]] = ["policy", "policylang"]
    filenames: ClassVar[list[str]] = ["*.policy"]
    mimetypes: ClassVar[list[str]] = ["text/x-policy"]
    flags = re.UNICODE

    tokens: ClassVar[dict] = {
        "root": [
            (r"[ \t\r\n\u3000]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"[^"\n]*"|“[^”\n]*”|《[^》\n]*》', String),
            (r"[0-9０-９]{4}(-[0-9０-９]{1,2}){2}|[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日", Number.Other),
            (r"[0-9０-９]+([.．][0-9０-９]+)?", Number),
            (r"[%％]", Keyword.Type),
            (_WORD, _word),
            (r"[=＝/|]", Operator),
            (r"[{}()（）,，;；。:：]", Punctuation),
            (r".", Text),
        ]
    }
