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

  const periodKeyOfDay = (period, day) => BigInt(day.month >= period.start_month ? day.year : day.year - 1);
  function periodKey(period, claim, facts) {
    const day = period.by ? facts.get(period.by) : null;
    return periodKeyOfDay(period, day instanceof PDate ? day : claim.date);
  }
  function scopeKey(scope, period, claim, facts, shared = false, stayDays = null) {
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

  Object.assign(PC, { SCOPE_WORD, CAP_WORD, norm, nadd, nsub, ncmp, Acc, NoCell, requiredCell, showAmount,
    cumulativeScope, periodKey, scopeKey, bandValue, bandFigure });
})(typeof globalThis !== "undefined" ? globalThis : this);
