"""The calculator on a built region page, in headless Chromium: fill the form as a citizen would (pick the
fields, add visits, type dates and costs, press 计算) and read the result, which must equal `policylang settle
--json` for the same input; and the "用这个算例试试" button fills the form from a worked example."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from policylang.api import check_path
from policylang.docs.calculator import form_spec
from policylang.ir.units import fmt_plain

ROOT = Path(__file__).resolve().parents[2]
REGIONS = sorted(p for p in (ROOT / "regions").iterdir() if p.is_dir())
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

# Runs after the calculator has started: types the plan into the form, presses 计算, and writes what the page
# shows into <body data-calc="…"> for --dump-dom to carry out.
FILL = """<script>
document.addEventListener("DOMContentLoaded", () => {
  const plan = %s;
  const set = (box, name, text) => {
    const input = box.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!input) throw new Error("no field " + name);
    input.focus(); input.value = text;
    input.dispatchEvent(new Event(input.tagName === "SELECT" ? "change" : "input", {bubbles: true}));
  };
  const out = {};
  try {
    if (plan.example !== null) {
      document.getElementById("pc-example").value = String(plan.example);
      document.getElementById("pc-use-example").click();
    } else {
      const who = document.querySelector("#pc-form fieldset");
      for (const [k, v] of Object.entries(plan.person)) set(who, k, v);
      plan.visits.forEach((visit, i) => {
        if (i > 0) document.getElementById("pc-add").click();
        const box = document.querySelectorAll(".pc-visit")[i];
        for (const [k, v] of Object.entries(visit)) if (k !== "items") set(box, k, v);
        for (const item of visit.items || []) {
          box.querySelector(".pc-add-item").click();
          const rows = box.querySelectorAll(".pc-item"), row = rows[rows.length - 1];
          for (const [k, v] of Object.entries(item)) set(row, k, v);
        }
      });
      document.getElementById("pc-go").click();
    }
    out.rows = [...document.querySelectorAll(".pc-row")].map((r) => [r.dataset.fund, r.dataset.totalFund, r.dataset.personal]);
    out.steps = [...document.querySelectorAll(".pc-steps")].map((ol) => [...ol.children].map((li) => li.textContent));
    out.total = document.getElementById("pc-total").dataset.personal;
  } catch (e) { out.error = String(e); out.page = document.getElementById("pc-result").textContent; }
  document.body.setAttribute("data-calc", JSON.stringify(out));
});
</script></body>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from policylang.docs.site import build_site

    out = tmp_path_factory.mktemp("calc-site")
    result = build_site(REGIONS, out)
    assert result.status == 0, result.warnings
    return out / "regions"


def _text(policy, name: str, value: object) -> str:
    """A fact as a citizen types it (and as a claim file writes it): 元, years, ISO dates."""
    fdef = policy.field(name)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and fdef is not None and fdef.type == "金额":
        return fmt_plain(value)
    if isinstance(value, Fraction | int):
        v = Fraction(value) / 12 if fdef is not None and fdef.type == "年数" else Fraction(value)
        assert v.denominator == 1, "the test types whole numbers"
        return str(v.numerator)
    return str(value)


def _case(region: Path, items: bool = False):
    """The region's first worked example without itemised bills (with them, when items is set)."""
    checked = check_path(region)
    for i, case in enumerate(c for c in checked.compiled.tests if c.claims):
        if any(tc.claim.items for tc in case.claims) == items:
            return checked.policy, i, case
    pytest.skip(f"{region.name}: no such worked example")


