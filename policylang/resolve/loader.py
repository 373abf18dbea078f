"""Find a region's scripts, read and parse them, and resolve 导入 and 继承 — only inside the allowed roots."""

from __future__ import annotations

from pathlib import Path

import attrs

from policylang.diagnostics import Diagnostic, error
from policylang.resolve.confine import (
    SUFFIX,
    Roots,
    ScriptRefused,
    kind_problem,
    name_problem,
    read_script,
    resolve_reference,
)
from policylang.resources import stdlib_dir
from policylang.source import Source, Span, display_path, printable
from policylang.syntax import ast
from policylang.syntax.parser import parse

__all__ = ["DISK", "SUFFIX", "Reader", "Unit", "display_path", "load", "region_dirs"]


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


@attrs.frozen
class Reader:
    """How the loader gets a script's text and its syntax tree: from disk, parsed afresh (the default).

    An editor passes its own reader (open, unsaved buffers in place of files; a parse cache), so imports,
    inheritance and every later stage see what the officer typed — without touching the files."""

    def source(self, path: Path, shown: str) -> Source:
        """The confined script at path (ScriptRefused, OSError or UnicodeDecodeError when it cannot be read)."""
        return Source.from_bytes(read_script(path), shown)

    def parse(self, src: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
        return parse(src)


DISK = Reader()


def _read(path: Path, sources: dict[str, Source], diags: list[Diagnostic], reader: Reader) -> ast.Module | None:
    shown = display_path(path)
    if shown in sources:
        return None
    try:
        src = reader.source(path, shown)
    except ScriptRefused as e:
        diags.append(error("E018", f"文件无法读取：{shown}（{e}）", Span.point(shown, 1, 1)))
        return None
    except (OSError, UnicodeDecodeError) as e:
        diags.append(error("E018", f"文件无法读取：{shown}（{type(e).__name__}）", Span.point(shown, 1, 1)))
        return None
    sources[shown] = src
    module, found = reader.parse(src)
    diags.extend(found)
    return module


def _scripts(folder: Path, roots: Roots, diags: list[Diagnostic]) -> list[Path]:
    """A region folder's scripts; badly named ones, links out of the roots and non-files are refused."""
    out = []
    for f in sorted(folder.rglob(f"*{SUFFIX}")):
        rel = f.relative_to(folder).as_posix()
        real = f.resolve()
        if (problem := name_problem(rel)) is not None:
            diags.append(error("E062", f"脚本文件名“{printable(rel)}”{problem}", None, "给文件改一个只含可见字符的名称。"))
        elif not roots.contains(real):
            diags.append(error("E060", f"脚本 {display_path(f)} 是指向允许的目录之外的链接", None))
        elif (problem := kind_problem(real)) is not None:
            diags.append(error("E061", f"脚本 {display_path(f)} {problem}", None))
        else:
            out.append(f)
    return out


def _import_candidates(name: str, importer: Path) -> list[Path]:
    return [importer.parent / name, importer.parent / f"{name}{SUFFIX}",
            stdlib_dir() / name, stdlib_dir() / f"{name}{SUFFIX}"]


def _parent_candidates(name: str, importer: Path, roots: Roots) -> list[Path]:
    """A sibling region first, then a script beside the importer, a region under an extra root, stdlib/."""
    region = importer.parent
    extra = [p for r in roots.extra for p in (r / name, r / f"{name}{SUFFIX}")]
    return [region.parent / name, region / name, region / f"{name}{SUFFIX}", region.parent / f"{name}{SUFFIX}",
            *extra, stdlib_dir() / name, stdlib_dir() / f"{name}{SUFFIX}"]


def load(path: Path, extra_roots: tuple[Path, ...] = (), reader: Reader = DISK) -> Unit:
    """Load a region: one script, or every *.policy file of a folder (its tests included).

    继承 and 导入 may name regions under the region's own regions root, under `extra_roots`, and stdlib/.
    `reader` supplies each script's text and syntax tree (an editor's open buffers; disk by default).
    """
    return _load(path, (), Roots.of(path, extra_roots), reader)


def _load(path: Path, chain: tuple[Path, ...], roots: Roots, reader: Reader) -> Unit:
    sources: dict[str, Source] = {}
    diags: list[Diagnostic] = []
    if (problem := name_problem(path.name)) is not None:
        diags.append(error("E062", f"地区或脚本的名称“{printable(path.name)}”{problem}", None,
                           "给目录或文件改一个只含可见字符的名称。"))
        files = []
    elif path.is_dir():
        files = _scripts(path, roots, diags)
    elif path.exists():
        files = [path]
    else:
        diags.append(error("E018", f"文件或目录不存在：{display_path(path)}", None))
        files = []
    modules = [m for f in files if (m := _read(f, sources, diags, reader)) is not None]
    imported: list[ast.Module] = []
    queue = [(m, Path(m.file)) for m in modules]
    while queue:
        module, file = queue.pop(0)
        for item in module.items:
            if not isinstance(item, ast.Import):
                continue
            target = resolve_reference(item.name, _import_candidates(item.name, file), roots, item.span,
                                       folder_ok=False)
            if target is None:
                diags.append(error("E014", f"找不到要导入的“{printable(item.name)}”", item.span,
                                   f"标准库位于 {display_path(stdlib_dir())}/"))
                continue
            if isinstance(target, Diagnostic):
                diags.append(target)
                continue
            m = _read(target, sources, diags, reader)
            if m is not None:
                imported.append(m)
                queue.append((m, target))
    parent = _load_parent(modules, (*chain, path.resolve()), roots, reader, sources, diags)
    return Unit(display_path(path), tuple(modules), tuple(imported), sources, tuple(diags), parent)


def _load_parent(modules: list[ast.Module], chain: tuple[Path, ...], roots: Roots, reader: Reader,
                 sources: dict[str, Source], diags: list[Diagnostic]) -> Unit | None:
    inherits = [i for m in modules for i in m.items if isinstance(i, ast.Inherit)]
    for extra in inherits[1:]:
        diags.append(error("E008", "重复定义：一个地区只能继承一个地区或模板", extra.span,
                           related=(("首次定义在此 (first defined here)", inherits[0].span),)))
    if not inherits:
        return None
    item = inherits[0]
    importer = Path(item.span.file)
    target = resolve_reference(item.name, _parent_candidates(item.name, importer, roots), roots, item.span,
                               folder_ok=True, skip=importer.parent.resolve())
    if target is None:
        diags.append(error("E055", f"找不到要继承的“{printable(item.name)}”", item.span,
                           "继承同级地区目录（如 suizhou）或标准库中的模板"))
        return None
    if isinstance(target, Diagnostic):
        diags.append(target)
        return None
    if target in chain:
        diags.append(error("E054", f"继承形成循环：{printable(item.name)}", item.span))
        return None
    parent = _load(target, chain, roots, reader)
    sources.update(parent.sources)
    diags.extend(parent.diagnostics)
    return parent
