/* The browser calculator's evaluator under node: settle PEOPLE.json with POLICY.json and print claims/s.
 * Driven by bench/calculator_js.py (which generates the claims); decoding is not timed, settling is. */
"use strict";
const fs = require("fs");
const path = require("path");
const { PC, facts, claim } = require(path.join(__dirname, "..", "policylang", "docs", "static", "calculator", "cli.js"));

const policy = PC.loadPolicy(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
const people = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).map((p) => [facts(p.facts), p.claims.map(claim)]);
const n = people.reduce((s, [, cs]) => s + cs.length, 0);
const t0 = process.hrtime.bigint();
let fund = 0n;
for (const [person, claims] of people) for (const r of PC.settle(policy, person, claims)) fund += r.fund;
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ claims: n, seconds, per_second: Math.round(n / seconds), fund: String(fund) }) + "\n");
