"""继承 / 覆盖: a region takes its parent's rules and overrides single values; bad overrides are located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policylang.api import check_path
from policylang.ir.claims import Claim, Person
from policylang.ir.values import Money

HERE = Path(__file__).parent


def test_child_overrides_one_cell_and_keeps_the_rest() -> None:
    checked = check_path(HERE / "child")
    assert checked.errors == 0
    scheme = checked.policy.schemes[0]
    cap = scheme.layers[0].caps[0].param.versions[0].table
    values = {c.label(): c.value for c in cap.cells}
    assert values == {"在职": Money(150000), "退休": Money(160000)}


def test_trace_points_at_the_file_each_step_came_from() -> None:
    policy = check_path(HERE / "child").policy
    person = Person("p", (("人员类别", "在职"), ("险种", "职工医保")))
    claim = Claim(dt.date(2024, 3, 1), 300000, (("医院等级", "一级"), ("就医类型", "普通门诊")))
    from policylang.eval.settle import settle

    (result,) = settle(policy, person, [claim])
    files = {t.origin.file for t in result.trace if t.origin}
    assert any(f.endswith("base/rules.policy") for f in files)  # deductible and ratio from the parent
    cap_line = next(t for t in result.trace if "封顶线" in t.text)
    assert cap_line.origin.file.endswith("child/rules.policy")  # the overridden cap from the child
    assert result.fund == 150000


def test_every_override_of_something_missing_is_reported() -> None:
    checked = check_path(HERE / "fixtures" / "bad_override.policy")
    codes = [(d.code, d.span.line) for d in checked.diagnostics]
    assert codes == [("E028", 4), ("E028", 5), ("E028", 6), ("E028", 8)]


def test_inheritance_cycle_and_missing_parent(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "r.policy").write_text('地区 甲\n继承 b\n', encoding="utf-8")
    (tmp_path / "b" / "r.policy").write_text('地区 乙\n继承 a\n', encoding="utf-8")
    assert "E054" in {d.code for d in check_path(tmp_path / "a").diagnostics}
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "r.policy").write_text('地区 丙\n继承 没有这个地区\n', encoding="utf-8")
    assert [d.code for d in check_path(tmp_path / "c").diagnostics] == ["E055"]
