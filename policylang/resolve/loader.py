"""Find a region's scripts, read and parse them, and resolve imports from stdlib/."""

from __future__ import annotations

from pathlib import Path

import attrs

from policylang.diagnostics import Diagnostic, error
from policylang.resources import stdlib_dir
from policylang.source import Source, Span, display_path
from policylang.syntax import ast
from policylang.syntax.parser import parse

SUFFIX = ".policy"


@attrs.frozen
class Unit:
    """A region as loaded: its own modules, the modules it imports, every source, every diagnostic."""

    root: str
    modules: tuple[ast.Module, ...]
    imported: tuple[ast.Module, ...]
    sources: dict[str, Source] = attrs.field(eq=False)
    diagnostics: tuple[Diagnostic, ...]
    parent: Unit | None = None  # the region this one inherits (继承), already loaded


def region_dirs(paths: list[Path]) -> list[Path]:
    """Expand the paths a user gives: a file or a region folder as is; a folder of regions into its regions."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not any(p.glob(f"*{SUFFIX}")):
            out.extend(sorted(d for d in p.iterdir() if d.is_dir() and any(d.rglob(f"*{SUFFIX}"))))
        else:
            out.append(p)
    return out


def _read(path: Path, sources: dict[str, Source], diags: list[Diagnostic]) -> ast.Module | None:
    shown = display_path(path)
    if shown in sources:
        return None
    try:
        src = Source.read(path, shown)
    except (OSError, UnicodeDecodeError) as e:
        diags.append(error("E018", f"文件无法读取：{shown}（{type(e).__name__}）", Span.point(shown, 1, 1)))
        return None
    sources[shown] = src
    module, found = parse(src)
    diags.extend(found)
    return module


def _resolve_import(name: str, importer: Path) -> Path | None:
    candidates = [importer.parent / name, importer.parent / f"{name}{SUFFIX}",
                  stdlib_dir() / name, stdlib_dir() / f"{name}{SUFFIX}"]
    return next((c for c in candidates if c.is_file()), None)


def _resolve_parent(name: str, importer: Path) -> Path | None:
    region = importer.parent
    candidates = [region.parent / name, importer.parent / name, importer.parent / f"{name}{SUFFIX}",
                  region.parent / f"{name}{SUFFIX}", stdlib_dir() / name, stdlib_dir() / f"{name}{SUFFIX}"]
    return next((c for c in candidates if c.exists() and c.resolve() != region.resolve()), None)


def load(path: Path, _chain: tuple[Path, ...] = ()) -> Unit:
    """Load a region: one script, or every *.policy file of a folder (its tests included)."""
    sources: dict[str, Source] = {}
    diags: list[Diagnostic] = []
    if path.is_dir():
        files = sorted(path.rglob(f"*{SUFFIX}"))
    elif path.exists():
        files = [path]
    else:
        shown = display_path(path)
        diags.append(error("E018", f"文件或目录不存在：{shown}", None))
        files = []
    modules = [m for f in files if (m := _read(f, sources, diags)) is not None]
    imported: list[ast.Module] = []
    queue = [(m, Path(m.file)) for m in modules]
    while queue:
        module, file = queue.pop(0)
        for item in module.items:
            if not isinstance(item, ast.Import):
                continue
            target = _resolve_import(item.name, file)
            if target is None:
                diags.append(error("E014", f"找不到要导入的“{item.name}”", item.span,
                                   f"标准库位于 {display_path(stdlib_dir())}/"))
                continue
            m = _read(target, sources, diags)
            if m is not None:
                imported.append(m)
                queue.append((m, target))
    parent = _load_parent(modules, path, (*_chain, path.resolve()), sources, diags)
    return Unit(display_path(path), tuple(modules), tuple(imported), sources, tuple(diags), parent)


def _load_parent(modules: list[ast.Module], path: Path, chain: tuple[Path, ...], sources: dict[str, Source],
                 diags: list[Diagnostic]) -> Unit | None:
    inherits = [i for m in modules for i in m.items if isinstance(i, ast.Inherit)]
    for extra in inherits[1:]:
        diags.append(error("E008", "重复定义：一个地区只能继承一个地区或模板", extra.span,
                           related=(("首次定义在此 (first defined here)", inherits[0].span),)))
    if not inherits:
        return None
    item = inherits[0]
    target = _resolve_parent(item.name, Path(item.span.file))
    if target is None:
        diags.append(error("E055", f"找不到要继承的“{item.name}”", item.span,
                           "继承同级地区目录（如 suizhou）或标准库中的模板"))
        return None
    if target.resolve() in chain:
        diags.append(error("E054", f"继承形成循环：{item.name}", item.span))
        return None
    parent = load(target, chain)
    sources.update(parent.sources)
    diags.extend(parent.diagnostics)
    return parent
