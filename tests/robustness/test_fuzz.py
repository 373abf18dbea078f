"""Never a traceback: random and mutated scripts and claim files give located diagnostics, nothing else."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from functools import cache
from pathlib import Path

from conftest import SUIZHOU
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylang.api import check_path, compile_path
from policylang.diagnostics import render_all
from policylang.inputs.claimfile import read_claims
from policylang.syntax.parser import keywords

# A small default keeps the suite fast; `make fuzz` runs the same properties long (POLICYLANG_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=EXAMPLES <= 80)
ROOT = Path(__file__).resolve().parents[2]
REGIONS = sorted(d for d in (ROOT / "regions").iterdir() if d.is_dir())
# Every script of every region, the standard library and the vocabulary examples: the mutations start from
# what officers really write.
SCRIPT_FILES = sorted({*SUIZHOU.glob("*.policy"), *(ROOT / "regions").rglob("*.policy"),
                       *(ROOT / "stdlib").rglob("*.policy"), *(ROOT / "tests" / "vocabulary").rglob("*.policy")})
REAL_SCRIPTS = [p.read_text(encoding="utf-8") for p in SCRIPT_FILES]
PIECES = [
    *sorted(keywords()), "职工医保", "在职", "退休", "一级", "四级", "普通门诊", "统筹支付", "enums",
    "{", "}", "(", ")", ",", ";", "=", "/", "|", "%", "，", "；", "：", "（", "）", "｛", "｝", "％", "。",
    "0", "7", "120", "500.07", "１２３", "1e5", "-3", "2024-01-01", "2024-02-30", "2024年1月1日", "2024年13月1日",
    '"说明"', "“引号”", "《依据》", '"未结束', "#注释\n", "\n", " ", "\t", "@", "$", "·", "\u3000", "\ufeff",
]


def check_text(text: str) -> None:
    """check_path must not raise; every diagnostic on the file has a span inside it, and renders."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.policy"
        path.write_text(text, encoding="utf-8")
        checked = check_path(path)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for diag in checked.diagnostics:
            assert diag.span is not None, diag.headline()
            if diag.span.file != checked.unit.root:
                continue  # a diagnostic in an imported file
            s = diag.span
            assert 1 <= s.line <= len(lines), diag.headline()
            assert 1 <= s.column <= len(lines[s.line - 1]) + 1, diag.headline()
            assert (s.end_line, s.end_column) >= (s.line, s.column), diag.headline()
            assert "应为  " not in diag.message and "__" not in diag.message, diag.headline()
        render_all(checked.diagnostics, checked.unit.sources)
        if checked.errors == 0:
            assert checked.policy is not None


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join))
def test_random_token_soup(text: str) -> None:
    check_text(text)


@FUZZ
@given(st.lists(st.sampled_from(PIECES) | st.characters(codec="utf-8"), max_size=80).map("".join))
def test_random_characters(text: str) -> None:
    check_text(text)


def mutate(text: str, rnd: random.Random, edits: int) -> str:
    tokens = text.split(" ")
    for _ in range(edits):
        i, j = rnd.randrange(len(tokens)), rnd.randrange(len(tokens))
        op = rnd.randrange(4)
        if op == 0 and len(tokens) > 1:
            del tokens[i]
        elif op == 1:
            tokens.insert(i, tokens[j])
        elif op == 2:
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens[i] = rnd.choice(PIECES)
    return " ".join(tokens)


@FUZZ
@given(st.sampled_from(REAL_SCRIPTS), st.randoms(use_true_random=False), st.integers(1, 6))
def test_mutated_real_scripts(script: str, rnd: random.Random, edits: int) -> None:
    check_text(mutate(script, rnd, edits))


@FUZZ
@given(st.sampled_from(REAL_SCRIPTS), st.integers(0, 10_000))
def test_truncated_real_scripts(script: str, cut: int) -> None:
    check_text(script[: cut % (len(script) + 1)])


# ---- claim files -------------------------------------------------------------------------------
@cache
def suizhou():
    return compile_path(SUIZHOU)


