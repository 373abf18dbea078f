"""policylang fmt: one canonical layout for scripts, keeping every comment, string and paragraph.

A script that does not parse is returned untouched with its diagnostics. A formatted script must parse
to the same AST as the original (spans aside); the formatter checks that itself, so a layout bug can
leave a file unformatted but never change its meaning.
"""

from __future__ import annotations

import attrs

from policylang.diagnostics import Diagnostic, error
from policylang.source import Source, Span
from policylang.syntax.parser import parse
from policylang.tools.fmt.layout import Printer
from policylang.tools.fmt.tree import concrete


@attrs.frozen
class Formatted:
    """The result of formatting one script: the new text (the original if it could not be formatted)."""

    source: Source
    text: str
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def changed(self) -> bool:
        return self.text != self.source.text

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def format_source(source: Source) -> Formatted:
    """Format one script. Semicolons between statements are dropped unless a statement needs one."""
    module, diags = parse(source)
    if module is None:
        return Formatted(source, source.text, tuple(diags))
    if not source.folded.strip():
        return Formatted(source, source.text if not source.text.strip() else "")
    cst = concrete(source)
    for keep in (False, True):
        text = Printer(cst, keep_semicolons=keep).render()
        if parse(Source(source.path, text))[0] == module:
            return Formatted(source, text)
    msg = "无法安全地格式化此文件（格式化会改变语义），已保持原样 (formatting would change the meaning; left as is)"
    return Formatted(source, source.text, (error("E001", msg, Span.point(source.path, 1, 1)),))


def format_text(text: str, path: str = "<stdin>") -> Formatted:
    return format_source(Source(path, text.replace("\r\n", "\n").replace("\r", "\n")))


__all__ = ["Formatted", "format_source", "format_text"]
