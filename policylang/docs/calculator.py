"""The citizen's calculator: the browser evaluator's files, and the bridge the tests and the page use.

The evaluator itself is JavaScript (docs/static/calculator/*.js), an interpreter of the exported IR
(ir/serial.py) that mirrors eval/ line by line. Here: where its files are, how a person and claims are
handed to it (facts tagged so ints, fractions and dates survive JSON), how a Python ClaimResult is put in the
same shape as its output for the differential test, and which mechanisms it does not evaluate.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from policylang import ir
from policylang.eval.settle import ClaimResult
from policylang.ir.claims import CLASSES, Claim, Person
from policylang.ir.serial import to_json

STATIC = Path(__file__).parent / "static" / "calculator"
SCRIPTS = ("exact.js", "policy.js", "terms.js", "accumulators.js", "paid.js", "layers.js", "settle.js")  # the evaluator, in load order
PAGE_SCRIPTS = (*SCRIPTS, "form.js")  # … and the form on the region page

# What the calculator refuses (本计算器暂不支持…) rather than estimates; the differential test lists them.
UNSUPPORTED = (
    "就医地为其他地区的就诊（按就医地目录结算需要其他地区的政策）",
    "不以日期为参照的月日比较（Python 以运行当天的年份为参照）",
    "不同类型的值的大小比较",
    "本计算器不认识的舍入方式、单位或表达式（导出格式中新增的机制）",
)


def node() -> str | None:
    return shutil.which("node")


def node_required() -> bool:
    """CI sets POLICYLANG_REQUIRE_NODE=1: the differential tests then fail, not skip, when node is missing."""
    return os.environ.get("POLICYLANG_REQUIRE_NODE") == "1"


def fact(value: ir.Fact) -> object:
    """A fact as the JS reads it: text as is, ints and fractions and dates tagged."""
    if isinstance(value, bool):
        raise TypeError("a fact is never a bool")
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, Fraction):
        return {"frac": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return str(value)


def person_input(person: Person, claims: Iterable[Claim]) -> dict:
    """One person and their claims in the form cli.js and the page read."""
    opening = {"opening": {"balances": [[n, str(v)] for n, v in person.opening],
                           "date": person.opening_date.isoformat() if person.opening_date else None}} if person.opening else {}
    return {"facts": {k: fact(v) for k, v in person.facts}, **opening,
            "claims": [{"date": c.date.isoformat(), "amount": str(c.amount), "facts": {k: fact(v) for k, v in c.facts},
                        "items": [{"name": i.name, "cls": i.cls, "amount": str(i.amount)} for i in c.items]}
                       for c in claims]}


def result_output(r: ClaimResult) -> dict:
    """A Python result in the shape cli.js prints, so the two can be compared field by field."""
    return {"scheme": r.scheme, "cost": str(r.cost), "excluded": str(r.excluded), "first_paid": str(r.first_paid),
            "policy_range": str(r.policy_range), "deductible": str(r.deductible), "fund": str(r.fund),
            "personal": str(r.personal), "layers": [[ls.name, str(ls.paid), str(ls.deductible)] for ls in r.layers],
            "refused": list(r.refused), "allowance_days": str(r.allowance_days), "allowance": str(r.allowance),
            "account": str(r.account), "figures": [[name, str(value)] for name, value in r.figures],
            "trace": [t.render() for t in r.trace]}


def run_node(policy: ir.Policy, people: list[dict], workdir: Path) -> list[list[dict]]:
    """Settle people with the JS evaluator under node; its results, one list per person."""
    exe = node()
    if exe is None:
        raise RuntimeError("node is not installed")
    policy_file, people_file = workdir / "policy.json", workdir / "people.json"
    policy_file.write_text(json.dumps(to_json(policy), ensure_ascii=False), encoding="utf-8")
    people_file.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([exe, str(STATIC / "cli.js"), str(policy_file), str(people_file)], capture_output=True,
                          text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"node failed: {done.stderr}")
    return json.loads(done.stdout)


# ---- the form on the region page -----------------------------------------------------------------
VISIT_TYPED = ("住院号", "转诊号", "入院日期", "出院日期")  # typed fields that belong to one visit
UNITS = {"金额": "元", "年数": "年", "月数": "个月", "天数": "天", "次数": "次", "年龄": "岁"}


def form_spec(policy: ir.Policy) -> dict:
    """The fields the region's schemes read: enumerations (with their values) and typed fields, split into the
    person's and each visit's. Only these change a result, so only these are asked."""
    from policylang.inputs.claimtable import PERSON_FIELDS
    from policylang.tools.generate import per_unit_fields, typed_fields, used_fields

    used = used_fields(policy) | {"险种", "人员类别"}
    keyed = {lim.by for s in policy.schemes for lay in s.layers  # 按 孕期号: a key of one visit's running total
             for lim in (*lay.caps, lay.deductible, lay.fee_limit) if lim is not None and lim.by}
    person, visit = [], []
    paid = {f for s in policy.schemes for f in s.paid_fields()}  # 扣除已付: what other funds paid on one visit
    for e in policy.enums:
        if e.name in used:
            spec = {"name": e.name, "kind": "enum", "values": list(e.values), "default": e.default}
            (person if e.name in PERSON_FIELDS else visit).append(spec)
    for name, fdef in typed_fields(policy).items():
        if name == "就医地":
            continue  # another region's catalogue: not in the calculator (UNSUPPORTED)
        spec = {"name": name, "kind": str(fdef.type), "unit": UNITS.get(str(fdef.type), ""),
                "optional": fdef.optional}
        (visit if name in VISIT_TYPED or name in keyed or name in paid or name in per_unit_fields(policy.schemes)
         else person).append(spec)
    catalogues = [s.catalogue for s in policy.schemes if s.catalogue.exclusions or s.catalogue.shares]
    items = None
    if catalogues:  # 明细 change a result only where a scheme has a catalogue: ask for them only there
        names = dict.fromkeys(e.name for c in catalogues for e in c.exclusions)
        items = {"classes": list(CLASSES), "names": list(names)}
    return {"region": policy.region, "person": person, "visit": visit, "items": items}


def examples(tests: Iterable) -> list[dict]:
    """The script's own test blocks with claims, as prefills ("用这个算例试试")."""
    out = []
    for case in tests:
        claims = [tc.claim for tc in case.claims]
        if claims:
            out.append({"title": case.name, **person_input(case.person, claims)})
    return out


