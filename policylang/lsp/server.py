"""The language server: pygls wiring of diagnostics, hover, navigation, completion, formatting,
quick fixes, outline and the test lens. Every request works on the region of the document as typed."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from policylang.lsp import index
from policylang.lsp.actions import quick_fixes
from policylang.lsp.analysis import Analysis, analyse, region_root
from policylang.lsp.complete import completions
from policylang.lsp.convert import diagnostic, location, path_of, uri_of
from policylang.lsp.hover import hover_text
from policylang.lsp.lens import RUN_TEST, TestRun, lenses, run_test
from policylang.lsp.symbols import document_symbols
from policylang.lsp.workspace import workspace_modules, workspace_occurrences
from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse
from policylang.tools.fmt import format_text


class PolicyServer(LanguageServer):
    """Keeps the last analysis of each region and the last run of each test."""

    def __init__(self) -> None:
        super().__init__("policylang", "0.1.0")
        self.analyses: dict[Path, tuple[tuple, Analysis]] = {}
        self.reported: dict[Path, dict[str, list[lsp.Diagnostic]]] = {}  # region root → file URI → found
        self.runs: dict[str, dict[str, TestRun]] = {}

    def buffers(self) -> dict[Path, str]:
        return {path_of(uri): doc.source for uri, doc in self.workspace.text_documents.items()
                if uri.endswith(".policy")}

    def analysis(self, uri: str) -> Analysis | None:
        """The checked region of a saved script; None for a buffer with no file yet (it gets syntax checks only)."""
        path = path_of(uri)
        if not path.is_file():
            return None
        buffers = self.buffers()
        key = tuple(sorted((str(p), hash(t)) for p, t in buffers.items()))
        root = region_root(path)
        cached = self.analyses.get(root)
        if cached is None or cached[0] != key:
            cached = (key, analyse(path, buffers))
            self.analyses[root] = cached
        return cached[1]

    def publish(self, uri: str) -> None:
        """Diagnostics for every file the region reads, so an error in an imported or inherited file shows
        there too. A file read by several regions shows what each of their last analyses found in it."""
        self._send(self._collect(uri), last=uri)

    def publish_with_dependents(self, uri: str) -> None:
        """Check the changed document's region and the other open regions that read the file, then publish."""
        touched = self._collect(uri)
        path, done = path_of(uri), {region_root(path_of(uri))}
        for other in list(self.workspace.text_documents):
            root = region_root(path_of(other))
            cached = self.analyses.get(root)
            if root not in done and cached and path in cached[1].sources():
                done.add(root)
                touched |= self._collect(other)
        self._send(touched, last=uri)

    def _collect(self, uri: str) -> set[str]:
        """Check uri's region and record what it found in each file; returns the files' URIs."""
        analysis = self.analysis(uri)
        if analysis is None:
            doc = self.workspace.get_text_document(uri)
            self.reported[path_of(uri)] = {uri: [diagnostic(d) for d in parse(Source(uri, doc.source))[1]]}
            return {uri}
        found: dict[str, list[lsp.Diagnostic]] = {uri_of(name): [] for name in analysis.checked.unit.sources}
        found.setdefault(uri, [])
        for d in analysis.checked.diagnostics:
            found.setdefault(uri_of(d.span.file) if d.span else uri, []).append(diagnostic(d))
        self.reported[analysis.root] = found
        return set(found)

    def _send(self, uris: set[str], last: str) -> None:
        """Publish the merged findings for each file, the edited document last."""
        for target in sorted(uris, key=lambda u: u == last):
            merged: dict[tuple, lsp.Diagnostic] = {}
            for by_file in self.reported.values():
                for d in by_file.get(target, ()):
                    merged.setdefault((d.code, d.range.start.line, d.range.start.character, d.message), d)
            doc = self.workspace.text_documents.get(target)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(target, list(merged.values()), doc.version if doc else None))

    def folders(self, analysis: Analysis) -> list[Path]:
        """The workspace folders (the region's own folder when the editor opened a single file)."""
        return [path_of(f.uri) for f in self.workspace.folders.values()] or [analysis.root]


