"""Helpers for the CI harness tests: the 随州 region and small regions written on the fly."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The frozen first 随州 region (职工门诊统筹 only); regions/suizhou has grown beyond what these tests pin.
SUIZHOU = ROOT / "tests" / "fixtures" / "suizhou_outpatient"

RULES = """地区 测试市
依据 《测试办法》
生效 2024-01-01
导入 "enums"

方案 职工门诊 (险种 = 职工医保, 就医类型 = 普通门诊) {
    周期 自然年度
    起付线 在职 500 元, 退休 400 元
    比例 一级 80%, 二级 70%, 三级 60%
    退休 比例 提高 5%
    封顶线 在职 1300 元, 退休 1600 元
}
"""


def write_region(folder: Path, rules: str = RULES, tests: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.policy").write_text(rules, encoding="utf-8")
    if tests:
        (folder / "tests.policy").write_text(tests, encoding="utf-8")
    return folder
