"""Where `batch` writes: paths that must not collide, and OUT + rejects committed as one unit.

The guarantee (documented in README.md, 批量结算): after a run, OUT and its rejects file are either both the
new ones or both the old ones. Both are written completely under temporary names beside their targets
(`.NAME.PID.partial`); then a journal `.OUT.policylang-commit` naming both renames is written and
synced — the commit point; then both are renamed into place and the journal removed. A run killed
before the commit point leaves the old pair (its partial files are removed by the next run or on
failure); one killed after it is completed by the next run with the same OUT, before anything else.
While a journal exists the pair is being replaced: a reader that must never see a mixed pair checks
for the journal (and `policylang batch` itself finishes it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class BatchError(Exception):
    """A run that cannot go on (unreadable claims, bad output path); the message is Chinese + gloss."""


def _same(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def check_paths(claims: Path, out: Path, rejects: Path) -> None:
    """Refuse an output that would overwrite the input or the other output (after resolving links)."""
    if _same(out, claims):
        raise BatchError(f"结果文件 -o 与输入的理赔表是同一个文件：{out}（会覆盖输入） (OUT is the input file)")
    if _same(rejects, claims):
        raise BatchError(f"拒绝记录文件 --rejects 与输入的理赔表是同一个文件：{rejects} "
                         "(the rejects file is the input file)")
    if _same(rejects, out):
        raise BatchError(f"拒绝记录文件 --rejects 与结果文件 -o 是同一个文件：{out}（会丢失结算结果） "
                         "(the rejects file is OUT)")


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


class Commit:
    """The two-file commit of one OUT and its rejects file."""

    def __init__(self, out: Path, rejects: Path) -> None:
        self.targets = (out, rejects)
        self.journal = out.with_name(f".{out.name}.policylang-commit")

    def partial(self, target: Path) -> Path:
        return target.with_name(f".{target.name}.{os.getpid()}.partial")

    def stale(self) -> list[Path]:
        return [p for t in self.targets for p in t.parent.glob(f".{t.name}.*.partial")]

    def apply(self) -> None:
        """Rename both partial files into place, through the journal (the commit point)."""
        moves = [(str(self.partial(t)), str(t)) for t in self.targets]
        for tmp, _ in moves:
            _sync(Path(tmp))
        staged = self.journal.with_name(self.journal.name + ".tmp")
        staged.write_text(json.dumps(moves, ensure_ascii=False), encoding="utf-8")
        _sync(staged)
        os.replace(staged, self.journal)
        _sync_dir(self.journal.parent)
        self.recover()

    def recover(self) -> None:
        """Finish a committed pair (a journal is there) and remove what an uncommitted run left."""
        if self.journal.exists():
            try:
                moves = json.loads(self.journal.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise BatchError(f"无法读取提交记录 {self.journal}（{type(e).__name__}）：请检查结果与拒绝记录后"
                                 "删除它 (unreadable commit journal)") from e
            for tmp, target in moves:
                if Path(tmp).exists():
                    os.replace(tmp, target)
            for _, target in moves:
                _sync_dir(Path(target).parent)
            self.journal.unlink()
        self.discard()

    def discard(self) -> None:
        """Remove partial files (of this run or an interrupted one), unless a journal still needs them."""
        if self.journal.exists():
            return
        for path in self.stale():
            path.unlink(missing_ok=True)
        self.journal.with_name(self.journal.name + ".tmp").unlink(missing_ok=True)
