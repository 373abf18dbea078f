"""Test runs as data, and their reports: JUnit XML for CI servers, JSON for machines."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs

from policylang.api import Checked, Regions, check_path
from policylang.diagnostics import render_all
from policylang.eval.harness import Outcome, explain_failure, run_case
from policylang.eval.questions import ask
from policylang.eval.subsidy import subsidize
from policylang.eval.trace import TraceLine
from policylang.ir import Policy
from policylang.tools.coverage import Coverage, as_json, measure


@attrs.frozen
class CaseRun:
    outcome: Outcome
    seconds: float  # float ok: a duration


@attrs.frozen
class RegionRun:
    """One region's test run; `cases` is empty and `coverage` None when the region does not compile."""

    checked: Checked
    cases: tuple[CaseRun, ...]
    coverage: Coverage | None

    @property
    def root(self) -> str:
        return self.checked.unit.root

    @property
    def compiled(self) -> bool:
        return self.checked.policy is not None

    @property
    def failed(self) -> int:
        return sum(not c.outcome.passed for c in self.cases)

    @property
    def passed(self) -> int:
        return len(self.cases) - self.failed


def run_region(path: Path) -> RegionRun:
    """Check a region, run each of its test blocks, and measure which rules the tests reached."""
    checked = check_path(path)
    policy = checked.policy
    if policy is None:
        return RegionRun(checked, (), None)
    cases = []
    places = Regions.near(path)
    for case in checked.compiled.tests:
        start = time.perf_counter()
        outcome = run_case(policy, case, places)
        cases.append(CaseRun(outcome, time.perf_counter() - start))
    traces = [t for c in cases for t in case_trace(policy, c.outcome)]
    return RegionRun(checked, tuple(cases), measure(checked.unit.root, policy, traces))


def case_trace(policy: Policy, outcome: Outcome) -> list[TraceLine]:
    """Every trace line a test produced: its settlements, its contributions (缴费) and its questions (询问)."""
    lines = [t for r in outcome.results for t in r.trace]
    case = outcome.case
    for payment in case.payments:
        lines += [t for r in subsidize(policy, case.person, payment.year) for t in r.trace]
    for q in case.asks:
        lines += ask(policy, q.question, {**case.person.fact_map(), **dict(q.facts)}, q.date).trace
    return lines


def failure_message(outcome: Outcome) -> str:
    """One line per failed expectation: which claim, which output, expected and actual."""
    return "；".join(f"{f.what} {f.output}：期望 {f.expected}，实际 {f.actual}" for f in outcome.failures)


# Characters XML 1.0 forbids (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF): a test name
# or a source line holding one would make the whole report unreadable to the CI server.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text a JUnit reader accepts: every character XML cannot carry shown as \\x1b (or \\ud800)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def _xml_safe_tree(root: ET.Element) -> None:
    for el in root.iter():
        el.attrib = {k: xml_safe(v) for k, v in el.attrib.items()}
        if el.text:
            el.text = xml_safe(el.text)


def junit_xml(runs: list[RegionRun]) -> str:
    """JUnit XML: a testsuite per region, a testcase per test block; a region that does not compile is
    one testcase with an <error> holding its diagnostics."""
    suites = ET.Element("testsuites", name="policylang")
    total = failures = errors = 0
    for run in runs:
        suite = ET.SubElement(suites, "testsuite", name=run.root)
        if not run.compiled:
            errs = [d for d in run.checked.diagnostics if d.is_error]
            case = ET.SubElement(suite, "testcase", classname=run.root, name="编译 (compile)")
            err = ET.SubElement(case, "error", message=f"无法编译：{len(errs)} 个错误 (does not compile)")
            err.text = render_all(errs, run.checked.unit.sources)
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", "1")
            total, errors = total + 1, errors + 1
            continue
        for c in run.cases:
            o = c.outcome
            attrs_ = {"classname": run.root, "name": o.case.name, "time": f"{c.seconds:.6f}"}
            if o.case.origin is not None:
                attrs_ |= {"file": o.case.origin.file, "line": str(o.case.origin.line)}
            case = ET.SubElement(suite, "testcase", attrs_)
            if not o.passed:
                fail = ET.SubElement(case, "failure", message=failure_message(o), type="期望不符 (expectation)")
                fail.text = explain_failure(o)
        warnings = [d for d in run.checked.diagnostics if not d.is_error]
        if warnings:  # check's warnings reach CI as the suite's stderr (W102 incomplete tables …)
            ET.SubElement(suite, "system-err").text = render_all(warnings, run.checked.unit.sources)
        suite.set("tests", str(len(run.cases)))
        suite.set("failures", str(run.failed))
        suite.set("errors", "0")
        total, failures = total + len(run.cases), failures + run.failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    _xml_safe_tree(suites)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _case_json(c: CaseRun) -> dict:
    o = c.outcome
    origin = o.case.origin
    return {
        "name": o.case.name,
        "file": origin.file if origin else None,
        "line": origin.line if origin else None,
        "passed": o.passed,
        "failures": [{"what": f.what, "output": f.output, "expected": f.expected, "actual": f.actual,
                      "at": str(f.origin) if f.origin else None} for f in o.failures],
    }


def report_json(runs: list[RegionRun], with_coverage: bool) -> str:
    regions = []
    for run in runs:
        entry: dict = {"region": run.root, "compiled": run.compiled,
                       "errors": [d.headline() for d in run.checked.diagnostics if d.is_error],
                       "warnings": [d.headline() for d in run.checked.diagnostics if not d.is_error],
                       "passed": run.passed, "failed": run.failed,
                       "tests": [_case_json(c) for c in run.cases]}
        if with_coverage and run.coverage is not None:
            entry["coverage"] = as_json(run.coverage)
        regions.append(entry)
    summary = {"passed": sum(r.passed for r in runs), "failed": sum(r.failed for r in runs),
               "uncompiled": sum(not r.compiled for r in runs)}
    return json.dumps({"regions": regions, "summary": summary}, ensure_ascii=False, indent=2) + "\n"
