"""The citizen's calculator: the browser evaluator's files, and the bridge the tests and the page use.

The evaluator itself is JavaScript (docs/static/calculator/*.js), an interpreter of the exported IR
(ir/serial.py) that mirrors eval/ line by line. Here: where its files are, how a person and claims are
handed to it (facts tagged so ints, fractions and dates survive JSON), how a Python ClaimResult is put in the
same shape as its output for the differential test, and which mechanisms it does not evaluate.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from policylang import ir
from policylang.eval.settle import ClaimResult
from policylang.ir.claims import Claim, Person
from policylang.ir.serial import to_json

STATIC = Path(__file__).parent / "static" / "calculator"
SCRIPTS = ("exact.js", "policy.js", "terms.js", "layers.js", "settle.js")  # the evaluator, in load order
PAGE_SCRIPTS = (*SCRIPTS, "form.js")  # … and the form on the region page

# What the calculator refuses (本计算器暂不支持…) rather than estimates; the differential test lists them.
UNSUPPORTED = (
    "就医地为其他地区的就诊（按就医地目录结算需要其他地区的政策）",
    "不以日期为参照的月日比较（Python 以运行当天的年份为参照）",
    "不同类型的值的大小比较",
)


def node() -> str | None:
    return shutil.which("node")


def fact(value: ir.Fact) -> object:
    """A fact as the JS reads it: text as is, ints and fractions and dates tagged."""
    if isinstance(value, bool):
        raise TypeError("a fact is never a bool")
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, Fraction):
        return {"frac": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return str(value)


def person_input(person: Person, claims: Iterable[Claim]) -> dict:
    """One person and their claims in the form cli.js and the page read."""
    return {"facts": {k: fact(v) for k, v in person.facts},
            "claims": [{"date": c.date.isoformat(), "amount": str(c.amount), "facts": {k: fact(v) for k, v in c.facts},
                        "items": [{"name": i.name, "cls": i.cls, "amount": str(i.amount)} for i in c.items]}
                       for c in claims]}


def result_output(r: ClaimResult) -> dict:
    """A Python result in the shape cli.js prints, so the two can be compared field by field."""
    return {"scheme": r.scheme, "cost": str(r.cost), "excluded": str(r.excluded), "first_paid": str(r.first_paid),
            "policy_range": str(r.policy_range), "deductible": str(r.deductible), "fund": str(r.fund),
            "personal": str(r.personal), "layers": [[ls.name, str(ls.paid), str(ls.deductible)] for ls in r.layers],
            "refused": list(r.refused), "allowance_days": str(r.allowance_days), "allowance": str(r.allowance),
            "account": str(r.account), "trace": [t.render() for t in r.trace]}


def run_node(policy: ir.Policy, people: list[dict], workdir: Path) -> list[list[dict]]:
    """Settle people with the JS evaluator under node; its results, one list per person."""
    exe = node()
    if exe is None:
        raise RuntimeError("node is not installed")
    policy_file, people_file = workdir / "policy.json", workdir / "people.json"
    policy_file.write_text(json.dumps(to_json(policy), ensure_ascii=False), encoding="utf-8")
    people_file.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([exe, str(STATIC / "cli.js"), str(policy_file), str(people_file)], capture_output=True,
                          text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"node failed: {done.stderr}")
    return json.loads(done.stdout)


__all__ = ["PAGE_SCRIPTS", "SCRIPTS", "STATIC", "UNSUPPORTED", "person_input", "result_output", "run_node"]
