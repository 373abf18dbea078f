"""Charts of what the fund and the person pay as the year's spending grows, drawn from the real evaluator.

The curve is computed by settling one synthetic claim of amount x for a grid of x, per combination of the
person categories / hospital levels the scheme distinguishes; so the picture shows the deductible, the
ratio steps, the caps and every layer exactly as settlement does. Floats appear only in the drawing.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging
import re
import warnings
from pathlib import Path

import attrs

from policylang import ir
from policylang.docs.dimensions import as_of, dimensions, is_dated
from policylang.docs.primitives import Column, layer_parts
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts
from policylang.ir.values import Money, Ratio
from policylang.ir.wording import date_cn, money_cn

log = logging.getLogger(__name__)

GRID = 240
# the English gloss ending a refusal reason: "缺少孕期号… (no 孕期号 to key the running total)"
_ENGLISH_GLOSS = re.compile(r"\s*\([A-Za-z][^()（）]*\)$")
MAX_PANELS = 12


@attrs.frozen
class Panel:
    label: str
    layers: tuple[tuple[str, tuple[int, ...]], ...]  # layer name → paid (分) at each x
    personal: tuple[int, ...]
    summary: str


@attrs.frozen
class ChartData:
    title: str
    as_of: dt.date
    xs: tuple[int, ...]  # 分
    panels: tuple[Panel, ...]

    def alt(self) -> str:
        return (f"图：{self.title}，横轴为年度政策范围内费用（0 至 {money_cn(self.xs[-1])}），"
                f"纵轴为金额；图中分别画出统筹基金各层支付与个人负担。" + " ".join(p.summary for p in self.panels))


def _nice_ceiling(fen: int) -> int:
    """Round up to 1, 2 or 5 × 10^k 元 (in 分)."""
    yuan = max(1, -(-fen // 100))
    scale = 1
    while True:
        for m in (1, 2, 5):
            if m * scale >= yuan:
                return m * scale * 100
        scale *= 10


def _x_max(columns: list[Column]) -> int:
    money, ratios = 0, []
    for c in columns:
        values = [cell.value for v in c.param.versions for cell in v.table.cells]
        ints = [int(v) for v in values if isinstance(v, Money)]
        money += max(ints, default=0)
        ratios += [v.value for v in values if isinstance(v, Ratio) and v.value > 0]
    if not money:
        return 1_000_000
    low = min(ratios, default=1)
    return _nice_ceiling(int(money / low * 5 / 4))


class _Curve:
    """fund(x) and the layer shares for one person category, by settling one claim of x 分."""

    def __init__(self, policy: ir.Policy, scheme: ir.Scheme, fact_map: dict[str, str], day: dt.date) -> None:
        self.policy, self.scheme = policy, scheme
        self.person = Person("图表", facts(fact_map))
        self.day = day

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one curve object per panel, short-lived
    def shares(self, x: int) -> tuple[tuple[int, ...], int]:
        (r,) = settle(self.policy, self.person, [Claim(self.day, x)])
        paid = {ls.name: ls.paid for ls in r.layers}
        return tuple(paid.get(layer.name, 0) for layer in self.scheme.layers), r.personal

    def refused(self, x: int) -> tuple[str, ...]:
        (r,) = settle(self.policy, self.person, [Claim(self.day, x)])
        return tuple(r.refused)

    def fund(self, x: int) -> int:
        return sum(self.shares(x)[0])

    def first(self, pred, hi: int) -> int | None:
        """The smallest x in [0, hi] with pred(x), for a predicate monotone in x."""
        if not pred(hi):
            return None
        lo = 0
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if pred(mid) else (mid + 1, hi)
        return lo


def _summary(label: str, curve: _Curve, x_max: int) -> str:
    top = curve.fund(x_max)
    if top == 0:
        return f"{label}：年度费用在 {money_cn(x_max)} 以内时统筹基金不支付。"
    start = curve.first(lambda x: curve.fund(x) > 0, x_max)
    text = f"{label}：年度费用超过{money_cn(max(0, (start or 0) - 1))}后统筹基金开始支付"
    if curve.fund(x_max * 9 // 10) == top:
        full = curve.first(lambda x: curve.fund(x) >= top, x_max)
        return text + f"；费用达到{money_cn(full or 0)}时统筹支付达到{money_cn(top)}，此后不再增加，其余由个人负担。"
    return text + f"；费用为{money_cn(x_max)}时统筹支付{money_cn(top)}，个人负担{money_cn(x_max - top)}。"


class ChartSkipped(Exception):
    """The chart cannot stand for the scheme (a person the chart cannot describe); the message says why."""


def chart_or_note(policy: ir.Policy, scheme: ir.Scheme) -> tuple[ChartData | None, str | None]:
    """The chart, or a sentence saying why there is none (payments depending on 年龄 or a wage, refusals)."""
    from policylang.docs.computed import scheme_fields

    fields = scheme_fields(scheme)
    if fields:
        return None, (f"本方案的待遇与参保人的{'、'.join(fields)}有关，一张示意图无法代表所有人，因此不画示意图；"
                      "请参看上文的计算方法和下面的算例。")
    from policylang.tools.generate import per_unit_fields

    units = per_unit_fields(scheme)
    if units:
        return None, (f"本方案的支付与每次就诊的{'、'.join(units)}有关，一张示意图无法代表所有就诊，因此不画示意图；"
                      "请参看上文的计算方法和下面的算例。")
    try:
        return chart_data(policy, scheme), None
    except ChartSkipped as e:
        from policylang.docs.examples import without_gloss

        return None, f"本方案不画示意图：{without_gloss(str(e))}。请参看下面的算例。"


def chart_data(policy: ir.Policy, scheme: ir.Scheme) -> ChartData | None:
    columns = [c for layer in scheme.layers for p in layer_parts(layer) for c in p.columns]
    if not scheme.layers:
        return None
    day = as_of(scheme, columns, policy)
    base = {c.field: sorted(c.values)[0] for c in scheme.when}
    if not scheme.applies(base, day):
        return None
    # Layers with their own conditions (医疗救助 for 低保/特困) are drawn for a person who qualifies.
    layer_facts = {c.field: sorted(c.values)[0] for layer in scheme.layers for c in getattr(layer, "when", ())}
    base = layer_facts | base
    who = "、".join(f"{f}为{v}" for f, v in layer_facts.items())
    dims = dimensions(policy, scheme, columns)
    x_max = _x_max(columns)
    xs = tuple(x_max * i // GRID for i in range(GRID + 1))
    panels = []
    for combo in itertools.islice(itertools.product(*(v for _, v in dims)), MAX_PANELS):
        fact_map = base | dict(zip((f for f, _ in dims), combo, strict=True))
        curve = _Curve(policy, scheme, fact_map, day)
        refused = curve.refused(x_max)
        if refused:
            reasons = "；".join(_ENGLISH_GLOSS.sub("", r) for r in refused)  # a citizen reads the Chinese only
            raise ChartSkipped(f"按示意人员（{'、'.join(combo) or scheme.name}）结算时不予支付：{reasons}")
        rows = [curve.shares(x) for x in xs]
        layers = tuple((layer.name, tuple(r[0][i] for r in rows)) for i, layer in enumerate(scheme.layers))
        label = "、".join(v if v not in ("是", "否") else f"{f}：{v}" for (f, _), v in zip(dims, combo, strict=True))
        label = label or scheme.name
        panels.append(Panel(label, layers, tuple(r[1] for r in rows), _summary(label, curve, x_max)))
    note = f"，按{who}的人员计算" if who else ""
    when = f"{date_cn(day)}起" if is_dated(scheme, columns, policy) else "现行标准"
    return ChartData(f"{scheme.name}：统筹基金支付与个人负担（{when}{note}）", day, xs, tuple(panels))


# ---- drawing ---------------------------------------------------------------------------------------
_CJK_HINTS = ("Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "Droid Sans Fallback",
              "AR PL", "Sarasa", "SimHei", "Microsoft YaHei", "PingFang")


@functools.cache
def cjk_font() -> str | None:
    """The family name of an installed CJK-capable font (for layout metrics), or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for hint in _CJK_HINTS:
        found = sorted(n for n in names if hint in n)
        if found:
            return next((n for n in found if n.endswith(" SC")), found[0])
    for path in font_manager.findSystemFonts():
        if any(k in Path(path).name for k in ("CJK", "wqy", "SourceHan", "DroidSansFallback")):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    log.info("policylang docs: no CJK font found; chart text is kept as text for the reader's browser to draw")
    return None


