/* policylang calculator — the accumulator model (eval/accumulators.py, the Ledger of eval/settle.py, and
 * terms.required_cell): which running total a claim adds to, the journalled accumulators, F of the brackets,
 * which layers round their running payment, and the refusal of a claim that reaches a missing table cell. */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const { Frac, PDate, show } = PC;
  const SCOPE_WORD = { "每次": "本次", "每日": "当日", "每次住院": "本次住院", "年度": "本年", "每N天": "本住院期间" };
  const CAP_WORD = { "每次": "每次", "每日": "每日", "每次住院": "每次住院", "年度": "年度", "每N天": "每个住院计算期" };

  /** A stable text key for a Python accumulator tuple. */
  function key(parts) {
    return JSON.stringify(parts, (k, v) => (typeof v === "bigint" ? `I:${v}` : v instanceof PDate ? `D:${v}` : v));
  }
  /** An exact amount as the accumulators hold it: BigInt when whole, else a Frac (Python's int | Fraction). */
  const norm = (x) => (x instanceof Frac ? (x.whole ? x.n : x) : BigInt(x));
  const nadd = (a, b) => (typeof a === "bigint" && typeof b === "bigint" ? a + b : norm(Frac.of(a).add(b)));
  const nsub = (a, b) => (typeof a === "bigint" && typeof b === "bigint" ? a - b : norm(Frac.of(a).sub(b)));
  const ncmp = (a, b) => Frac.of(a).cmp(b);
  /** The accumulators: Python's defaultdict(int) journalled per claim (eval/settle.py Ledger): a refused claim's
   * writes are undone, so a claim that reaches a missing table cell consumes no deductible, cap or count. */
  class Acc {
    constructor() { this.m = new Map(); this.journal = null; }
    get(parts) { const v = this.m.get(key(parts)); return v === undefined ? 0n : v; }
    has(parts) { return this.m.has(key(parts)); }
    set(parts, v) {
      const k = key(parts);
      if (this.journal !== null && !this.journal.has(k)) this.journal.set(k, [this.m.has(k), this.m.get(k)]);
      this.m.set(k, norm(v));
    }
    add(parts, v) { this.set(parts, nadd(this.get(parts), v)); }
    begin() { this.journal = new Map(); }
    undo() {
      const journal = this.journal || new Map();
      this.journal = null;
      for (const [k, [present, old]] of journal) { if (present) this.m.set(k, old); else this.m.delete(k); }
    }
  }
  /** terms.required_cell: the cell a claim must have from a table it reaches; throws NoCell when there is none. */
  class NoCell extends Error { constructor(reason, origin) { super(reason); this.reason = reason; this.origin = origin; } }
  const TABLE_GLOSS = { "比例": "ratio", "起付线": "deductible", "封顶线": "cap", "费用限额": "fee limit", "定额": "fixed standard",
    "分段": "brackets", "津贴天数": "allowance days" };
  function tableFields(table) {
    const seen = [];
    for (const c of table.cells) for (const [f] of c.keys) if (!seen.includes(f)) seen.push(f);
    return seen;
  }
  function requiredCell(param, day, facts) {
    const version = PC.versionAt(param, day);
    const gloss = TABLE_GLOSS[param.name] || param.name;
    if (version === null) {
      const first = param.versions.length ? param.versions[0].origin : null;
      throw new NoCell(`${param.name}在就诊日没有生效的版本 (no ${gloss} in force on the claim's date)`, first);
    }
    const found = PC.tableLookup(version.table, facts);
    if (found === null) {
      const fields = tableFields(version.table);
      const k = fields.length ? fields.map((f) => String(facts.get(f) || `未填${f}`)).join("·") : "默认值";
      throw new NoCell(`${param.name}表没有 ${k} (no ${gloss} for ${k})`, version.origin);
    }
    return found;
  }
  /** show_amount: an amount of 分 in 元, exact (with its fraction of a 分) while it is not yet rounded. */
  const showAmount = (x) => show({ unit: "money", v: Frac.of(x) });
  /** cumulative_scope: the accumulator a layer rounds its payments over, if any. */
  function cumulativeScope(layer) {
    if (layer.brackets != null) return "年度";
    if (layer.ratio != null && layer.fee_limit != null && layer.fee_limit.scope !== "每次") return layer.fee_limit.scope;
    return null;
  }
  /** running_scope: [scope, 按 field] a layer rounds over: its own, or for a ratio layer the nearest earlier
   * cumulatively rounded layer's (what that layer leaves moves a 分 between claims). */
  function runningScope(scheme, layer) {
    const own = cumulativeScope(layer);
    if (own !== null) return [own, layer.fee_limit != null ? layer.fee_limit.by : null];
    if (layer.ratio == null) return null;
    const index = Math.max(0, scheme.layers.indexOf(layer)); // not the scheme's: nothing earlier
    for (let i = index - 1; i >= 0; i--) {
      const found = runningScope(scheme, scheme.layers[i]);
      if (found !== null) return found;
    }
    return null;
  }

  const periodKeyOfDay = (period, day) => BigInt(day.month >= period.start_month ? day.year : day.year - 1);
  function periodKey(period, claim, facts) {
    const day = period.by ? facts.get(period.by) : null;
    return periodKeyOfDay(period, day instanceof PDate ? day : claim.date);
  }
  function scopeKey(scope, period, claim, facts, shared = false, stayDays = null, by = null) {
    if (scope === "按字段") {
      const value = by ? facts.get(by) : undefined;
      if (value === undefined || value === null || value === "") {
        throw new NoCell(`缺少${by}，无法确定按${by}累计的范围 (no ${by} to key the running total)`, null);
      }
      return ["field", by, value];
    }
    if (shared && scope !== "年度" && facts.get("转诊号")) return ["referral", facts.get("转诊号")];
    if (scope === "每次") return ["visit", BigInt(claim.index)];
    if (scope === "每日") return ["day", claim.date];
    if (scope === "每次住院") return ["admission", facts.get("住院号") || BigInt(claim.index)];
    if (scope === "每N天") {
      const admitted = facts.get("入院日期");
      const start = admitted instanceof PDate ? admitted : claim.date;
      const n = stayDays ? Number(stayDays.v.n) : 1;
      return ["stay", facts.get("住院号") || BigInt(claim.index), BigInt(Math.floor((claim.date.ord - start.ord) / n))];
    }
    return ["period", periodKey(period, claim, facts)];
  }

  /** field_thing (ir/wording.py): 孕期号 → 孕期; other names as written. */
  const fieldThing = (by) => (by.endsWith("号") && [...by].length >= 3 ? by.slice(0, -1) : by);
  /** scope_word / cap_word: how a trace line names a total and a limit's scope (同一孕期, 每个孕期). */
  const scopeWord = (scope, by = null) => (scope === "按字段" ? `同一${fieldThing(by || "")}` : SCOPE_WORD[scope]);
  const capWord = (scope, by = null) => (scope === "按字段" ? `每个${fieldThing(by || "")}` : CAP_WORD[scope]);
  /** named_key: the ledger key of a named 累计, shared by every limit that counts in it. */
  const namedKey = (name, scope, k) => ["累计", name, scope, k];

  const KIND_WHAT = { "起付线": "deductible", "封顶线": "cap", "费用限额": "fee_limit" };
  /** ir/balances.py targets: every name a year-to-date balance may be given under, with the totals it opens. */
  function balanceTargets(policy) {
    const out = new Map();
    const push = (name, t) => {
      if (!out.has(name)) out.set(name, []);
      const found = out.get(name);
      if (!found.some((x) => x.id === t.id)) found.push(t);
    };
    for (const a of policy.accumulators || []) {
      if (a.scope === "年度") push(a.name, { id: `累计:${a.name}`, accumulator: a, what: KIND_WHAT[a.kind], period: a.period || { start_month: 1 } });
    }
    for (const s of policy.schemes) {
      s.layers.forEach((layer, i) => {
        const limits = [...layer.caps.map((c) => ["封顶线", c]), ["起付线", layer.deductible], ["费用限额", layer.fee_limit]];
        for (const [kind, lim] of limits) {
          if (lim == null || lim.counts_in || lim.scope !== "年度") continue;
          const t = { id: `${s.name}/${layer.name}/${kind}`, scheme: s, layer, what: KIND_WHAT[kind], period: s.period };
          const names = [layer.name + kind, ...(i === 0 ? [kind] : [])];
          for (const name of names) for (const spelled of [name, `${s.name}·${name}`]) push(spelled, t);
        }
      });
    }
    return out;
  }
  /** opening_balances: the ledger keys a person's year-to-date totals open, in the period of their date. */
  function openingBalances(policy, opening, firstDay) {
    if (!opening || !opening.balances || !opening.balances.length) return [];
    const day = opening.date || firstDay;
    if (!day) return [];
    const found = balanceTargets(policy), out = [];
    for (const [name, amount] of opening.balances) {
      for (const t of found.get(name) || []) {
        const period = ["period", periodKeyOfDay(t.period, day)];
        if (t.accumulator) out.push([namedKey(t.accumulator.name, t.accumulator.scope, period), amount]);
        else out.push([[t.scheme.name, t.layer.name, t.what, "年度", period], amount]);
      }
    }
    return out;
  }

  /** F(x): what the bands pay on a cumulative base of x 分 (exact). */
  function bandValue(bands, x) {
    let total = new Frac(0n);
    for (const b of bands) {
      const lower = b.lower.v.n;
      const top = b.upper == null ? x : (x < b.upper.v.n ? x : b.upper.v.n);
      if (top > lower) total = total.add(b.ratio.v.mul(top - lower));
    }
    return total;
  }
  const BAND_NUMERALS = "一二三四五六七八九";
  /** band_figure: the suffix naming the k-th bracket (from 1): 第一段 … 第九段. */
  const bandFigure = (k) => (k >= 1 && k <= BAND_NUMERALS.length ? `第${BAND_NUMERALS[k - 1]}段` : `第${k}段`);

  Object.assign(PC, { scopeWord, capWord, namedKey, openingBalances, SCOPE_WORD, CAP_WORD, norm, nadd, nsub, ncmp, Acc, NoCell, requiredCell, showAmount,
    cumulativeScope, runningScope, periodKey, scopeKey, bandValue, bandFigure });
})(typeof globalThis !== "undefined" ? globalThis : this);
