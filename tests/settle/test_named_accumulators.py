"""Named accumulators and their relatives, settled with worked numbers: a layer on the spending above a
bracketed layer's cap, a cap table that shares one total or keeps one per cell, two caps in one layer both
counting what was paid, year-to-date balances from a claim file; and the same constructs in diff and history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from policylang.api import check_path
from policylang.eval.settle import settle
from policylang.inputs.claimfile import read_claims
from policylang.ir.claims import Claim, Person
from policylang.tools.diff import diff_policies
from policylang.tools.history import history, sentence

HEAD = '地区 测试市\n依据 《测试办法》\n导入 "fields"\n'


def _compile(tmp_path: Path, body: str, name: str = "rules"):
    path = tmp_path / f"{name}.policy"
    path.write_text(HEAD + body, encoding="utf-8")
    checked = check_path(path)
    assert checked.policy is not None, [d.headline() for d in checked.diagnostics]
    return checked


def _claim(day: str, fen: int, i: int = 0, **facts) -> Claim:
    return Claim(dt.date.fromisoformat(day), fen, tuple(sorted({"就医类型": "住院", "医院等级": "二级",
                                                              **facts}.items())), i)


PERSON = Person("p", (("人员类别", "在职"), ("险种", "职工医保")))


def test_a_layer_above_a_bracketed_cap(tmp_path):
    """Bands 0–1 万元 50%, above 80%, cap 2 万元. A base of 4 万元 pays 5000 + 2.4 万 → capped at 2 万:
    F(x) = 2 万 at x = 1 万 + 1.5 万 ÷ 80% = 28750 元, so the part above the cap is 40000 − 28750 = 11250 元;
    at 90% the 大额 layer pays 10125 元."""
    policy = _compile(tmp_path, """
方案 住院 (就医类型 = 住院) {
    周期 自然年度
    分段 { 1万元(含)以内 50%, 超过1万元 80% }
    封顶线 年度 2 万元
    层 大额 {
        基数 超过上一层封顶线的部分
        比例 90%
    }
}
""").policy
    first, second = settle(policy, PERSON, [_claim("2024-03-01", 4_000_000), _claim("2024-05-01", 1_000_000, 1)])
    assert [(ls.name, ls.paid) for ls in first.layers] == [("基本医保", 2_000_000), ("大额", 1_012_500)]
    # once capped, the whole next claim lies above the cap
    assert [(ls.name, ls.paid) for ls in second.layers] == [("基本医保", 0), ("大额", 900_000)]


def test_below_the_cap_the_layer_above_gets_nothing(tmp_path):
    policy = _compile(tmp_path, """
方案 住院 (就医类型 = 住院) {
    比例 80%
    封顶线 年度 2 万元
    层 大额 {
        基数 超过上一层封顶线的部分
        比例 90%
    }
    层 兜底 { 比例 50% }
}
""").policy
    [r] = settle(policy, PERSON, [_claim("2024-03-01", 1_000_000)])
    # 大额 gets nothing; the layer after it still works on what was left: (10000 − 8000) × 50%
    assert [(ls.name, ls.paid) for ls in r.layers] == [("基本医保", 800_000), ("大额", 0), ("兜底", 100_000)]
    assert any("只计上一层封顶线以上部分" in t.text for t in r.trace)


CELLS = """
方案 居民 (险种 = 城乡居民医保) {
    周期 自然年度
    比例 50%
    封顶线 年度 普通门诊 500 元, 住院 2000 元 SHARING
}
"""
RESIDENT = Person("q", (("人员类别", "居民"), ("险种", "城乡居民医保")))


def _funds(tmp_path: Path, sharing: str) -> list[int]:
    checked = _compile(tmp_path, CELLS.replace("SHARING", sharing), sharing or "unsaid")
    assert ("W114" in {d.code for d in checked.diagnostics}) == (sharing == "")
    claims = [_claim("2024-02-01", 200_000, 0, 就医类型="普通门诊"), _claim("2024-03-01", 400_000, 1)]
    return [r.fund for r in settle(checked.policy, RESIDENT, claims)]


def test_a_keyed_cap_table_shares_one_total_unless_it_says_each_counts_apart(tmp_path):
    # 门诊 2000 × 50% = 1000 → its 500; 住院 4000 × 50% = 2000: one total leaves 2000 − 500 = 1500,
    # a total of its own pays all 2000. Unsaid is one total (as before), with W114.
    assert _funds(tmp_path, "") == [50_000, 150_000]
    assert _funds(tmp_path, "合并累计") == [50_000, 150_000]
    assert _funds(tmp_path, "各自累计") == [50_000, 200_000]


def test_two_caps_in_one_layer_both_count_what_was_paid(tmp_path):
    policy = _compile(tmp_path, """
