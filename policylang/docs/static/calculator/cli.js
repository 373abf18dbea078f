/* policylang calculator — the evaluator under node, for the differential test and the benchmark.
 *
 *   node cli.js POLICY.json PEOPLE.json   → JSON results on stdout
 *
 * PEOPLE.json: [{"facts": {...}, "claims": [{"date", "amount", "facts", "items"}]}]; a fact is a string (text),
 * {"int": "…"} (a whole number, 金额 in 分), {"frac": "n/d"} (a number) or {"date": "YYYY-MM-DD"}.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const FILES = ["exact.js", "policy.js", "terms.js", "accumulators.js", "paid.js", "layers.js", "settle.js"];
for (const f of FILES) vm.runInThisContext(fs.readFileSync(path.join(__dirname, f), "utf8"), { filename: f });
const PC = globalThis.PolicyCalc;

function fact(v) {
  if (typeof v === "string") return v;
  if ("int" in v) return BigInt(v.int);
  if ("frac" in v) return PC.Frac.parse(v.frac);
  if ("date" in v) return PC.PDate.parse(v.date);
  throw new Error(`unknown fact ${JSON.stringify(v)}`);
}
const facts = (o) => new Map(Object.entries(o || {}).map(([k, v]) => [k, fact(v)]));
function claim(c) {
  return { date: PC.PDate.parse(c.date), amount: BigInt(c.amount), facts: facts(c.facts),
    items: (c.items || []).map((i) => ({ name: i.name, cls: i.cls, amount: BigInt(i.amount) })) };
}
function out(r) {
  return { scheme: r.scheme, cost: String(r.cost), excluded: String(r.excluded), first_paid: String(r.first_paid),
    policy_range: String(r.policy_range), deductible: String(r.deductible), fund: String(r.fund),
    personal: String(r.personal), layers: r.layers.map((l) => [l.name, String(l.paid), String(l.deductible)]),
    refused: r.refused, allowance_days: String(r.allowance_days), allowance: String(r.allowance),
    account: String(r.account), figures: (r.figures || []).map(([n, v]) => [n, String(v)]),
    trace: r.trace.map(PC.render) };
}

function main(argv) {
  const policy = PC.loadPolicy(JSON.parse(fs.readFileSync(argv[0], "utf8")));
  const people = JSON.parse(fs.readFileSync(argv[1], "utf8"));
  const opening = (p) => (p.opening ? { balances: p.opening.balances.map(([n, v]) => [n, BigInt(v)]),
    date: p.opening.date ? PC.PDate.parse(p.opening.date) : null } : null);
  const results = people.map((p) => PC.settle(policy, facts(p.facts), p.claims.map(claim), opening(p)).map(out));
  process.stdout.write(JSON.stringify(results));
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { PC, facts, claim, out };
