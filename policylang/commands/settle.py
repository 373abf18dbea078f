"""`policylang settle PATH --claims FILE`: settle one person's claims and explain every step."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import click

from policylang.api import Regions, check_path
from policylang.commands.messages import CONTEXT, echo_err, safe, show_diagnostics
from policylang.diagnostics import render, sort_key
from policylang.eval.settle import ClaimResult, settle, settle_each
from policylang.inputs.claimfile import read_claims
from policylang.ir import terms
from policylang.ir.outputs import BY_NAME
from policylang.ir.units import fmt_plain, fmt_yuan
from policylang.ir.values import Money


def _result_json(r: ClaimResult) -> dict:
    out = {
        "日期": r.claim.date.isoformat(),
        "方案": r.scheme,
        "费用": fmt_plain(r.cost),
        "起付线": fmt_plain(r.deductible),
        "统筹支付": fmt_plain(r.fund),
        "个人自付": fmt_plain(r.personal),
        "全自费": fmt_plain(r.excluded),
        "先行自付": fmt_plain(r.first_paid),
        "政策范围内费用": fmt_plain(r.policy_range),
        "基金支付": fmt_plain(r.total_fund),
        "分层": {ls.name: fmt_plain(ls.paid) for ls in r.layers},
        "各项数值": {name: str(terms.output_value(name, v).n) if name in BY_NAME and BY_NAME[name].unit is not Money else fmt_plain(v)
                     for name, v in r.outputs().items()},
        "说明": [t.render() for t in r.trace],
    }
    if r.refused:
        out["不予支付原因"] = list(r.refused)
    if r.allowance_days:
        out["津贴天数"] = r.allowance_days
        out["津贴"] = fmt_plain(r.allowance)
    return out


# Up to this many claims the text output is a table and then each claim's explanation; beyond it (a year of
# a hospital's claims) one block per claim, so the output streams in bounded memory.
TABLE_CLAIMS = 500


def _explanation(i: int, r: ClaimResult) -> list[str]:
    lines = [f"  {safe(line.render())}" for line in r.trace]
    if r.refused:
        lines.append(f"  不予支付原因 (refused)：{safe('；'.join(r.refused))}")
    return lines


def _print_table(results: tuple[ClaimResult, ...]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="结算结果 (settlement)")
    for col in ("#", "日期", "方案", "费用", "起付线", "统筹支付", "个人自付"):
        table.add_column(col, justify="right" if col not in ("日期", "方案") else "left")
    for i, r in enumerate(results, 1):
        table.add_row(str(i), r.claim.date.isoformat(), safe(r.scheme or "—"), fmt_yuan(r.cost),
                      fmt_yuan(r.deductible), fmt_yuan(r.fund), fmt_yuan(r.personal))
    console = Console(soft_wrap=True)
    console.print(table)
    for i, r in enumerate(results, 1):
        console.print(f"\n[bold]第 {i} 次就诊 {r.claim.date}[/bold]", highlight=False)
        for line in _explanation(i, r):
            console.print(line, highlight=False, markup=False)


def _block(i: int, r: ClaimResult) -> str:
    head = (f"第 {i + 1} 次就诊 {r.claim.date} {safe(r.scheme or '—')}：费用 {fmt_yuan(r.cost)} 元，"
            f"起付线 {fmt_yuan(r.deductible)} 元，统筹支付 {fmt_yuan(r.fund)} 元，个人自付 {fmt_yuan(r.personal)} 元")
    return "\n".join([head, *_explanation(i, r)]) + "\n\n"


def _in_input_order(results: Iterator[tuple[int, ClaimResult]], n: int, render: Callable[[int, ClaimResult], str],
                    out: IO[str]) -> tuple[int, int]:
    """Write each result's text in input order while settling in date order, holding no result: each is
    rendered to a spool file as it settles and copied out by position. Returns the fund and personal totals."""
    offsets = [0] * n
    fund = personal = 0
    with tempfile.TemporaryFile() as spool:  # bytes: offsets and lengths in the same unit
        for i, r in results:
            fund, personal = fund + r.fund, personal + r.personal
            offsets[i] = spool.tell()
            spool.write(render(i, r).encode("utf-8"))
        starts = sorted(offsets)
        ends = dict(zip(starts, [*starts[1:], spool.tell()], strict=True)) if n else {}
        for i in range(n):
            spool.seek(offsets[i])
            out.write(spool.read(ends[offsets[i]] - offsets[i]).decode("utf-8"))
    return fund, personal


@click.command("settle", context_settings=CONTEXT)
@click.argument("path", metavar="PATH")
@click.option("--claims", "claims_file", required=True, metavar="FILE", help="理赔文件 (JSON claim file).")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 (machine-readable output).")
def settle_cmd(path: str, claims_file: str, as_json: bool) -> None:
    """结算一位参保人的就诊记录，并说明每一步 (settle claims with an explanation).

    \b
    理赔文件示例 (claim file):
    {"参保人": {"险种": "职工医保", "人员类别": "在职"},
     "就诊": [{"日期": "2024-03-01", "就医类型": "普通门诊", "医院等级": "二级", "费用": "2000"}]}
    """
    checked = check_path(Path(path))
    if checked.policy is None:
        show_diagnostics(checked, warnings=False)
        sys.exit(1)
    cf = read_claims(Path(claims_file), checked.policy)
    if cf.diagnostics or cf.person is None:
        sources = {cf.source.path: cf.source}
        echo_err("\n\n".join(render(d, sources) for d in sorted(cf.diagnostics, key=sort_key)))
        sys.exit(1)
    places = Regions.near(Path(path))
    if not as_json and len(cf.claims) <= TABLE_CLAIMS:
        _print_table(settle(checked.policy, cf.person, cf.claims, places))
        return
    each = settle_each(checked.policy, cf.person, cf.claims, places)
    out = sys.stdout
    if not as_json:
        _in_input_order(each, len(cf.claims), _block, out)
        return
    # The JSON document is written as it settles: the same shape as json.dumps(…, indent=2) of the whole.
    out.write('{\n  "就诊": [')

    def record(i: int, r: ClaimResult) -> str:
        text = json.dumps(_result_json(r), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        return ("\n    " if i == 0 else ",\n    ") + text

    fund, personal = _in_input_order(each, len(cf.claims), record, out)
    totals = json.dumps({"统筹支付": fmt_plain(fund), "个人自付": fmt_plain(personal)}, ensure_ascii=False, indent=2)
    out.write(("\n  ]" if cf.claims else "]") + ',\n  "合计": ' + totals.replace("\n", "\n  ") + "\n}\n")
