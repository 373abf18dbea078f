"""The JS calculator's exact arithmetic and printing equal Python's on many fractions: the named roundings
(ir/rounding.py), ratios as percentages (fmt_ratio, Decimal.normalize included) and inexact yuan (fmt_exact_yuan),
yuan with separators (fmt_yuan), and add_months (ir/eligibility.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
from fractions import Fraction

import pytest

from policylang.docs import calculator
from policylang.ir.eligibility import add_months
from policylang.ir.rounding import MODES, round_fen
from policylang.ir.units import fmt_exact_yuan, fmt_ratio, fmt_yuan

pytestmark = pytest.mark.skipif(calculator.node() is None and not calculator.node_required(),
                                reason="node is not installed")

SCRIPT = """
const { PC } = require(%s);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.fractions.map((t) => {
  const f = PC.Frac.parse(t);
  return [cases.modes.map((m) => String(PC.roundFen(f, m))), PC.fmtRatio(f), f.whole ? null : PC.fmtExactYuan(f)];
});
const yuan = cases.ints.map((n) => PC.fmtYuan(BigInt(n)));
const months = cases.dates.map(([d, n]) => String(PC.PDate.parse(d).plusMonths(n)));
process.stdout.write(JSON.stringify({ out, yuan, months }));
"""


def _fractions() -> list[Fraction]:
    rng = random.Random(7)
    special = [Fraction(1, 2), Fraction(-1, 2), Fraction(3, 2), Fraction(5, 2), Fraction(1, 8), Fraction(17, 200),
               Fraction(1, 3), Fraction(2, 3), Fraction(1000001, 10000000), Fraction(1, 10**7), Fraction(0),
               Fraction(100000001, 1000000), Fraction(12000001, 100000000), Fraction(-7, 3), Fraction(5, 100000)]
    rand = [Fraction(rng.randrange(-10**9, 10**9), rng.choice((1, 2, 3, 7, 8, 100, 200, 300, 10**6, 99991)))
            for _ in range(400)]
    return special + rand


def test_rounding_and_printing_equal_python(tmp_path):
    fractions = _fractions()
    ints = [0, 1, -1, 99, 100, 123456, -123456, 10**15 + 7]
    days = [(dt.date(2024, 1, 31), 1), (dt.date(2023, 1, 31), 1), (dt.date(2024, 3, 31), -1), (dt.date(2024, 12, 15), 14),
            (dt.date(2024, 5, 31), -27), (dt.date(2000, 2, 29), 12)]
    cases = {"fractions": [f"{f.numerator}/{f.denominator}" for f in fractions], "modes": list(MODES), "ints": ints,
             "dates": [[d.isoformat(), n] for d, n in days]}
    cli = json.dumps(str(calculator.STATIC / "cli.js"))
    done = subprocess.run([calculator.node(), "-e", SCRIPT % cli], input=json.dumps(cases), capture_output=True,
                          text=True, check=True)
    got = json.loads(done.stdout)
    for f, (rounded, ratio, exact) in zip(fractions, got["out"], strict=True):
        assert rounded == [str(round_fen(f, m)) for m in MODES], f
        assert ratio == fmt_ratio(f), f
        assert exact == (None if f.denominator == 1 else fmt_exact_yuan(f)), f
    assert got["yuan"] == [fmt_yuan(n) for n in ints]
    assert got["months"] == [add_months(d, n).isoformat() for d, n in days]
