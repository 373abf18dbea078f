"""The per-user parser cache (syntax/parser_cache.py): reused when sound, ignored and rebuilt when damaged
or not the user's own, keyed on the grammar, and lexing exactly as the plain `re` module does."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from policylang.source import Source
from policylang.syntax import parser_cache
from policylang.syntax.parser import _lark, parse
from policylang.syntax.parser_cache import cache_folder, cached_lark

ROOT = Path(__file__).resolve().parents[2]
GRAMMAR = r"""
start: item+
item: NAME | NUMBER | "价" NUMBER
NAME: /[a-z\u3400-\u4dbf\u4e00-\u9fff]+/
NUMBER: /[0-9]+/
%ignore " "
"""
TEXT = "ab 12 中文 价 3"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "policylang"


def _lexers(parser):
    lexer = parser.parser.lexer
    return [*lexer.lexers.values(), lexer.root_lexer]


def _build(grammar: str = GRAMMAR):
    """A parser from the cache, after parsing TEXT (which compiles its lexers' expressions), and its cache."""
    parser = cached_lark(grammar, parser="lalr", lexer="contextual")
    tree = parser.parse(TEXT)
    return parser, tree, _lexers(parser)[-1].re


def _files(folder: Path) -> list[str]:
    return sorted(p.name.split("-")[0] for p in folder.iterdir())


def test_second_start_reads_the_tables_and_the_compiled_expressions(own_cache) -> None:
    _, tree, cache = _build()
    assert cache.added
    cache.save()
    assert _files(own_cache) == ["lark", "lexer"]
    assert oct(own_cache.stat().st_mode & 0o777) == "0o700"
    _, again, cache2 = _build()
    assert again == tree
    assert cache2.kept and not cache2.added  # every expression came from the file


@pytest.mark.parametrize("damage", ["garbage", "wrong key", "bad code"])
def test_a_damaged_file_is_ignored_and_rewritten(own_cache, damage) -> None:
    _, tree, cache = _build()
    cache.save()
    lexer_file = next(own_cache.glob("lexer-*.json"))
    tables = next(own_cache.glob("lark-*.pickle"))
    data = json.loads(lexer_file.read_text(encoding="utf-8"))
    if damage == "garbage":
        lexer_file.write_text("{not json", encoding="utf-8")
        tables.write_bytes(b"not a pickle")
    elif damage == "wrong key":
        data["key"] = "another grammar"
        lexer_file.write_text(json.dumps(data), encoding="utf-8")
    else:
        for entry in data["compiled"].values():
            entry[1] = [99999] * len(entry[1])  # code words _sre rejects
        lexer_file.write_text(json.dumps(data), encoding="utf-8")
    _, again, cache2 = _build()
    assert again == tree
    assert cache2.added
    cache2.save()
    assert json.loads(lexer_file.read_text(encoding="utf-8"))["key"] == cache2.key


def test_a_file_others_may_write_or_a_link_is_never_read(own_cache, tmp_path) -> None:
    _, tree, cache = _build()
    cache.save()
    lexer_file = next(own_cache.glob("lexer-*.json"))
    lexer_file.chmod(0o666)
    _, _, cache2 = _build()
    assert cache2.added and not lexer_file.exists()  # removed; every expression compiled afresh
    cache2.save()
    outside = tmp_path / "planted.json"
    outside.write_text(lexer_file.read_text(encoding="utf-8"), encoding="utf-8")
    lexer_file.unlink()
    os.symlink(outside, lexer_file)
    _, again, cache3 = _build()
    assert again == tree and cache3.added and not lexer_file.is_symlink() and outside.exists()


def test_a_home_that_cannot_be_written_uses_a_folder_of_the_users_own_in_tmp(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(parser_cache.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    assert cache_folder() == tmp_path / "tmp" / f"policylang-{os.getuid()}"
    (tmp_path / "tmp" / f"policylang-{os.getuid()}").chmod(0o777)  # as if planted by someone else
    assert cache_folder() is None


def test_a_folder_others_may_write_is_not_used(own_cache) -> None:
    own_cache.mkdir(parents=True)
    own_cache.chmod(0o777)
    assert cache_folder() is None
    _, tree, _ = _build()  # built without a cache
    assert tree.data == "start" and list(own_cache.iterdir()) == []


def test_a_grammar_change_makes_new_files(own_cache) -> None:
    _build()[2].save()
    first = sorted(p.name for p in own_cache.iterdir())
    _build(GRAMMAR + '\nOTHER: "x"\n')[2].save()
    names = sorted(p.name for p in own_cache.iterdir())
    assert len(names) == 4 and set(first) <= set(names)


def test_the_language_parses_the_same_with_and_without_the_compiled_cache() -> None:
    """Every region and vocabulary script: the same AST and diagnostics when the lexers compile with `re`."""
    parser = _lark()
    scripts = [Source.read(p) for p in sorted([*(ROOT / "regions").rglob("*.policy"),
                                              *(ROOT / "tests" / "vocabulary").rglob("*.policy")])]
    assert scripts
    lexers = {id(x): x for x in parser.parser.lexer.lexer.lexers.values()}
    assert all(x.re is not re for x in lexers.values())  # the cache is in use
    cached = [parse(s) for s in scripts]
    saved = {k: (x.re, x._scanner) for k, x in lexers.items()}
    try:
        for x in lexers.values():
            x.re, x._scanner = re, None
        assert [parse(s) for s in scripts] == cached
    finally:
        for k, x in lexers.items():
            x.re, x._scanner = saved[k]
