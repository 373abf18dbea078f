"""Where a script may read. 继承 and 导入 name regions and scripts, never arbitrary files.

A region may name only what lies under its regions root (the folder holding the region folders), under
any extra root given by the caller, and under stdlib/. Every candidate is resolved first (so `..` and
symlinks are followed) and only then checked to lie inside a root. What is named must be a regular
`.policy` file of at most MAX_SCRIPT_BYTES, or — for 继承 — a region folder with a script of its own.
A refused file is never opened, so its content can never reach a diagnostic.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

import attrs

from policylang.diagnostics import Diagnostic, error
from policylang.resources import stdlib_dir
from policylang.source import UNSAFE_CATEGORIES, Span, printable

SUFFIX = ".policy"
# The largest real script is about 12 KB; 1 MiB leaves room for any region while keeping /dev/zero-like
# inputs and mistakes (a claim table named .policy) from filling memory. Documented in docs/reference.rst.
MAX_SCRIPT_BYTES = 1 << 20

def unsafe_characters(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) in UNSAFE_CATEGORIES]


def name_problem(name: str) -> str | None:
    """Why a region, script or reference name is refused (E062), or None when it is fine."""
    bad = unsafe_characters(name)
    if not bad:
        return None
    shown = "、".join(dict.fromkeys(printable(ch) for ch in bad))
    return f"含有控制字符或不可见字符（{shown}）"


@attrs.frozen
class Roots:
    """The folders a region's scripts may name, resolved: its regions root, extra roots, stdlib/."""

    regions: Path
    extra: tuple[Path, ...] = ()
    stdlib: Path = attrs.field(factory=lambda: stdlib_dir().resolve())

    @classmethod
    def of(cls, path: Path, extra: tuple[Path, ...] = ()) -> Roots:
        """A region folder's regions root is its parent; a single script's is its folder's parent.

        Never the filesystem root: a region right under / (or a script in /tmp) keeps to its own folder.
        """
        real = path.resolve()
        region = real if real.is_dir() else real.parent
        root = region.parent if region.parent != Path(region.anchor) else region
        return cls(root, tuple(r.resolve() for r in extra))

    @property
    def dirs(self) -> tuple[Path, ...]:
        return (self.regions, *self.extra, self.stdlib)

    def contains(self, real: Path) -> bool:
        return any(real == d or real.is_relative_to(d) for d in self.dirs)


def _is_absolute(name: str) -> bool:
    return PurePosixPath(name).is_absolute() or bool(PureWindowsPath(name).drive) or name.startswith("\\")


def is_region(folder: Path) -> bool:
    """A region folder holds a script of its own (looked at one level, never walked)."""
    try:
        return any(e.name.endswith(SUFFIX) for e in os.scandir(folder))
    except OSError:
        return False


def kind_problem(real: Path, folder_ok: bool = False) -> str | None:
    """Why the resolved target is not a script (or, for 继承, a region folder), or None."""
    try:
        info = real.stat()
    except OSError as e:
        return f"无法读取（{type(e).__name__}）"
    if stat.S_ISDIR(info.st_mode):
        if not folder_ok:
            return "是一个目录，导入 只能指向 .policy 脚本"
        return None if is_region(real) else "是一个目录，但其中没有 .policy 脚本，不是地区目录"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（是设备、管道或套接字）"
    if real.suffix != SUFFIX:
        return f"不是 {SUFFIX} 脚本"
    if info.st_size > MAX_SCRIPT_BYTES:
        return f"超过脚本大小上限 {MAX_SCRIPT_BYTES // 1024} KB（{info.st_size // 1024} KB）"
    return None


def resolve_reference(name: str, candidates: list[Path], roots: Roots, span: Span, *,
                      folder_ok: bool, skip: Path | None = None) -> Path | Diagnostic | None:
    """The first candidate that exists, resolved and checked; a located refusal; or None if none exists.

    `folder_ok`: 继承 may name a region folder, 导入 only a script. `skip`: a folder that must not name itself.
    """
    what = "继承" if folder_ok else "导入"
    shown = printable(name)
    if (problem := name_problem(name)) is not None:
        return error("E062", f"{what}的名称“{shown}”{problem}", span)
    if _is_absolute(name):
        return error("E060", f"{what}“{shown}”用了绝对路径，不允许", span)
    for candidate in candidates:
        if not os.path.lexists(candidate):
            continue
        real = candidate.resolve()
        if skip is not None and real == skip:
            continue
        if not roots.contains(real):
            return error("E060", f"{what}“{shown}”指向允许的目录之外", span, _allowed_help(roots))
        if (problem := kind_problem(real, folder_ok)) is not None:
            return error("E061", f"{what}“{shown}”{problem}", span)
        return real
    return None


def _allowed_help(roots: Roots) -> str:
    places = "、".join(printable(os.path.relpath(d)) + "/" for d in (roots.regions, *roots.extra))
    return f"只能引用地区根目录 {places} 与标准库 stdlib/ 中的地区或脚本；不能用 .. 或符号链接指到外面"


class ScriptRefused(Exception):
    """A script path that is not a regular file of at most MAX_SCRIPT_BYTES; str() says why, in Chinese."""


def read_script(path: Path) -> bytes:
    """Read a script without ever blocking or filling memory: a FIFO or device is refused before reading.

    O_NONBLOCK keeps open() of a FIFO from waiting for a writer; fstat of the open descriptor decides.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise ScriptRefused("不是普通文件" if not stat.S_ISDIR(before.st_mode) else "是一个目录")
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ScriptRefused("不是普通文件")
        if info.st_size > MAX_SCRIPT_BYTES:
            raise ScriptRefused(f"超过脚本大小上限 {MAX_SCRIPT_BYTES // 1024} KB")
        chunks, total = [], 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_SCRIPT_BYTES:  # the file grew while being read
                raise ScriptRefused(f"超过脚本大小上限 {MAX_SCRIPT_BYTES // 1024} KB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def regions_under(root: Path) -> list[Path]:
    """The region folders of a root: well named, holding a script, and not a link out of the root."""
    if not root.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for d in root.iterdir():
        real = d.resolve()
        if name_problem(d.name) is None and real.is_relative_to(real_root) and real.is_dir() and is_region(real):
            found.append(real)
    return found