GOOD_CLAIMS = json.dumps({"参保人": {"险种": "职工医保", "人员类别": "在职"},
                          "就诊": [{"日期": "2024-03-01", "就医类型": "普通门诊", "医院等级": "二级", "费用": "2000"}]},
                         ensure_ascii=False, indent=1)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(["参保人", "就诊", "日期", "费用", "医院等级", "x"]),
                                             inner, max_size=4), max_leaves=12)


def read_text_claims(text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "c.json"
        path.write_text(text, encoding="utf-8")
        cf = read_claims(path, suizhou())
        lines = text.split("\n")
        for diag in cf.diagnostics:
            if diag.span is not None:
                assert 1 <= diag.span.line <= len(lines)
                assert 1 <= diag.span.column <= len(lines[diag.span.line - 1]) + 1
        render_all(cf.diagnostics, {cf.source.path: cf.source})
        if not cf.diagnostics:
            assert cf.person is not None


def mutate_chars(text: str, rnd: random.Random, edits: int, inserted: str, replacing: str) -> str:
    """A claim file with characters deleted, inserted (from `inserted`) or replaced (from `replacing`)."""
    chars = list(text)
    for _ in range(edits):
        i = rnd.randrange(len(chars))
        op = rnd.randrange(3)
        if op == 0:
            del chars[i]
        elif op == 1:
            chars.insert(i, rnd.choice(inserted))
        else:
            chars[i] = rnd.choice(replacing)
    return "".join(chars)


@FUZZ
@given(st.randoms(use_true_random=False), st.integers(1, 5))
def test_mutated_claim_file(rnd: random.Random, edits: int) -> None:
    read_text_claims(mutate_chars(GOOD_CLAIMS, rnd, edits, '{}[]",:-.0123456789e \n四级', '{}[]",:-.0123456789eE+ \n'))


@FUZZ
@given(json_values)
def test_random_json_structure(value: object) -> None:
    read_text_claims(json.dumps(value, ensure_ascii=False))


# ---- claim files of every region ------------------------------------------------------------------
def _json_fact(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(value)


@cache
def region_claim_file(region: Path) -> tuple[object, str]:
    """A region's policy and a valid claim file made from its first test with claims (its own vocabulary)."""
    checked = check_path(region)
    assert checked.policy is not None, region
    case = next(c for c in checked.compiled.tests if c.claims)
    person = {k: _json_fact(v) for k, v in case.person.facts}
    visits = []
    for tc in case.claims[:3]:
        c = tc.claim
        visit = {"日期": c.date.isoformat(), "费用": f"{c.amount // 100}.{c.amount % 100:02d}"}
        visit.update({k: _json_fact(v) for k, v in c.facts})
        visits.append(visit)
    text = json.dumps({"参保人": person, "就诊": visits}, ensure_ascii=False, indent=1)
    return checked.policy, text


def read_region_claims(region: Path, text: str) -> None:
    """read_claims then settle: located diagnostics or a settlement, never an exception."""
    from policylang.eval.settle import settle

    policy, _ = region_claim_file(region)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "c.json"
        path.write_text(text, encoding="utf-8")
        cf = read_claims(path, policy)
        render_all(cf.diagnostics, {cf.source.path: cf.source})
        if not cf.diagnostics and cf.person is not None:
            for r in settle(policy, cf.person, cf.claims):
                assert 0 <= r.total_fund <= r.cost or r.refused, (region.name, r.claim)


@FUZZ
@given(st.sampled_from(REGIONS), st.randoms(use_true_random=False), st.integers(1, 5))
def test_mutated_claim_file_of_every_region(region: Path, rnd: random.Random, edits: int) -> None:
    _, good = region_claim_file(region)
    read_region_claims(region, mutate_chars(good, rnd, edits, '{}[]",:-.0123456789e \n一二三四级职工居民',
                                            '{}[]",:-.0123456789eE+ \n０１２'))


def test_every_region_has_a_fuzzable_claim_file() -> None:
    """The seed files themselves are valid: the mutations start from a claim each region really settles."""
    for region in REGIONS:
        policy, text = region_claim_file(region)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "c.json"
            path.write_text(text, encoding="utf-8")
            cf = read_claims(path, policy)
        assert not cf.diagnostics, (region.name, [x.headline() for x in cf.diagnostics])
