"""The parser's start-up, cached per user: Lark's tables and the lexer's compiled regular expressions.

Lark's `cache=` option keeps the LALR tables, but even from that cache every process compiled the
contextual lexer's terminal unions again, one per parser state met (about 0.3 s on a region: Python's
`re` compiler spends it on the large CJK character classes of NAME). A compiled expression is data: the
`re` module's code words, which `re.compile` itself hands to `_sre.compile`. They are kept in a JSON file
and handed to `_sre.compile` on the next start (which validates them); new ones are added at exit.

Safety: both files live in a per-user folder ($XDG_CACHE_HOME or ~/.cache, then policylang/; if the home
cannot be written, policylang-UID in the temporary folder), created 0700; a folder or file that is not the user's own, or that others may write, is never read (Lark's file is
a pickle) and such a file is replaced. Their names carry a hash of the grammar, the options and the Lark and
Python versions, so a change of any of them makes new files; the JSON carries that key inside too, and a
file that does not parse or whose code `_sre` rejects is ignored and rewritten. Files are written under a
temporary name and renamed. Whatever goes wrong, the parser is built as it would be without the cache.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import lark
from lark import Lark

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # another Python implementation: no cache of compiled expressions
    _sre = None  # type: ignore[assignment]

__all__ = ["cache_folder", "cached_lark"]

_FORMAT = 1  # of the JSON file


def cache_folder() -> Path | None:
    """The user's cache folder for policylang, made 0700 if new: under $XDG_CACHE_HOME or ~/.cache, else (a
    home that cannot be written) policylang-UID in the temporary folder; None if neither is safely the
    user's own."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (Path(base) / "policylang", Path(tempfile.gettempdir()) / f"policylang-{os.getuid()}"):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        return folder if _own(folder) else None
    return None


def _own(path: Path) -> bool:
    """A real file or folder (no link) of this user that no one else may write."""
    try:
        info = path.lstat()
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)
    return kind_ok and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _key(grammar: str, options: dict[str, Any]) -> str:
    shown = {k: (type(v).__qualname__ if k == "postlex" else v) for k, v in sorted(options.items())}
    text = "\n".join([grammar, repr(shown), lark.__version__, sys.version, str(_FORMAT)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def _usable(path: Path) -> bool:
    """A cache file that may be read: the user's own; anything else in its place is removed."""
    if not os.path.lexists(path):
        return False
    if _own(path):
        return True
    with contextlib.suppress(OSError):
        path.unlink()
    return False


def cached_lark(grammar: str, **options: Any) -> Lark:
    """Lark(grammar, **options), its tables and its lexer's compiled expressions cached per user."""
    folder = cache_folder()
    if folder is None:
        return Lark(grammar, **options)
    key = _key(grammar, options)
    tables = folder / f"lark-{key}.pickle"
    _usable(tables)  # what is not the user's own is removed; Lark reads the file, or builds and writes it
    parser = Lark(grammar, cache=str(tables), **options)  # (Lark keys its file on this path too: no renaming)
    _CompiledCache(folder / f"lexer-{key}.json", key).install(parser)
    return parser


class _CompiledCache:
    """Stands in for the `re` module in Lark's lexers: compile() from the kept code words when it can."""

    error = re.error

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key = path, key
        self.kept: dict[str, list] = self._load()
        self.added = False

    def _load(self) -> dict[str, list]:
        if not _usable(self.path):
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("key") != self.key or not isinstance(data.get("compiled"), dict):
                return {}
            return data["compiled"]
        except (OSError, ValueError, AttributeError):
            return {}

    def install(self, parser: Lark) -> None:
        """Give every lexer of the parser this cache as its `re` (Lark builds their scanners lazily)."""
        lexer = getattr(parser.parser, "lexer", None)
        lexer = getattr(lexer, "lexer", lexer)  # inside a PostLexConnector
        lexers = [*getattr(lexer, "lexers", {}).values(), getattr(lexer, "root_lexer", None)]
        lexers = [x for x in lexers if x is not None and getattr(x, "re", None) is re]
        if not lexers or not _sre_compile_works():
            return
        for x in lexers:
            x.re = self
        atexit.register(self.save)

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern:
        entry = self.kept.get(f"{int(flags)}:{pattern}")
        if entry is not None:
            try:
                return _sre.compile(pattern, *entry[:3], entry[3], tuple(entry[4]))
            except Exception:  # a damaged entry: compile it afresh
                pass
        compiled, entry = _compile(pattern, int(flags))
        if entry is not None:
            self.kept[f"{int(flags)}:{pattern}"] = entry
            self.added = True
        return compiled

    @staticmethod
    def match(pattern: str, text: str, flags: int = 0) -> re.Match | None:
        return re.match(pattern, text, flags)

    def save(self) -> None:
        """Write the file again if this process compiled new expressions."""
        if not self.added:
            return
        staged = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            staged.write_text(json.dumps({"key": self.key, "compiled": self.kept}, ensure_ascii=False),
                              encoding="utf-8")
            os.replace(staged, self.path)
        except OSError:
            staged.unlink(missing_ok=True)


def _compile(pattern: str, flags: int) -> tuple[re.Pattern, list | None]:
    """What re.compile does (re/_compiler.py compile), keeping the code words: (pattern, entry or None)."""
    if _sre is None:
        return re.compile(pattern, flags), None
    try:
        parsed = _parser.parse(pattern, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = [int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, indexgroup]
        return _sre.compile(pattern, *entry[:3], groupindex, tuple(indexgroup)), entry
    except re.error:
        raise
    except Exception:  # internals not as expected: the plain compile, no caching
        return re.compile(pattern, flags), None


def _sre_compile_works() -> bool:
    """Whether this Python's internals are the ones _compile copies: the same expression both ways."""
    probe = r"(?P<A>[a-z\u4e00-\u9fff]+)|(?P<B>[0-9]+(?=x))"
    compiled, entry = _compile(probe, 0)
    reference = re.compile(probe)
    return entry is not None and compiled.pattern == reference.pattern and compiled.groupindex == \
        reference.groupindex and [m.lastgroup for m in compiled.finditer("ab12x中")] == \
        [m.lastgroup for m in reference.finditer("ab12x中")]
