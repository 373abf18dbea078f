"""One region as the editor sees it: checked with the text of open (unsaved) buffers in place of the files.

The checker is given a loader `Reader` that reads the open buffers first, so imports, inheritance and every
stage see what the officer typed, and parses through a cache, so only the file being typed in is parsed again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import attrs

from policylang.api import Checked, check_path
from policylang.diagnostics import Diagnostic
from policylang.resolve.loader import Reader
from policylang.resources import stdlib_dir
from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse


@functools.lru_cache(maxsize=512)
def _parse_once(source: Source) -> tuple[ast.Module | None, tuple[Diagnostic, ...]]:
    """Parsing is most of a check; a file the officer is not typing in parses to the same frozen AST."""
    module, diags = parse(source)
    return module, tuple(diags)


@attrs.frozen
class BufferReader(Reader):
    """An open buffer's text in place of its file (unsaved edits included), else the file on disk."""

    buffers: Mapping[Path, str]

    def source(self, path: Path, shown: str) -> Source:
        text = self.buffers.get(path.resolve())
        if text is None:
            return super().source(path, shown)
        return Source(shown, text.replace("\r\n", "\n").replace("\r", "\n"))

    def parse(self, src: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
        module, diags = _parse_once(src)
        return module, list(diags)


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
    checked = check_path(root, BufferReader({p.resolve(): t for p, t in buffers.items()}))
    return Analysis(root, checked)
