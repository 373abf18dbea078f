"""A money field's cells (月工资, 基本医保已支付 …) in a claim table: plain amounts by Arrow's decimal cast, the rest
by the one cell rule (inputs/factvalues.parse_fact) — the same values and the same rejects either way."""

from __future__ import annotations

import pyarrow as pa
from batchcheck import policy_of

from policylang.batch.rejects import KEY, ROW, validate
from policylang.inputs.factvalues import parse_fact

CELLS = ["5000", "5000.5", "5,000.00", "１２３", "0.10", "abc", "-5", "", "1000000000.00", "1000000000.01", "7.123"]


def test_money_fact_cells_read_as_the_cell_rule_reads_them() -> None:
    policy = policy_of("paid")
    name = next(f.name for f in policy.fields if f.type == "金额")
    n = len(CELLS)
    table = pa.table({ROW: pa.array(range(n), pa.int64()), KEY: [f"P{i}" for i in range(n)],
                      "参保人ID": [f"P{i}" for i in range(n)], "日期": ["2024-03-01"] * n, "费用": ["100"] * n,
                      name: CELLS})
    cols, good, rejects = validate(policy, table)
    reasons = dict(zip(rejects[ROW].tolist(), rejects["__reject"].tolist(), strict=True))
    column = cols.facts[name]
    for i, cell in enumerate(CELLS):
        value, _, message, _ = parse_fact(policy, name, cell)
        if cell == "":
            assert i in good.tolist()
            continue
        if value is None:
            assert message in reasons[i]
        else:
            pos = good.tolist().index(i)
            assert column.values[column.codes[pos]] == value