_FUND_COLOURS = ("#1f6fb2", "#5aa469", "#8e6bbf", "#2aa198", "#b58900")
_PERSON_COLOUR = "#e8a33d"


def draw_svg(data: ChartData, path: Path) -> None:
    """Draw one panel per person category / hospital level as stacked areas; write SVG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # Text stays text in the SVG (svg.fonttype none): the reader's browser draws it with its own fonts, so the
    # labels are Chinese on every machine; a local CJK font, when there is one, only improves the layout metrics.
    font = cjk_font()
    rc = {"svg.hashsalt": "policylang", "svg.fonttype": "none", "axes.unicode_minus": False,
          "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"]}
    n = len(data.panels)
    cols = min(3, n)
    rows = -(-n // cols)
    with plt.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # no local CJK font: metrics only
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows + 0.6), squeeze=False,
                                 sharex=True, sharey=True)
        xs = [x / 100 for x in data.xs]
        for ax, panel in zip(axes.flat, data.panels, strict=False):
            names = [name for name, _ in panel.layers]
            series = [[y / 100 for y in ys] for _, ys in panel.layers] + [[y / 100 for y in panel.personal]]
            labels = [f"统筹支付：{n}" for n in names] + ["个人负担"]
            colours = [_FUND_COLOURS[j % len(_FUND_COLOURS)] for j in range(len(panel.layers))] + [_PERSON_COLOUR]
            ax.stackplot(xs, *series, labels=labels, colors=colours, alpha=0.85)
            ax.set_title(panel.label, fontsize=11)
            ax.grid(alpha=0.3)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.margins(x=0, y=0)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", ncol=len(labels), frameon=False)
        fig.supxlabel("年度政策范围内费用（元）")
        fig.supylabel("金额（元）")
        fig.tight_layout(rect=(0, 0, 1, 0.93))
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="svg", metadata={"Date": None})
        plt.close(fig)
