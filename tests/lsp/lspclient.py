"""Helpers for the language server tests: paths, URIs, opening and changing documents, waiting for diagnostics."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

if TYPE_CHECKING:
    from pytest_lsp import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "policylang.lsp"]  # what the VS Code extension runs


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    doc_uri = uri(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    client.diagnostics.pop(doc_uri, None)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(doc_uri, "policy", version, text)))
    return doc_uri


def change_doc(client: LanguageClient, doc_uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(doc_uri, None)
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version, doc_uri), [lsp.TextDocumentContentChangeWholeDocument(text)]))


async def diagnostics_for(client: LanguageClient, doc_uri: str, timeout: float = 20.0) -> list[lsp.Diagnostic]:
    """Wait for the diagnostics published after the last open or change of the document."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while doc_uri not in client.diagnostics:
        if loop.time() > deadline:
            raise AssertionError(f"no diagnostics for {doc_uri}")
        await asyncio.sleep(0.02)
    return list(client.diagnostics[doc_uri])


def position_of(text: str, needle: str, offset: int = 0) -> lsp.Position:
    """The 0-based position of needle (plus offset characters) in text."""
    i = text.index(needle) + offset
    line = text.count("\n", 0, i)
    return lsp.Position(line, i - (text.rfind("\n", 0, i) + 1))
