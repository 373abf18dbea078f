"""A path as it was at a git revision, exported into a folder (for `policylang diff --base REV`)."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class GitError(Exception):
    """A git problem, said in Chinese with an English gloss."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as e:
        raise GitError("找不到 git 命令 (git is not installed)") from e


def export_revision(path: Path, rev: str, dest: Path) -> Path | None:
    """Write `path` (a file or folder in a git work tree) as it was at `rev` under dest.

    Returns where it now lies under dest, or None if it did not exist at that revision.
    """
    path = path.resolve()
    here = path if path.is_dir() else path.parent
    while not here.exists():
        here = here.parent
    top = _git(here, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitError(f"{path} 不在 git 仓库中 (not inside a git repository)")
    root = Path(top.stdout.decode().strip()).resolve()
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise GitError(f"未知的 git 版本“{rev}” (unknown git revision)")
    rel = path.relative_to(root).as_posix()
    spec = [] if rel == "." else ["--", rel]
    if spec and not _git(root, "ls-tree", "--name-only", rev, *spec).stdout.strip():
        return None
    archive = _git(root, "archive", "--format=tar", rev, *spec)
    if archive.returncode != 0:
        raise GitError(f"git archive 失败：{archive.stderr.decode(errors='replace').strip()} (git archive failed)")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / rel
