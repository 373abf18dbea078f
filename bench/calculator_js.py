"""Benchmark: the browser calculator's JS evaluator (under node) on 100,000 seeded claims of a region.

Usage: `.venv/bin/python bench/calculator_js.py [REGION] [CLAIMS]` (default regions/suizhou, 100000). Prints the
figure; not a timed test. Also settles the same claims with the Python evaluator and checks the totals agree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policylang.api import check_path  # noqa: E402
from policylang.docs.calculator import person_input  # noqa: E402
from policylang.eval.settle import settle  # noqa: E402
from policylang.ir.serial import to_json  # noqa: E402
from policylang.tools.generate import Generator  # noqa: E402


def main() -> None:
    region = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "regions" / "suizhou"
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    policy = check_path(region).policy
    assert policy is not None, f"{region} does not compile"
    gen = Generator(policy, seed=20240101)
    people, n, p = [], 0, 0
    while n < target:
        combo = gen.person_combos[p % len(gen.person_combos)]
        claims = gen.claims(min(10, target - n), combo)
        people.append((gen.person(f"P{p}", combo), claims))
        n, p = n + len(claims), p + 1
    t0 = time.perf_counter()
    fund = sum(r.fund for person, claims in people for r in settle(policy, person, claims))
    py_seconds = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        policy_file, people_file = Path(tmp, "policy.json"), Path(tmp, "people.json")
        policy_file.write_text(json.dumps(to_json(policy), ensure_ascii=False), encoding="utf-8")
        people_file.write_text(json.dumps([person_input(pp, cs) for pp, cs in people], ensure_ascii=False),
                               encoding="utf-8")
        node = shutil.which("node")
        assert node, "node is not installed"
        done = subprocess.run([node, str(ROOT / "bench" / "calculator_js.js"), str(policy_file), str(people_file)],
                              capture_output=True, text=True, check=True)
    js = json.loads(done.stdout)
    assert int(js["fund"]) == fund, "the JS and Python evaluators disagree on the total 统筹支付"
    print(f"JS calculator ({region.name}, node): {js['per_second']:,} claims/s ({js['claims']:,} claims in "
          f"{js['seconds']:.2f} s); Python settle: {n / py_seconds:,.0f} claims/s ({py_seconds:.2f} s); "
          f"totals agree ({fund} 分)")


if __name__ == "__main__":
    main()