server = PolicyServer()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PolicyServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PolicyServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.publish_with_dependents(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PolicyServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.analyses.clear()  # a saved file may be read by regions that are not open (stdlib, an inherited region)
    ls.publish_with_dependents(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PolicyServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.analyses.clear()


def _line(ls: PolicyServer, uri: str, line: int) -> str:
    lines = ls.workspace.get_text_document(uri).lines
    return lines[line].rstrip("\n") if line < len(lines) else ""


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: PolicyServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri, pos = params.text_document.uri, params.position
    analysis = ls.analysis(uri)
    if analysis is None:
        return None
    others = workspace_modules(ls.folders(analysis), ls.buffers())
    text = hover_text(analysis, str(path_of(uri)), pos.line, pos.character, _line(ls, uri, pos.line), others)
    if not text:
        return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text))


def _occurrence(ls: PolicyServer, params) -> tuple[Analysis | None, list[index.Occurrence], index.Occurrence | None]:
    analysis = ls.analysis(params.text_document.uri)
    if analysis is None:
        return None, [], None
    occs = index.occurrences(analysis.modules())
    pos = params.position
    return analysis, occs, index.at(occs, str(path_of(params.text_document.uri)), pos.line, pos.character)


def _linked_file(analysis: Analysis, uri: str, line: int) -> lsp.Location | None:
    """On an 导入 or 继承 line: the file or region it names."""
    module = analysis.module(path_of(uri))
    for item in module.items if module else ():
        if isinstance(item, ast.Import | ast.Inherit) and item.span.line == line + 1:
            unit = analysis.checked.unit
            targets = unit.imported if isinstance(item, ast.Import) else (unit.parent.modules if unit.parent else ())
            for m in targets:
                if isinstance(item, ast.Inherit) or Path(m.file).stem == Path(item.name).stem:
                    return lsp.Location(uri_of(m.file), lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)))
    return None


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PolicyServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    analysis, occs, occ = _occurrence(ls, params)
    if analysis is None:
        return None
    if occ is None:
        linked = _linked_file(analysis, params.text_document.uri, params.position.line)
        return [linked] if linked else None
    return [location(d.span) for d in index.definitions(occs, occ)] or None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: PolicyServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    analysis, occs, occ = _occurrence(ls, params)
    if analysis is None or occ is None:
        return None
    seen, out = set(), []
    for o in index.references([*occs, *workspace_occurrences(ls.folders(analysis), ls.buffers())], occ):
        if o.is_definition and not params.context.include_declaration:
            continue
        key = (str(Path(o.span.file).resolve()), o.span.line, o.span.column)
        if key not in seen:
            seen.add(key)
            out.append(location(o.span))
    return out


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["=", " ", ","]))
def completion(ls: PolicyServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri, pos = params.text_document.uri, params.position
    analysis = ls.analysis(uri)
    prefix = _line(ls, uri, pos.line)[: pos.character]
    return lsp.CompletionList(False, completions(prefix, analysis.modules() if analysis else []))


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PolicyServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    result = format_text(doc.source, str(path_of(doc.uri)))
    if not result.ok or not result.changed:
        return []
    end = lsp.Position(len(doc.lines), 0)
    return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), result.text)]


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: PolicyServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    return quick_fixes(params.text_document.uri, list(params.context.diagnostics))


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def symbols(ls: PolicyServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    module = analysis.module(path_of(uri)) if analysis else None
    return document_symbols(module) if module else []


@server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
def code_lens(ls: PolicyServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    module = analysis.module(path_of(uri)) if analysis else None
    return lenses(uri, module, ls.runs.get(uri, {})) if module else []


@server.command(RUN_TEST)
def run_test_command(ls: PolicyServer, uri: str, name: str) -> dict:
    analysis = ls.analysis(uri)
    if analysis is None:
        result = TestRun(name, False, "请先保存文件 (save the file first)")
    else:
        result = run_test(analysis, path_of(uri), name)
    ls.runs.setdefault(uri, {})[name] = result
    kind = lsp.MessageType.Info if result.passed else lsp.MessageType.Error
    ls.window_show_message(lsp.ShowMessageParams(kind, f"测试“{name}”：{'✓ ' if result.passed else '✗ '}{result.message}"))
    caps = ls.client_capabilities.workspace
    if caps and caps.code_lens and caps.code_lens.refresh_support:
        ls.workspace_code_lens_refresh(None)
    return result.as_json()


def main() -> None:
    """Serve over stdio until the client disconnects."""
    server.start_io()


__all__ = ["PolicyServer", "main", "server"]