累计 总额 年度
方案 门诊 (就医类型 = 普通门诊) {
    周期 自然年度
    比例 100%
    封顶线 年度 500 元
    封顶线 年度 800 元 计入 总额
}
方案 住院 (就医类型 = 住院) {
    周期 自然年度
    比例 100%
    封顶线 年度 800 元 计入 总额
}
""").policy
    claims = [_claim("2024-01-05", 40_000, 0, 就医类型="普通门诊"), _claim("2024-02-01", 30_000, 1),
              _claim("2024-03-01", 40_000, 2, 就医类型="普通门诊")]
    # 400 (both caps count it); 住院 300 (总额 700); 门诊 400 → own cap leaves 100, 总额 leaves 100 → 100
    assert [r.fund for r in settle(policy, PERSON, claims)] == [40_000, 30_000, 10_000]


def test_year_to_date_totals_from_a_claim_file(tmp_path):
    policy = check_path(Path(__file__).resolve().parents[2] / "tests" / "vocabulary" / "accumulators").policy
    data = {"参保人": {"险种": "职工医保", "人员类别": "在职", "已累计": {"共用起付": "1000", "门诊住院限额": "79000"},
                    "截至": "2024-06-30"},
            "就诊": [{"日期": "2024-07-01", "就医类型": "住院", "医院等级": "二级", "费用": "5000"}]}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    read = read_claims(path, policy)
    assert not read.diagnostics and read.person is not None
    [r] = settle(policy, read.person, read.claims)
    assert (r.deductible, r.fund, r.output("大额补助")) == (0, 100_000, 337_500)


def test_an_unknown_year_to_date_name_in_a_claim_file_is_located(tmp_path):
    policy = check_path(Path(__file__).resolve().parents[2] / "tests" / "vocabulary" / "accumulators").policy
    path = tmp_path / "claims.json"
    path.write_text('{"参保人": {"险种": "职工医保", "已累计": {"共用起付线": "1000"}}, "就诊": []}', encoding="utf-8")
    [diag] = read_claims(path, policy).diagnostics
    assert diag.code == "E083" and diag.span is not None and "共用起付" in (diag.help or "")


DATED = """
累计 合计 年度
方案 住院 (就医类型 = 住院) {
    比例 80%
    封顶线 年度 2 万元
    封顶线 年度 3 万元 至 2023-12-31 计入 合计
    封顶线 年度 4 万元 自 2024-01-01 起 计入 合计
    层 大额 {
        基数 超过上一层封顶线的部分
        比例 90%
    }
}
"""


def test_diff_shows_a_shared_cap_a_new_accumulator_and_a_layer_base(tmp_path):
    old = _compile(tmp_path, """
方案 住院 (就医类型 = 住院) {
    比例 80%
    封顶线 年度 2 万元
    层 大额 { 比例 90% }
}
""", "old").policy
    changes = {(c.path[-1] if c.path else "", c.item, c.status, c.new)
               for c in diff_policies(old, _compile(tmp_path, DATED, "new").policy)}
    assert ("基本医保", "年度封顶线（计入累计“合计”） 默认", "新增", "40,000.00 元") in changes
    assert ("大额", "基数为上一层封顶线以上部分", "修改", "是") in changes
    assert ("", "累计 合计", "新增", "累计 合计（年度，计封顶线）") in changes


def test_history_names_the_total_a_cap_counts_in(tmp_path):
    [change] = history(_compile(tmp_path, DATED).policy)
    assert "年度封顶线（合计：合计）" in sentence(change) and "由3万元提高至4万元" in sentence(change)


def test_a_deductible_table_counted_apart_per_cell(tmp_path):
    """起付线 年度 一级 200 元, 三级 500 元 各自累计: each level has its own yearly deductible."""
    policy = _compile(tmp_path, """
方案 门诊 (就医类型 = 普通门诊) {
    周期 自然年度
    起付线 年度 一级 200 元, 二级/三级 500 元 各自累计
    比例 50%
}
""").policy
    claims = [_claim("2024-01-05", 30_000, 0, 就医类型="普通门诊", 医院等级="一级"),
              _claim("2024-02-05", 60_000, 1, 就医类型="普通门诊", 医院等级="三级")]
    first, second = settle(policy, PERSON, claims)
    # 一级 borne 200; 三级 still bears its own 500: (600 − 500) × 50% = 50
    assert (first.deductible, second.deductible, second.fund) == (20_000, 50_000, 5_000)
    assert any("本年三级已累计起付 0.00 元" in t.text for t in second.trace)


def test_a_named_total_keyed_by_a_claim_field_is_shared_across_schemes(tmp_path):
    policy = _compile(tmp_path, """
字段 孕期号 文字 可选
累计 孕期限额 按 孕期号
方案 孕检 (就医类型 = 产前检查) {
    比例 100%
    封顶线 1000 元 计入 孕期限额
}
方案 分娩 (就医类型 = 生育) {
    比例 100%
    封顶线 按 孕期号 1000 元 计入 孕期限额
}
""").policy
    claims = [_claim("2024-11-05", 60_000, 0, 就医类型="产前检查", 孕期号="一"),
              _claim("2025-03-05", 60_000, 1, 就医类型="生育", 孕期号="一"),
              _claim("2025-03-06", 60_000, 2, 就医类型="生育", 孕期号="二")]
    assert [r.fund for r in settle(policy, PERSON, claims)] == [60_000, 40_000, 60_000]
