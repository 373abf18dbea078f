"""The example pipeline script runs check, test, verify and diff in a rules repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ci.helpers import ROOT, RULES, write_region

TESTS = """
测试 "在职 二级" {
    参保人 职工医保 在职
    就诊 2024-03-01 普通门诊 二级 2000 元  期望 统筹支付 1050 元
}
"""


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_pipeline_script_on_a_rules_repository(tmp_path):
    repo = tmp_path / "bureau"
    write_region(repo / "regions" / "city", tests=TESTS)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "v1"]):
        subprocess.run([*git, *args], cwd=repo, check=True)
    write_region(repo / "regions" / "city", RULES.replace("二级 70%", "二级 75%"), TESTS.replace("1050", "1125"))
    exe = Path(sys.executable).with_name("policylang")
    env = {**os.environ, "BASE": "HEAD", "MIN_COVERAGE": "100", "SAMPLE_ROWS": "300", "VERIFY_EXAMPLES": "5",
           "POLICYLANG": str(exe)}
    done = subprocess.run(["bash", str(ROOT / "docs" / "ci" / "policy-ci.sh")], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    # one test reaches 4 of 9 rules: coverage fails the run, and every later step still runs
    assert done.returncode == 1, done.stdout + done.stderr
    assert "低于要求的 100%" in done.stderr and "不变量全部成立" in done.stdout
    out = repo / "policy-ci-out"
    assert (out / "junit.xml").is_file() and (out / "test.json").is_file()
    diff = (out / "diff.md").read_text(encoding="utf-8")
    assert "| 比例 二级 | 修改 | 70% | 75% |" in diff and "对理赔数据的影响" in diff
    assert diff in done.stdout
