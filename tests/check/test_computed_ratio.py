"""Issue 12 defect: a computed ratio followed by a ratio adjustment made `check` exit 3 with a traceback (the
lint added a Fraction to a Formula). It checks cleanly, settles on both backends, and a bound that an
adjustment can push past 100% still gets its warning."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from batch_helpers import batch_fund

from policylang.api import check_path, compile_path
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts

REGION = Path(__file__).resolve().parents[1] / "vocabulary" / "computed_ratio"


def test_check_is_clean_and_exits_zero() -> None:
    checked = check_path(REGION)
    assert checked.policy is not None and checked.diagnostics == ()
    run = subprocess.run([str(Path(sys.executable).parent / "policylang"), "check", str(REGION)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "内部错误" not in run.stderr


def test_settles_adjusted_computed_ratio_on_both_backends() -> None:
    policy = compile_path(REGION)
    who = Person("p", facts({"险种": "职工医保", "人员类别": "退休", "年龄": 60}))
    (result,) = settle(policy, who, [Claim(dt.date(2024, 5, 1), 1_000_000, facts({"就医类型": "住院", "医院等级": "三级"}))])
    assert result.fund == 790_000
    assert batch_fund(policy, {"人员类别": "退休", "年龄": 60}) == 790_000


def test_a_computed_ratio_whose_bound_an_adjustment_pushes_past_100_is_warned(script) -> None:
    text = REGION.joinpath("rules.policy").read_text(encoding="utf-8").replace("最高 90%", "最高 98%")
    path = script(text.split("测试")[0])
    codes = [d.code for d in check_path(path).diagnostics]
    assert codes == ["W103"]
