"""The JSON claim file: linear positions that agree with the positional parser, and the cell rules."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import SUIZHOU

from policylang.api import compile_path
from policylang.inputs import jsonpos
from policylang.inputs.claimfile import LineIndex, read_claims
from policylang.source import Span

CLAIM = {"日期": "2024-03-01", "就医类型": "普通门诊", "医院等级": "二级", "费用": "2000",
         "明细": [{"名称": "药", "类别": "甲类", "金额": "2000"}]}


@pytest.fixture(scope="module")
def policy():
    return compile_path(SUIZHOU)


def test_positions_found_on_demand_equal_the_positional_parser() -> None:
    text = json.dumps({"参保人": {"险种": "职工医保"}, "就诊": [CLAIM] * 5}, ensure_ascii=False, indent=2)
    fast_value, fast = jsonpos._loads(text, jsonpos.EAGER_DEPTH)
    full_value, full = jsonpos._loads(text, None)
    assert fast_value == full_value
    assert len(fast.offsets) < len(full.offsets)  # the claims' insides were parsed whole, in C
    for path, offset in full.offsets.items():
        assert fast.get(path) == offset, path


@pytest.mark.parametrize(("text", "message"), [
    ('{"就诊": [{"费用": "1", "费用": "2"}]}', "字段“费用”重复"),
    ('{"就诊": [{"费用": "1",}]}', "此处应为带双引号的字段名"),
    ('{"就诊": [{"费用": "1"]}', "此处应为逗号或 }"),
    ('{"就诊": [' + "[" * 200 + "]" * 200 + "]}", "嵌套超过"),
])
def test_invalid_json_inside_a_claim_is_reported_precisely(text: str, message: str) -> None:
    with pytest.raises(jsonpos.JsonError, match=message):
        jsonpos.loads(text)


def test_line_index_equals_counting_newlines() -> None:
    rng = random.Random(7)
    text = "".join(rng.choice(["a", "b", "\n", "参", "\n\n"]) for _ in range(2000))
    index = LineIndex(text)
    for pos in [0, len(text), *(rng.randrange(len(text)) for _ in range(300))]:
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        assert index.point("f", pos) == Span.point("f", line, column)


def _read(tmp_path: Path, policy, claim: dict, person: dict | None = None):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"参保人": person or {"险种": "职工医保", "人员类别": "在职"}, "就诊": [claim]},
                               ensure_ascii=False), encoding="utf-8")
    return read_claims(path, policy)


@pytest.mark.parametrize(("fee", "fen"), [("2,000.00", 200000), ("２０００", 200000), ("2_000", None),
                                          ("٢٠٠٠", None), ("9999999999999999", None), ("1000000000", 10**11)])
def test_settle_reads_amounts_by_the_one_rule(tmp_path, policy, fee, fen) -> None:
    claim = {k: v for k, v in CLAIM.items() if k != "明细"} | {"费用": fee}
    cf = _read(tmp_path, policy, claim)
    assert [c.amount for c in cf.claims] == ([fen] if fen is not None else [])
    assert all(d.code == "E012" for d in cf.diagnostics)


def test_settle_reads_full_width_dates_and_normalises_the_person_id(tmp_path, policy) -> None:
    claim = {k: v for k, v in CLAIM.items() if k != "明细"} | {"日期": "２０２４－０３－０１", "医院等级": " 二级\u3000"}
    cf = _read(tmp_path, policy, claim, {"参保人ID": "\u3000Ａ1\t", "险种": "职工医保"})
    assert not cf.diagnostics and cf.person.id == "A1" and cf.claims[0].date.isoformat() == "2024-03-01"
    assert dict(cf.claims[0].facts)["医院等级"] == "二级"


def test_itemised_total_is_bounded_too(tmp_path, policy) -> None:
    items = [{"名称": "药", "类别": "甲类", "金额": "1000000000"}] * 2
    cf = _read(tmp_path, policy, {"日期": "2024-03-01", "明细": items})
    assert not cf.claims and "明细合计超过 10 亿元" in cf.diagnostics[0].message
