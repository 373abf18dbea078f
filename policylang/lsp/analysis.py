"""One region as the editor sees it: checked with the text of open (unsaved) buffers in place of the files.

The checker reads scripts from disk through the loader; while an analysis runs, the loader's reader is
pointed at the open buffers first, so imports, inheritance and every stage see what the officer typed, and
its parser at a cache, so only the file being typed in is parsed again. (The loader has no parameter for
either yet; `load(path, buffers=…)` would replace this swap.)
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from policylang.api import Checked, check_path
from policylang.diagnostics import Diagnostic
from policylang.resolve import loader
from policylang.resources import stdlib_dir
from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse

_LOCK = threading.Lock()


@attrs.frozen
class _BufferReader:
    """Stands in for Source.read inside the loader: an open buffer's text, else the file on disk."""

    buffers: Mapping[Path, str]

    def read(self, path: Path, display: str | None = None) -> Source:
        text = self.buffers.get(path.resolve())
        if text is None:
            return Source.read(path, display)
        return Source(display or str(path), text.replace("\r\n", "\n").replace("\r", "\n"))


@functools.lru_cache(maxsize=512)
def _parse_once(source: Source) -> tuple[ast.Module | None, tuple[Diagnostic, ...]]:
    """Parsing is most of a check; a file the officer is not typing in parses to the same frozen AST."""
    module, diags = parse(source)
    return module, tuple(diags)


def _cached_parse(source: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
    module, diags = _parse_once(source)
    return module, list(diags)


@contextlib.contextmanager
def _reading_buffers(buffers: Mapping[Path, str]) -> Iterator[None]:
    with _LOCK:
        saved = loader.Source, loader.parse
        loader.Source = _BufferReader(buffers)  # type: ignore[assignment,misc]
        loader.parse = _cached_parse
        try:
            yield
        finally:
            loader.Source, loader.parse = saved


def region_root(path: Path) -> Path:
    """What to check for a script: its region folder, or the file alone (stdlib, or a folder of regions)."""
    path = path.resolve()
    folder = path.parent
    if not path.is_file():
        return path
    if folder == stdlib_dir().resolve() or stdlib_dir().resolve() in folder.parents:
        return path
    if any(d.is_dir() and any(d.glob("*.policy")) for d in folder.iterdir()):
        return path
    return folder


@attrs.frozen
class Analysis:
    """A checked region plus lookups by absolute file path."""

    root: Path
    checked: Checked

    @property
    def policy(self):
        return self.checked.policy

    def sources(self) -> dict[Path, Source]:
        return {Path(name).resolve(): src for name, src in self.checked.unit.sources.items()}

    def modules(self) -> list[ast.Module]:
        """Every module the region sees: its own, imported, and those of the regions it inherits."""
        out: list[ast.Module] = []
        unit = self.checked.unit
        while unit is not None:
            out += [*unit.modules, *unit.imported]
            unit = unit.parent
        return out

    def module(self, path: Path) -> ast.Module | None:
        return next((m for m in self.modules() if Path(m.file).resolve() == path.resolve()), None)

    def display(self, path: Path) -> str | None:
        """The display name the checker uses for path (the key of its spans)."""
        return next((n for n, _ in self.checked.unit.sources.items() if Path(n).resolve() == path.resolve()), None)


def analyse(path: Path, buffers: Mapping[Path, str]) -> Analysis:
    """Check the region of path with the given open buffers (absolute path → text)."""
    root = region_root(path)
    with _reading_buffers({p.resolve(): t for p, t in buffers.items()}):
        checked = check_path(root)
    return Analysis(root, checked)
