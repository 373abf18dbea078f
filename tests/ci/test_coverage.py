"""Rule coverage: items come from the IR, reached = a trace line points at the item's span."""

from __future__ import annotations

import attrs

from ci.helpers import SUIZHOU, write_region
from policylang import ir
from policylang.source import Span
from policylang.tools.coverage import coverable, measure, percent
from policylang.tools.reports import run_region

ONE_TEST = """
测试 "在职 一级" {
    参保人 职工医保 在职
    就诊 2024-03-01 普通门诊 一级 1000 元  期望 统筹支付 400 元
}
"""


def test_suizhou_tests_reach_every_rule():
    cov = run_region(SUIZHOU).coverage
    assert cov is not None
    assert cov.missing == ()
    kinds = cov.by_kind()
    assert kinds["比例表项"] == (3, 3) and kinds["封顶线表项"] == (2, 2) and kinds["方案"] == (1, 1)
    assert kinds["比例调整"] == (1, 1) and kinds["起付线表项"] == (2, 2)


def test_unreached_cells_and_adjustment_are_listed(tmp_path):
    cov = run_region(write_region(tmp_path / "city", tests=ONE_TEST)).coverage
    assert cov is not None
    missing = {(it.kind, it.label.split(" › ")[-1]) for it in cov.missing}
    assert missing == {("比例表项", "二级 70%"), ("比例表项", "三级 60%"), ("起付线表项", "退休 400.00 元"),
                       ("封顶线表项", "退休 1,600.00 元"), ("比例调整", "退休 加 5%")}
    assert (len(cov.covered), len(cov.items)) == (4, 9)
    assert percent(cov.ratio) == "44.4%"
    lines = {it.origin.line for it in cov.missing}
    assert lines == {8, 9, 10, 11}


def test_min_coverage_fails_below_and_passes_at_threshold(tmp_path, run_cli):
    city = write_region(tmp_path / "city", tests=ONE_TEST)
    below = run_cli("test", city, "--min-coverage", "50")
    assert below.exit_code == 1
    assert "覆盖率 44.4% 低于要求的 50%" in below.output
    assert "未被任何测试覆盖" in below.output and "二级 70%" in below.output
    assert run_cli("test", city, "--min-coverage", "44").exit_code == 0
    assert run_cli("test", SUIZHOU, "--min-coverage", "100").exit_code == 0


@attrs.frozen
class Bracket:
    """Stands in for a primitive the IR does not have yet."""

    upto: int
    ratio: int
    origin: Span | None = attrs.field(eq=False, default=None)


@attrs.frozen
class FutureLayer:
    name: str
    brackets: tuple[Bracket, ...]
    origin: Span | None = attrs.field(eq=False, default=None)


def test_unknown_primitives_with_spans_are_coverable(suizhou_policy):
    spans = [Span.point("x.policy", n, 5) for n in (3, 4)]
    layer = FutureLayer("大病保险", tuple(Bracket(u, r, s) for u, r, s in zip((1, 2), (60, 70), spans, strict=True)),
                        Span.point("x.policy", 2, 1))
    scheme = attrs.evolve(suizhou_policy.schemes[0], layers=(*suizhou_policy.schemes[0].layers, layer))
    policy = attrs.evolve(suizhou_policy, schemes=(scheme,))
    items = [it for it in coverable(policy) if it.kind == "规则"]
    assert [it.origin.line for it in items] == [3, 4]
    assert all("大病保险" in it.label for it in items)
    assert measure("x", policy, []).missing[-2:] == tuple(items)


def test_items_are_one_per_span(suizhou_policy):
    items = coverable(suizhou_policy)
    assert len({it.key for it in items}) == len(items)
    assert all(not isinstance(it, ir.Layer) for it in items)


def test_every_coverable_ir_class_has_a_chinese_kind():
    """Coverage never shows an internal class name (Account, CountRule …): every IR class with a span is named."""
    import inspect

    import attrs as attrs_

    from policylang.ir import nodes, params
    from policylang.tools.coverage import KIND_NAMES

    spanned = {name for mod in (nodes, params) for name, cls in vars(mod).items()
               if inspect.isclass(cls) and attrs_.has(cls) and cls.__module__ == mod.__name__
               and "origin" in attrs_.fields_dict(cls)}
    assert spanned - set(KIND_NAMES) == set()
    assert all(not kind.isascii() for kind in KIND_NAMES.values())


def test_accounts_and_counters_are_listed_in_chinese():
    from pathlib import Path

    from policylang.tools.reports import run_region

    root = Path(__file__).resolve().parents[1] / "vocabulary"
    for name in ("accounts", "counters"):
        run = run_region(root / name)
        assert run.coverage is not None
        kinds = set(run.coverage.by_kind())
        assert not any(k.isascii() for k in kinds), kinds
