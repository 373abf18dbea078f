"""Spans and diagnostics in LSP terms: 0-based lines and characters, URIs, severities, quick-fix data."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path

from policylang.diagnostics import CODES, Diagnostic
from policylang.source import Span

SOURCE = "policylang"


def uri_of(path: Path | str) -> str:
    return from_fs_path(str(Path(path).resolve())) or ""


def path_of(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri).resolve()


def span_range(span: Span | None) -> lsp.Range:
    if span is None:
        return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1))
    start = lsp.Position(span.line - 1, span.column - 1)
    end = lsp.Position(span.end_line - 1, max(span.end_column - 1, 0))
    if (end.line, end.character) <= (start.line, start.character):
        end = lsp.Position(start.line, start.character + 1)
    return lsp.Range(start, end)


def contains(span: Span, line: int, character: int) -> bool:
    """Whether a 0-based LSP position falls inside a span (its end included, for the cursor after a word)."""
    pos = (line + 1, character + 1)
    return (span.line, span.column) <= pos <= (span.end_line, span.end_column)


def location(span: Span) -> lsp.Location:
    return lsp.Location(uri_of(span.file), span_range(span))


def diagnostic(d: Diagnostic) -> lsp.Diagnostic:
    """The same code, message, span and hint as `policylang check` prints."""
    code = CODES[d.code]
    hint = d.help or code.fix
    return lsp.Diagnostic(
        range=span_range(d.span),
        message=f"{d.message} ({code.gloss})\n提示: {hint}",
        severity=lsp.DiagnosticSeverity.Error if d.is_error else lsp.DiagnosticSeverity.Warning,
        code=d.code,
        source=SOURCE,
        data={"help": d.help} if d.help else None,
    )


def path_of_display(name: str) -> Path:
    """A span's file (the checker's display path, relative to the working folder) as an absolute path."""
    return Path(name).resolve()
