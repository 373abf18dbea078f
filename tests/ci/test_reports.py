"""`policylang test --junit/--json`: one testcase per test block, failures with expected and actual."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from ci.helpers import write_region
from policylang.tools.reports import junit_xml, report_json, run_region

TESTS = """
测试 "二级 2000 元" {
    参保人 职工医保 在职
    就诊 2024-03-01 普通门诊 二级 2000 元  期望 统筹支付 1050 元
}

测试 "故意写错的期望" {
    参保人 职工医保 在职
    就诊 2024-03-01 普通门诊 一级 1000 元  期望 统筹支付 999 元, 起付线 500 元
}
"""


def test_junit_has_a_testcase_per_block_and_failure_with_expected_and_actual(tmp_path):
    run = run_region(write_region(tmp_path / "city", tests=TESTS))
    root = ET.fromstring(junit_xml([run]))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["二级 2000 元", "故意写错的期望"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert "期望 999.00 元，实际 400.00 元" in failure.get("message", "")
    assert "结算过程" in (failure.text or "")  # the trace of the failing claim
    assert cases[1].get("line") == "7" and cases[1].get("file", "").endswith("tests.policy")


def test_junit_reports_a_region_that_does_not_compile_as_an_error(tmp_path):
    bad = write_region(tmp_path / "bad", rules="地区 坏\n导入 \"enums\"\n方案 甲 { 比例 一级 120% }\n")
    root = ET.fromstring(junit_xml([run_region(bad)]))
    assert root.get("errors") == "1"
    error = root.find("testsuite/testcase/error")
    assert error is not None and "E006" in (error.text or "")


def test_json_report_lists_failures_with_decimal_strings(tmp_path):
    run = run_region(write_region(tmp_path / "city", tests=TESTS))
    doc = json.loads(report_json([run], with_coverage=True))
    region = doc["regions"][0]
    assert (region["passed"], region["failed"]) == (1, 1)
    bad = region["tests"][1]
    assert bad["passed"] is False
    assert bad["failures"] == [{"what": "第 1 次就诊", "output": "统筹支付", "expected": "999.00 元",
                                "actual": "400.00 元", "at": bad["failures"][0]["at"]}]
    assert ":9:" in bad["failures"][0]["at"]
    assert region["coverage"]["total"] > 0
    assert doc["summary"] == {"passed": 1, "failed": 1, "uncompiled": 0}


def test_cli_writes_junit_and_exits_1_on_failure(tmp_path, run_cli):
    city = write_region(tmp_path / "city", tests=TESTS)
    out = tmp_path / "report.xml"
    result = run_cli("test", city, "--junit", out)
    assert result.exit_code == 1
    assert "期望 999.00 元，实际 400.00 元" in result.output
    assert ET.parse(out).getroot().get("failures") == "1"


def test_cli_json_is_machine_readable_only(tmp_path, run_cli):
    city = write_region(tmp_path / "city", tests=TESTS.split("测试 \"故意")[0])
    result = run_cli("test", city, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["passed"] == 1


def test_reports_carry_the_warnings_of_the_scripts_they_ran() -> None:
    """A region whose ratio table misses a level it can reach (W102) passes its tests, and both reports say
    so: the warning is in the JSON and in the JUnit suite's system-err."""
    from pathlib import Path

    region = Path(__file__).resolve().parents[1] / "cli" / "golden" / "incomplete"
    run = run_region(region)
    assert run.compiled
    warnings = json.loads(report_json([run], False))["regions"][0]["warnings"]
    assert warnings and all("W102" in w for w in warnings)
    suite = ET.fromstring(junit_xml([run])).find("testsuite")
    assert suite is not None and "W102" in (suite.findtext("system-err") or "")
