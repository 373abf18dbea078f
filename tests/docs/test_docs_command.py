"""`policylang doc`: bad input gives a located Chinese message and exit 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _doc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "policylang"), "doc", *args], capture_output=True, text=True,
                          timeout=120)


def test_a_region_with_errors_is_not_published(tmp_path: Path):
    bad = tmp_path / "bad.policy"
    bad.write_text('地区 坏\n导入 "enums"\n方案 门诊 {\n    比例 120%\n}\n', encoding="utf-8")
    run = _doc(str(bad), "-o", str(tmp_path / "out"))
    assert run.returncode == 1
    assert "E006" in run.stderr and "bad.policy:4:" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_missing_output_option_is_a_usage_error(tmp_path: Path):
    run = _doc(str(tmp_path))
    assert run.returncode == 2 and "缺少 -o" in run.stderr and "Traceback" not in run.stderr
