"""Golden files: each golden/NAME.policy renders exactly to golden/NAME.expected (`policylang check` text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import compare_golden

from policylang.api import check_path
from policylang.diagnostics import CODES, render_all

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.policy"))
CLAIM_FILE_CODES = ("E030", "E031", "E056")  # reported only for claim files, never for a script


def _rendered(case: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, set[str]]:
    monkeypatch.chdir(GOLDEN)
    checked = check_path(case.name)
    return render_all(checked.diagnostics, checked.unit.sources) + "\n", {d.code for d in checked.diagnostics}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    text, codes = _rendered(case, monkeypatch)
    compare_golden(case.with_suffix(".expected"), text, update_golden)
    named = re.match(r"([ew]\d{3})_", case.stem)
    if named:  # a case named for a code must produce that code
        assert named[1].upper() in codes


def test_goldens_cover_most_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    covered = set().union(*(_rendered(c, monkeypatch)[1] for c in CASES))
    script_codes = {c for c in CODES if c not in CLAIM_FILE_CODES}
    assert len(covered) >= 18
    assert covered <= set(CODES)
    assert not script_codes - covered, f"codes without a golden case: {sorted(script_codes - covered)}"


def test_every_golden_has_expected_file() -> None:
    expected = {p.stem for p in GOLDEN.glob("*.expected")}
    assert expected == {c.stem for c in CASES}