def _plan(policy, case) -> tuple[dict, dict]:
    """What to type into the form, and the same input as a claim file for `policylang settle`."""
    spec = form_spec(policy)
    person_fields = {s["name"] for s in spec["person"]}
    visit_fields = {s["name"] for s in spec["visit"]}
    facts = dict(case.person.facts)
    person = {k: _text(policy, k, v) for k, v in facts.items() if k in person_fields}
    visits, claims = [], []
    for tc in case.claims:
        c = tc.claim
        merged = {**facts, **dict(c.facts)}
        visit: dict = {"日期": c.date.isoformat(), "费用": "" if c.items else fmt_plain(c.amount)}
        visit.update({k: _text(policy, k, v) for k, v in merged.items() if k in visit_fields})
        claim: dict = {"日期": c.date.isoformat(), **{k: _text(policy, k, v) for k, v in dict(c.facts).items()}}
        if c.items:  # typed item by item; 费用 left empty, so the form takes the items' total
            visit["items"] = [{"名称": i.name, "类别": i.cls, "金额": fmt_plain(i.amount)} for i in c.items]
            claim["明细"] = [{"名称": i.name, "类别": i.cls, "金额": fmt_plain(i.amount)} for i in c.items]
        else:
            claim["费用"] = fmt_plain(c.amount)
        visits.append(visit)
        claims.append(claim)
    claim_file = {"参保人": {k: _text(policy, k, v) for k, v in facts.items()}, "就诊": claims}
    return {"person": person, "visits": visits}, claim_file


def _settle(region: Path, claim_file: dict, tmp_path: Path) -> dict:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(claim_file, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from policylang.commands.main import main; main()", "settle",
                           str(region), "--claims", str(path), "--json"], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    return json.loads(done.stdout)


def _browse(page: Path, plan: dict, tmp_path: Path) -> dict:
    html = page.read_text(encoding="utf-8").replace("</body>", FILL % json.dumps(plan, ensure_ascii=False))
    filled = page.with_name(f"filled-{tmp_path.name}.html")
    filled.write_text(html, encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", filled.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    found = re.search(r'<body[^>]*data-calc="([^"]*)"', dom)
    assert found, "the page did not run the calculator"
    out = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                     .replace("&amp;", "&"))
    assert "error" not in out, out
    return out


def _strip(line: str) -> str:
    return re.sub(r"〔[^〕]*〕$", "", line)


@pytest.mark.parametrize("region", REGIONS, ids=lambda p: p.name)
def test_form_filled_by_hand_equals_settle(region, site, tmp_path):
    policy, _, case = _case(region)
    plan, claim_file = _plan(policy, case)
    expected = _settle(region, claim_file, tmp_path)
    got = _browse(site / f"{region.name}.html", {"example": None, **plan}, tmp_path)
    want_rows = [[v["统筹支付"], v["基金支付"], v["个人自付"]] for v in expected["就诊"]]
    assert got["rows"] == want_rows
    assert got["total"] == expected["合计"]["个人自付"]
    assert got["steps"] == [[_strip(line) for line in v["说明"]] for v in expected["就诊"]]


@pytest.mark.parametrize("name", ["zhongshan-zhen"])  # beijing's itemised examples are treated elsewhere (就医地)
def test_form_with_itemised_bills_equals_settle(name, site, tmp_path):
    region = ROOT / "regions" / name
    policy, _, case = _case(region, items=True)
    plan, claim_file = _plan(policy, case)
    expected = _settle(region, claim_file, tmp_path)
    got = _browse(site / f"{name}.html", {"example": None, **plan}, tmp_path)
    assert got["rows"] == [[v["统筹支付"], v["基金支付"], v["个人自付"]] for v in expected["就诊"]]
    assert got["steps"] == [[_strip(line) for line in v["说明"]] for v in expected["就诊"]]


def test_worked_example_button_prefills_the_form(site, tmp_path):
    region = ROOT / "regions" / "suizhou"
    policy, index, case = _case(region)
    _, claim_file = _plan(policy, case)
    expected = _settle(region, claim_file, tmp_path)
    got = _browse(site / "suizhou.html", {"example": index}, tmp_path)
    assert got["rows"] == [[v["统筹支付"], v["基金支付"], v["个人自付"]] for v in expected["就诊"]]
