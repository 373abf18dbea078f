"""Every script in the workspace, parsed once per change on disk: where a stdlib name is used by regions."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from policylang.lsp import index
from policylang.resolve.loader import SUFFIX, display_path
from policylang.source import Source
from policylang.syntax.parser import parse

_CACHE: dict[Path, tuple[float, list[index.Occurrence]]] = {}
MAX_SCRIPTS = 2000  # a workspace opened at a drive root must not stall the editor


def _scripts(folders: list[Path]) -> list[Path]:
    out: list[Path] = []
    for folder in folders:
        for path in folder.rglob(f"*{SUFFIX}"):
            if not any(part.startswith(".") or part == "node_modules" for part in path.parts):
                out.append(path.resolve())
            if len(out) >= MAX_SCRIPTS:
                return out
    return out


def workspace_occurrences(folders: list[Path], buffers: Mapping[Path, str]) -> list[index.Occurrence]:
    out: list[index.Occurrence] = []
    for path in _scripts(folders):
        if path in buffers:
            module, _ = parse(Source(display_path(path), buffers[path]))
            out += index.occurrences([module]) if module else []
            continue
        mtime = path.stat().st_mtime
        cached = _CACHE.get(path)
        if cached is None or cached[0] != mtime:
            try:
                module, _ = parse(Source.read(path, display_path(path)))
            except (OSError, UnicodeDecodeError):
                module = None
            cached = (mtime, index.occurrences([module]) if module else [])
            _CACHE[path] = cached
        out += cached[1]
    return out
