"""Synthetic claim tables: seeded, plausible, and readable by the claim-table reader."""

from __future__ import annotations

import statistics
from collections import Counter

from ci.helpers import SUIZHOU
from policylang.inputs.claimtable import amount_fen, read_table
from policylang.tools.sample import sample_rows, sample_tables, write_sample


def test_seeded_and_sized(suizhou_policy):
    a = sample_rows(suizhou_policy, 300, seed=5)
    assert a == sample_rows(suizhou_policy, 300, seed=5)
    assert a != sample_rows(suizhou_policy, 300, seed=6)
    assert len(a) == 300
    assert [r["日期"] for r in a] == sorted(r["日期"] for r in a)
    assert all(r["日期"].startswith("2024-") for r in a)  # the policy's first year


def test_plausible_distributions(suizhou_policy):
    rows = sample_rows(suizhou_policy, 3000, seed=1)
    by_visit: dict[str, list[int]] = {}
    for r in rows:
        by_visit.setdefault(r["就医类型"], []).append(amount_fen(r["费用"]))
    assert statistics.median(by_visit["住院"]) > 20 * statistics.median(by_visit["普通门诊"])
    visits = Counter(r["就医类型"] for r in rows)
    assert visits.most_common(1)[0][0] == "普通门诊"
    assert set(Counter(r["医院等级"] for r in rows)) == {"一级", "二级", "三级"}
    per_person = Counter(r["参保人ID"] for r in rows)
    assert max(per_person.values()) > 3 and len(per_person) < len(rows) / 2
    for r in rows:
        if r["险种"] == "城乡居民医保":
            assert r["人员类别"] in ("居民", "学生儿童")
        else:
            assert r["人员类别"] in ("在职", "退休")


def test_written_tables_read_back_identically(tmp_path, suizhou_policy, run_cli):
    for name in ("s.csv", "s.parquet"):
        out = tmp_path / name
        result = run_cli("sample", SUIZHOU, "-n", "200", "-o", out, "--seed", "3")
        assert result.exit_code == 0 and "200 条就诊" in result.output
        table = read_table(out, suizhou_policy)
        assert table.ok and table.rows == 200
        rows = sample_rows(suizhou_policy, 200, seed=3)
        assert sorted(c.amount for pc in table.people for c in pc.claims) == sorted(amount_fen(r["费用"]) for r in rows)


def test_unknown_suffix_is_refused(tmp_path, suizhou_policy, run_cli):
    result = run_cli("sample", SUIZHOU, "-n", "5", "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 1 and "不支持的文件类型" in result.stderr
    write_sample(suizhou_policy, tmp_path / "ok.csv", 5)
    assert (tmp_path / "ok.csv").read_text(encoding="utf-8").startswith("参保人ID,险种,人员类别,日期,就医类型,医院等级,费用")


def test_a_seed_reproduces_the_file(tmp_path, run_cli):
    for name in ("s.csv", "s.parquet"):
        a, b, c = (tmp_path / f"{k}-{name}" for k in "abc")
        for out, seed in ((a, "7"), (b, "7"), (c, "8")):
            assert run_cli("sample", SUIZHOU, "-n", "500", "-o", out, "--seed", seed, "--quiet").exit_code == 0
        assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_chunks_keep_date_order_and_whole_fen(suizhou_policy):
    people, tables = sample_tables(suizhou_policy, 2500, seed=2, chunk=1000)
    tables = list(tables)
    assert [t.num_rows for t in tables] == [1000, 1000, 500]
    dates = [d for t in tables for d in t.column("日期").to_pylist()]
    assert dates == sorted(dates)
    ids = {i for t in tables for i in t.column("参保人ID").to_pylist()}
    assert len(ids) == people
    for t in tables:
        assert all(a > 0 and a == a.quantize(__import__("decimal").Decimal("0.01")) for a in t.column("费用").to_pylist())
