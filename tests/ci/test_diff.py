"""Semantic diff: parameters and rules, never text; reformatting shows no change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ci.helpers import RULES, SUIZHOU, write_region
from policylang.api import compile_path
from policylang.tools.diff import ADDED, CHANGED, REMOVED, diff_policies, render_markdown

# The same rules as RULES: other whitespace, comments, entry and statement order, full-width punctuation.
REFORMATTED = """# 改过格式的同一份规则
地区   测试市
依据 《测试办法》
生效 2024-01-01
导入 "enums"
方案 职工门诊 （就医类型 = 普通门诊，险种 = 职工医保） {
  封顶线 退休 1600 元， 在职 1300 元；   # 年度
  比例 三级 60％，一级 80％，二级 70％；
  周期 自然年度
  起付线 退休 400 元，在职 500 元
        退休 比例 提高 5％
}
"""


def where(span):
    return f"{span.file}:{span.line}" if span else "—"


def changes_between(tmp_path, old: str, new: str):
    a = compile_path(write_region(tmp_path / "old", old))
    b = compile_path(write_region(tmp_path / "new", new))
    return diff_policies(a, b)


def test_reformatting_is_no_change(tmp_path):
    assert changes_between(tmp_path, RULES, REFORMATTED) == ()
    text = render_markdown((), "测试市", where)
    assert "规则没有实质变化" in text


def test_a_changed_ratio_cell_shows_old_new_and_lines(tmp_path):
    changes = changes_between(tmp_path, RULES, RULES.replace("二级 70%", "二级 75%"))
    assert len(changes) == 1
    c = changes[0]
    assert (c.path, c.item, c.status, c.old, c.new) == (("方案 职工门诊", "基本医保"), "比例 二级", CHANGED, "70%", "75%")
    assert c.old_at.line == 9 and c.new_at.line == 9
    assert c.old_at.file.endswith("old/rules.policy") and c.new_at.file.endswith("new/rules.policy")
    md = render_markdown(changes, "测试市", where)
    assert "| 比例 二级 | 修改 | 70% | 75% | 全部期间 |" in md


def test_a_new_version_with_an_effective_date(tmp_path):
    new = RULES.replace("    封顶线 在职 1300 元, 退休 1600 元\n",
                        "    封顶线 在职 1300 元, 退休 1600 元 至 2024-12-31\n"
                        "    封顶线 在职 1500 元, 退休 1600 元 自 2025-01-01 起\n")
    changes = changes_between(tmp_path, RULES, new)
    assert [(c.item, c.status, c.old, c.new, c.validity) for c in changes] == [
        ("年度封顶线 在职", CHANGED, "1,300.00 元", "1,500.00 元", "2025-01-01 起")]
    assert changes[0].new_at.line == 12


def test_added_and_removed_rules(tmp_path):
    new = RULES.replace("    退休 比例 提高 5%\n", "").replace("    周期 自然年度\n", "    周期 自然年度\n    封顶线 每次 在职 300 元\n")
    got = {(c.item, c.status, c.old, c.new) for c in changes_between(tmp_path, RULES, new)}
    assert got == {("每次封顶线 在职", ADDED, None, "300.00 元"), ("退休 比例调整", REMOVED, "加 5%", None)}


def test_changed_scheme_condition_and_adjustment(tmp_path):
    new = RULES.replace("就医类型 = 普通门诊", "就医类型 = 普通门诊 或 急诊").replace("提高 5%", "提高 6%")
    got = {(c.path[-1], c.item, c.old, c.new) for c in changes_between(tmp_path, RULES, new)}
    assert got == {("方案 职工门诊", "适用条件", "就医类型为普通门诊", "就医类型为急诊或普通门诊"),
                   ("退休 比例调整", "调整幅度", "5%", "6%")}


def test_a_removed_region_lists_its_parameters(tmp_path):
    old = compile_path(write_region(tmp_path / "old"))
    changes = diff_policies(old, None)
    assert all(c.status == REMOVED for c in changes)
    assert {"比例 一级", "起付线 在职", "年度封顶线 退休", "方案 职工门诊"} <= {c.item for c in changes}


CLAIMS = """参保人ID,险种,人员类别,日期,就医类型,医院等级,费用
A,职工医保,在职,2024-03-01,普通门诊,二级,2000
B,职工医保,退休,2024-03-01,普通门诊,一级,1400.00
A,职工医保,在职,2024-05-01,普通门诊,二级,100.5
C,城乡居民医保,居民,2024-03-01,普通门诊,二级,800
"""


def test_cli_diff_with_claims_reports_the_cost(tmp_path, run_cli):
    old = write_region(tmp_path / "old")
    new = write_region(tmp_path / "new", RULES.replace("二级 70%", "二级 75%"))
    table = tmp_path / "claims.csv"
    table.write_text(CLAIMS, encoding="utf-8")
    result = run_cli("diff", old, new, "--claims", table)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # A: (2000−500)×70% = 1050 → ×75% = 1125; 100.5×70% = 70.35 → 75.38 (四舍五入); B: 1000×85% = 850.
    assert "| 支付发生变化的就诊 | 2 |" in out and "| 支付发生变化的参保人 | 1 |" in out
    assert "| 基金支付合计（旧） | 1,970.35 元 |" in out
    assert "| 基金支付合计（新） | 2,050.38 元 |" in out
    assert "| 变化 | +80.03 元（+4.0%） |" in out
    assert "| 二级 | 3 | 2 | 1,120.35 | 1,200.38 | +80.03 元（+7.1%） |" in out
    assert "| 居民 | 1 | 0 | 0.00 | 0.00 | 0.00 元 |" in out


def test_cli_diff_of_folders_of_regions_pairs_by_name(tmp_path, run_cli):
    write_region(tmp_path / "a" / "city")
    write_region(tmp_path / "b" / "city", RULES.replace("起付线 在职 500 元", "起付线 在职 600 元"))
    write_region(tmp_path / "b" / "town", RULES.replace("测试市", "测试镇"))
    out = run_cli("diff", tmp_path / "a", tmp_path / "b").stdout
    assert "| 起付线 在职 | 修改 | 500.00 元 | 600.00 元 |" in out
    assert "### 测试镇（新增地区）" in out


def test_cli_diff_claims_table_errors_are_located(tmp_path, run_cli):
    old, new = write_region(tmp_path / "old"), write_region(tmp_path / "new")
    table = tmp_path / "claims.csv"
    table.write_text(CLAIMS.replace("二级,2000", "二极,2000"), encoding="utf-8")
    result = run_cli("diff", old, new, "--claims", table)
    assert result.exit_code == 1
    assert "claims.csv:2:6" in result.stderr and "第 1 行“医院等级”" in result.stderr and "二级" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_cli_diff_against_a_git_revision(tmp_path, run_cli, monkeypatch):
    repo = tmp_path / "rules"
    write_region(repo / "regions" / "city")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=repo, check=True)
    write_region(repo / "regions" / "city", RULES.replace("三级 60%", "三级 65%"))
    monkeypatch.chdir(repo)
    result = run_cli("diff", "--base", "HEAD", "regions/")
    assert result.exit_code == 0, result.output
    assert "| 比例 三级 | 修改 | 60% | 65% | 全部期间 | HEAD:regions/city/rules.policy:9 → regions/city/rules.policy:9 |" \
        in result.stdout
    bad = run_cli("diff", "--base", "no-such-rev", "regions/")
    assert bad.exit_code == 2 and "未知的 git 版本" in bad.stderr


def test_cli_diff_base_outside_git(tmp_path, run_cli):
    result = run_cli("diff", "--base", "HEAD", write_region(tmp_path / "city"))
    assert result.exit_code == 2 and "不在 git 仓库中" in result.stderr


def test_suizhou_against_itself_is_unchanged(suizhou_policy):
    assert diff_policies(suizhou_policy, compile_path(SUIZHOU)) == ()


MATERNITY = (Path(__file__).resolve().parents[1] / "vocabulary" / "maternity" / "rules.policy").read_text(encoding="utf-8")


def test_days_change_prints_days_with_the_chinese_name_and_no_span_rows(tmp_path):
    # issue 12: 津贴天数 98 → 128 天 was shown as "0.98 元 → 1.28 元" under `days`, with a "file" row for a span
    new = MATERNITY.replace("津贴天数 98 天", "津贴天数 128 天").replace("日津贴 日工资", "\n\n        日津贴 日工资")
    changes = changes_between(tmp_path, MATERNITY, new)
    rows = {(c.item, c.old, c.new) for c in changes}
    assert ("津贴天数 默认", "98 天", "128 天") in rows
    assert all(c.item not in ("days", "file", "line", "column", "rate_origin") for c in changes)
    assert all("元" not in (c.old or "") for c in changes if c.item.startswith("津贴天数"))
    md = render_markdown(changes, "生育示例", where)
    assert "| 津贴天数 默认 | 修改 | 98 天 | 128 天 |" in md
    assert "| file |" not in md


NTH = """地区 次数市
依据 《次数办法》
导入 "fields"
字段 基本医保已支付 金额 默认 0 元
字段 大病保险已支付 金额 默认 0 元
方案 职工住院 (险种 = 职工医保, 就医类型 = 住院) {
    周期 自然年度
    个人账户 支付 政策范围内个人自付
    扣除已付 基本医保已支付, 大病保险已支付
    起付线 每次住院 1000 元
    起付线 第 2 次 80%, 第 3 次起 60%, 最低 200 元
    比例 90%
}
"""


def test_nth_admission_shares_paid_fields_and_account_scope_in_words(tmp_path):
    """第 n 次 changes are one row per admission number (not CountRule（n 3，onward 是…）), and 扣除已付's fields
    and the account's scope are named as the officer wrote them (not 字段 / parts)."""
    new = (NTH.replace("第 3 次起 60%", "第 3 次起 50%, 第 4 次起 40%")
           .replace("扣除已付 基本医保已支付, 大病保险已支付", "扣除已付 基本医保已支付")
           .replace("个人账户 支付 政策范围内个人自付", "个人账户 支付 起付线"))
    rows = {(c.item, c.status, c.old, c.new) for c in changes_between(tmp_path, NTH, new)}
    assert ("按次数 第 3 次起", CHANGED, "60%", "50%") in rows
    assert ("按次数 第 4 次起", ADDED, None, "40%") in rows
    assert ("扣除已付", REMOVED, "大病保险已支付", None) in rows
    assert ("个人账户支付范围", ADDED, None, "起付线") in rows
    assert not any("CountRule" in (o or "") + (n or "") or i in ("字段", "parts") for i, _, o, n in rows)
