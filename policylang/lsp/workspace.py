"""Every script in the workspace, parsed once per change on disk: where a stdlib name is used by regions,
which regions override a scheme."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from policylang.lsp import index
from policylang.resolve.loader import SUFFIX, display_path
from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse

_CACHE: dict[Path, tuple[float, ast.Module | None]] = {}
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


def _parsed(path: Path) -> ast.Module | None:
    mtime = path.stat().st_mtime
    cached = _CACHE.get(path)
    if cached is None or cached[0] != mtime:
        try:
            module, _ = parse(Source.read(path, display_path(path)))
        except (OSError, UnicodeDecodeError):
            module = None
        cached = (mtime, module)
        _CACHE[path] = cached
    return cached[1]


def workspace_modules(folders: list[Path], buffers: Mapping[Path, str]) -> list[ast.Module]:
    """The parsed scripts of the workspace folders (open buffers as typed); scripts with errors are left out."""
    out = []
    for path in _scripts(folders):
        module = parse(Source(display_path(path), buffers[path]))[0] if path in buffers else _parsed(path)
        if module is not None:
            out.append(module)
    return out


def workspace_occurrences(folders: list[Path], buffers: Mapping[Path, str]) -> list[index.Occurrence]:
    return index.occurrences(workspace_modules(folders, buffers))


def overrides(modules: list[ast.Module], region: Path, scheme: str, rule: str) -> list[ast.Scheme]:
    """The 覆盖 方案 blocks of regions that inherit region (继承) and replace a rule (起付线, 比例 …) of a scheme."""
    heirs = {Path(m.file).resolve().parent for m in modules for item in m.items
             if isinstance(item, ast.Inherit) and Path(item.name).stem == region.stem}
    return [item for m in modules if Path(m.file).resolve().parent in heirs for item in m.items
            if isinstance(item, ast.Scheme) and item.override and item.name == scheme
            and any(getattr(x, "kind", None) == rule for x in _statements(item))]


def _statements(scheme: ast.Scheme) -> list[object]:
    return [x for b in scheme.body for x in ((b, *b.body) if isinstance(b, ast.Layer) else (b,))]
