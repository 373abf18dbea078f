"""继承 / 导入 read only scripts: one regression test per class of path a script must not reach.

Every test runs under a short alarm: a refusal must come from looking at the path, never from reading it
(a FIFO would block, /dev/zero would fill memory, "/" would be walked).
"""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from policylang.api import Regions, check_path
from policylang.diagnostics import render_all
from policylang.resolve.confine import MAX_SCRIPT_BYTES
from policylang.resolve.loader import load

HEAD = '地区 甲市\n依据 《甲市办法》\n导入 "enums"\n方案 门诊 {\n    比例 80%\n}\n'
SECRET = "TOKEN=do-not-print-me"


@pytest.fixture(autouse=True)
def _quick() -> Iterator[None]:
    """Fail (instead of hanging the suite) if any check takes more than a few seconds."""

    def stop(signum, frame):
        raise TimeoutError("path resolution blocked or walked too far")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A regions root with one region 'a' whose script the tests extend, and a secret file outside it."""
    (tmp_path / "regions" / "a").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.policy").write_text(f"# {SECRET}\n地区 外\n", encoding="utf-8")
    (tmp_path / "outside" / "env.txt").write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path / "regions"


def _check(root: Path, lines: str) -> tuple[list[tuple[str, int]], str]:
    """Check region 'a' with extra statements; the (code, line) of each error and the rendered output."""
    (root / "a" / "rules.policy").write_text(lines + HEAD, encoding="utf-8")
    checked = check_path(root / "a")
    text = render_all(checked.diagnostics, checked.unit.sources)
    assert SECRET not in text
    return [(d.code, d.span.line if d.span else 0) for d in checked.diagnostics if d.is_error], text


@pytest.mark.parametrize("line", ['继承 "/proc/self/environ"', '继承 "/"', '继承 "/dev/stdin"', '继承 "/dev/zero"',
                                  '继承 "/etc"', '导入 "/etc/passwd"', '导入 "/proc/self/environ"'])
def test_absolute_paths_are_refused_at_the_statement(root: Path, line: str) -> None:
    errors, text = _check(root, line + "\n")
    assert errors == [("E060", 1)]
    assert "a/rules.policy:1:1" in text and "绝对路径" in text and "(reference outside the allowed folders)" in text
    assert "root:" not in text and "PATH=" not in text


def test_dotdot_out_of_the_roots_is_refused_but_inside_is_allowed(root: Path) -> None:
    assert _check(root, '继承 "../outside/secret"\n')[0] == [("E060", 1)]
    assert _check(root, '导入 "../../outside/secret"\n')[0] == [("E060", 1)]
    (root / "b").mkdir()
    (root / "b" / "shared.policy").write_text('枚举 额外 { 甲 乙 }\n', encoding="utf-8")
    assert _check(root, '导入 "../b/shared"\n')[0] == []  # stays under the regions root


def test_symlinks_escaping_the_roots_are_refused(root: Path) -> None:
    (root / "sneaky").symlink_to(root.parent / "outside")
    assert _check(root, "继承 sneaky\n")[0] == [("E060", 1)]
    (root / "a" / "passwd.policy").symlink_to("/etc/passwd")
    errors, text = _check(root, "")
    assert errors == [("E060", 0)] and "passwd.policy" in text and "root:" not in text
    (root / "a" / "passwd.policy").unlink()
    (root / "a" / "zero.policy").symlink_to("/dev/zero")
    assert _check(root, '导入 "zero"\n')[0] == [("E060", 0), ("E060", 1)]


def test_a_link_inside_the_roots_is_followed(root: Path) -> None:
    (root / "b").mkdir()
    (root / "b" / "shared.policy").write_text('枚举 额外 { 甲 乙 }\n', encoding="utf-8")
    (root / "a" / "link.policy").symlink_to(root / "b" / "shared.policy")
    assert _check(root, "")[0] == []


def test_directories_that_are_not_regions_are_refused_without_walking(root: Path) -> None:
    deep = root / "notregion" / "x" / "y"
    deep.mkdir(parents=True)
    (deep / "stray.policy").write_text("这不是脚本 {\n", encoding="utf-8")
    assert _check(root, "继承 notregion\n")[0] == [("E061", 1)]
    assert _check(root, '继承 "."\n')[0] == [("E061", 1)]  # the regions root itself
    (root / "a" / "sub").mkdir()
    errors, text = _check(root, '导入 "sub"\n')
    assert errors == [("E061", 1)] and "是一个目录" in text


def test_fifos_are_refused_without_blocking(root: Path) -> None:
    os.mkfifo(root / "a" / "pipe.policy")
    errors, text = _check(root, '导入 "pipe"\n')
    assert errors == [("E061", 0), ("E061", 1)] and "不是普通文件" in text
    os.unlink(root / "a" / "pipe.policy")
    os.mkfifo(root / "fifo")
    assert _check(root, "继承 fifo\n")[0] == [("E061", 1)]
    assert [d.code for d in check_path(root / "fifo").diagnostics] == ["E018"]  # named on the command line


def test_devices_are_refused(root: Path) -> None:
    try:
        os.mknod(root / "zero.policy", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here")
    assert _check(root, "继承 zero\n")[0] == [("E061", 1)]


def test_oversized_files_are_refused_unread(root: Path) -> None:
    big = root / "a" / "big.policy"
    with big.open("wb") as f:
        f.truncate(MAX_SCRIPT_BYTES + 1)  # sparse: costs nothing, would be 1 MiB of NULs if read
    errors, text = _check(root, '导入 "big"\n')
    assert errors == [("E061", 0), ("E061", 1)] and "大小上限 1024 KB" in text
    big.unlink()
    (root / "huge.policy").write_bytes(b"#" * (MAX_SCRIPT_BYTES + 1))
    assert [d.code for d in check_path(root / "huge.policy").diagnostics] == ["E018"]


def test_files_that_are_not_scripts_are_refused_and_never_echoed(root: Path) -> None:
    (root / "a" / "secret.txt").write_text(SECRET + "\n方案 {\n", encoding="utf-8")
    errors, text = _check(root, '导入 "secret.txt"\n')
    assert errors == [("E061", 1)] and "不是 .policy 脚本" in text
    (root / "a" / "secret.txt").rename(root / "a" / "secret")
    assert _check(root, '导入 "secret"\n')[0] == [("E061", 1)]


def test_control_characters_in_names_are_refused(root: Path) -> None:
    errors, text = _check(root, '继承 "a\x1b[31mb"\n')
    headline = text.splitlines()[0]
    assert errors == [("E062", 1)] and "\x1b" not in headline and "“a\\x1b[31mb”" in headline
    evil = root / "b\n.. raw:: html"
    evil.mkdir()
    (evil / "rules.policy").write_text(HEAD, encoding="utf-8")
    checked = check_path(evil)
    assert [d.code for d in checked.diagnostics] == ["E062"]
    assert "\n.. raw" not in checked.diagnostics[0].message and "\\n.. raw" in checked.diagnostics[0].message
    assert "\n" not in checked.unit.root


def test_extra_roots_may_be_named(root: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "base"
    shared.mkdir(parents=True)
    (shared / "rules.policy").write_text(HEAD.replace("甲市", "基础"), encoding="utf-8")
    (root / "a" / "rules.policy").write_text("继承 base\n" + '地区 甲市\n依据 《甲市办法》\n', encoding="utf-8")
    assert [d.code for d in load(root / "a").diagnostics] == ["E055"]
    unit = load(root / "a", extra_roots=(tmp_path / "shared",))
    assert unit.diagnostics == () and unit.parent is not None


def test_the_cross_region_registry_ignores_links_out_and_bad_names(root: Path) -> None:
    (root / "a" / "rules.policy").write_text(HEAD, encoding="utf-8")
    (root / "out").symlink_to(root.parent / "outside")
    (root / "b\tc").mkdir()
    (root / "b\tc" / "rules.policy").write_text(HEAD, encoding="utf-8")
    assert [d.name for d in Regions([root]).dirs] == ["a"]


def test_the_filesystem_root_is_never_a_regions_root(tmp_path: Path) -> None:
    from policylang.resolve.confine import Roots

    assert Roots.of(Path("/tmp/x.policy")).regions == Path("/tmp").resolve()
    assert Roots.of(Path("/srv")).regions == Path("/srv").resolve()
    assert Roots.of(tmp_path / "a" / "x.policy").regions == tmp_path.resolve()
