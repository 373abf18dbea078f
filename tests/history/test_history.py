"""The compiled policy lists its history: every dated change of parameters and rules, with origins."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

from policylang.api import check_path
from policylang.ir.values import Money, Ratio
from policylang.tools.history import history, sentence

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """\
地区 历史示例
生效 2023-01-01
导入 "fields"

方案 职工住院 (险种 = 职工医保, 就医类型 = 住院) {
    起付线 每次住院 在职 800 元, 退休 600 元 至 2023-12-31
    起付线 每次住院 在职 700 元, 退休 600 元, 灵活就业 900 元 自 2024-01-01 起
    比例 80% 至 2024-06-30
    比例 85% 自 2024-07-01 起
    退休 比例 提高 5% 自 2024-03-01 起
    封顶线 年度 15 万元
    要求 连续缴费月数 >= 6 月 否则 "缴费不足 6 个月" 自 2025-01-01 起
    层 大病保险 {
        分段 { 5万元(含)以内 60%, 超过 5万元 70% } 至 2023-12-31
        分段 { 5万元(含)以内 65%, 超过 5万元 75% } 自 2024-01-01 起
    }
}
"""


def _policy(tmp_path: Path, text: str = SCRIPT):
    path = tmp_path / "rules.policy"
    path.write_text(text, encoding="utf-8")
    checked = check_path(path)
    assert checked.policy is not None, [d.headline() for d in checked.diagnostics]
    return checked.policy, path


def test_every_dated_change_is_listed_with_old_and_new_values(tmp_path):
    policy, path = _policy(tmp_path)
    changes = history(policy)
    by = {(c.parameter, c.label, c.date): c for c in changes}
    d = by[("每次住院起付线", "在职", dt.date(2024, 1, 1))]
    assert (d.scheme, d.layer, d.old, d.new, d.kind) == ("职工住院", "基本医保", Money(80_000), Money(70_000), "调整")
    assert [o.line for o in d.origins] == [6, 7] and d.origins[0].file == str(path)
    assert ("每次住院起付线", "退休", dt.date(2024, 1, 1)) not in by  # unchanged value: no change
    added = by[("每次住院起付线", "灵活就业", dt.date(2024, 1, 1))]
    assert (added.old, added.new, added.kind) == (None, Money(90_000), "新增")
    ratio = by[("报销比例", "", dt.date(2024, 7, 1))]
    assert (ratio.old, ratio.new) == (Ratio(Fraction(4, 5)), Ratio(Fraction(17, 20)))
    bands = by[("分段支付比例", "", dt.date(2024, 1, 1))]
    assert bands.layer == "大病保险" and bands.old.bands[0].ratio == Ratio(Fraction(3, 5))
    assert ("年度封顶线", "", dt.date(2023, 1, 1)) not in by  # undated: never a change
    assert [c.date for c in changes] == sorted(c.date for c in changes)


def test_rules_coming_into_force_are_changes(tmp_path):
    policy, _ = _policy(tmp_path)
    lines = [sentence(c) for c in history(policy)]
    assert "2024年3月1日起，职工住院 人员类别为退休的人员报销比例提高 5 个百分点" in lines
    assert "2025年1月1日起，职工住院 须符合条件，否则不予支付：缴费不足 6 个月" in lines
    assert "2024年1月1日起，职工住院 在职 每次住院起付线由800元降低至700元" in lines
    assert "2024年1月1日起，职工住院 新增灵活就业 每次住院起付线：900元" in lines
    assert any(line.startswith("2024年1月1日起，职工住院 大病保险 分段支付比例由5万元") for line in lines)


def test_a_rule_that_ends_is_a_removal(tmp_path):
    text = SCRIPT.replace("退休 比例 提高 5% 自 2024-03-01 起", "退休 比例 提高 5% 至 2024-02-29")
    policy, _ = _policy(tmp_path, text)
    removed = [c for c in history(policy) if c.parameter == "报销比例调整"]
    assert [(c.date, c.kind) for c in removed] == [(dt.date(2024, 3, 1), "取消")]
    assert sentence(removed[0]).startswith("2024年3月1日起，职工住院 不再执行：人员类别为退休的人员报销比例提高")


def test_subsidies_questions_and_regions():
    suizhou = history(check_path(ROOT / "regions" / "suizhou").policy)
    lines = [sentence(c) for c in suizhou]
    assert "2024年1月1日起，职工住院 年度封顶线由15万元提高至20万元" in lines
    assert any(c.scheme == "判断 家庭共济" and "兄弟姐妹" in str(c.new) for c in suizhou)
    subsidy = history(check_path(ROOT / "tests" / "vocabulary" / "subsidy").policy)
    assert [sentence(c) for c in subsidy] == ["2022年1月1日起，资助 城乡居民 新增易返贫致贫人口 资助标准：定额资助280元"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "policylang"), "history", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)


def test_command_lists_changes_with_their_place():
    run = _cli("regions/suizhou")
    assert run.returncode == 0, run.stderr
    assert ("2024年1月1日起，职工住院 年度封顶线由15万元提高至20万元〔regions/suizhou/policy.policy:47:12〕"
            in run.stdout)


def test_command_json(tmp_path):
    run = _cli("tests/vocabulary/versions", "--json")
    (region,) = json.loads(run.stdout)
    (change,) = region["调整"]
    assert (change["原值"], change["新值"], change["日期"], change["类别"]) == ("150000.00", "200000.00", "2024-01-01",
                                                                           "调整")
    assert change["位置"][-1].endswith("rules.policy:10:9")


def test_command_on_a_broken_script_says_where(tmp_path):
    bad = tmp_path / "bad.policy"
    bad.write_text('地区 坏\n导入 "enums"\n方案 门诊 {\n    比例 120%\n}\n', encoding="utf-8")
    run = _cli(str(bad))
    assert run.returncode == 1 and "bad.policy:4:" in run.stderr and "Traceback" not in run.stderr
