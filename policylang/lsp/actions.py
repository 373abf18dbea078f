"""Quick fixes from the diagnostics' hints: "是否想写“比例”？" replaces the span with 比例."""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from policylang.lsp.convert import SOURCE

_DID_YOU_MEAN = re.compile(r"是否想写\s*(?:“([^”]+)”|([^？?\s]+))\s*[？?]")


def suggestion(hint: str | None) -> str | None:
    m = _DID_YOU_MEAN.search(hint or "")
    return (m.group(1) or m.group(2)) if m else None


def quick_fixes(uri: str, diagnostics: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    out = []
    for d in diagnostics:
        if d.source != SOURCE or not isinstance(d.data, dict):
            continue
        text = suggestion(d.data.get("help"))
        if text is None:
            continue
        edit = lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(d.range, text)]})
        out.append(lsp.CodeAction(title=f"改为“{text}” (replace with {text})", kind=lsp.CodeActionKind.QuickFix,
                                  diagnostics=[d], edit=edit, is_preferred=True))
    return out