def _data(name: str, data: object) -> str:
    """JSON as an escaped attribute: data the page carries, never script text (a page runs no inline script)."""
    text = json.dumps(data, ensure_ascii=False)
    for ch in "<>&":  # as JSON escapes: the same string to JSON.parse, no markup-looking text in the page
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return f' data-{name}="{html.escape(text, quote=True)}"'


def page_html(policy: ir.Policy, tests: Iterable, static: str = "_static/") -> str:
    """The calculator as one block of HTML: the policy, its fields and examples as data on #pc-root, the scripts
    as files under static (classic scripts load from disk, file://; module scripts and fetch would not)."""
    scripts = "".join(f'<script src="{html.escape(static)}calculator/{name}"></script>' for name in PAGE_SCRIPTS)
    return (f'<div class="policy-calculator" id="pc-root"{_data("policy", to_json(policy))}'
            f'{_data("spec", form_spec(policy))}{_data("examples", examples(tests))}>'
            f'<link rel="stylesheet" href="{html.escape(static)}calculator/form.css">'
            '<noscript><p>本计算器需要在浏览器中启用 JavaScript。</p></noscript></div>'
            f'{scripts}')


def copy_static(app, exception) -> None:
    """Sphinx build-finished: the calculator's scripts and style into the site's _static/calculator/."""
    if exception is None and getattr(app.builder, "format", "") == "html":
        shutil.copytree(STATIC, Path(app.outdir) / "_static" / "calculator", dirs_exist_ok=True)


def section(document, policy: ir.Policy, tests: Iterable):
    """The docs section "算一算我能报销多少" holding the calculator (a raw HTML node; HTML builders only)."""
    from docutils import nodes

    sec = nodes.section(ids=["calculator"])
    sec["names"].append("calculator")
    document.note_implicit_target(sec, sec)
    title = "算一算：我能报销多少"
    sec += nodes.title(title, title)
    lines = typical_bills(policy, tests)
    if lines:
        sec += nodes.paragraph("", "按本页算例，一笔典型费用中医保支付的部分：")
        items = nodes.bullet_list(bullet="-")
        for line in lines:
            items += nodes.list_item("", nodes.paragraph(line, line))
        sec += items
    docname = document.settings.env.docname  # regions/beijing: the page's way back to the site's _static/
    sec += nodes.raw("", page_html(policy, tests, "../" * docname.count("/") + "_static/"), format="html")
    return sec


def typical_bills(policy: ir.Policy, tests: Iterable, limit: int = 4) -> list[str]:
    """What a citizen asks first: of a typical bill (the script's worked examples), how much comes back."""
    from policylang.eval.settle import settle
    from policylang.ir.rounding import round_fen
    from policylang.ir.units import fmt_yuan

    out = []
    for case in tests:
        claims = [tc.claim for tc in case.claims]
        if not claims or len(out) >= limit:
            continue
        results = settle(policy, case.person, claims)
        if any(r.refused for r in results):
            continue
        cost = sum(r.cost for r in results)
        fund = sum(r.total_fund for r in results)
        if cost <= 0:
            continue
        share = Fraction(fund * 100, cost)
        other = sum(r.other_paid for r in results)  # 扣除已付: paid by other funds, not by the person
        elsewhere = f"其他基金已支付 {fmt_yuan(other)} 元，" if other else ""
        out.append(f"{case.name}：费用 {fmt_yuan(cost)} 元，医保支付 {fmt_yuan(fund)} 元（约 {round_fen(share)}%），"
                   f"{elsewhere}个人负担 {fmt_yuan(cost - fund - other)} 元。")
    return out


__all__ = ["PAGE_SCRIPTS", "SCRIPTS", "STATIC", "UNSUPPORTED", "copy_static", "examples", "form_spec", "page_html", "person_input", "result_output", "run_node", "section", "typical_bills"]
