/* policylang calculator — exact numbers: BigInt fractions, dates, and the named rounding to the 分.
 *
 * Classic script (not an ES module): a page opened from disk (file://) may not load module scripts, so every
 * file adds to one namespace, globalThis.PolicyCalc. Node loads the same files (see cli.js).
 */
(function (root) {
  "use strict";
  const PC = (root.PolicyCalc = root.PolicyCalc || {});

  function gcd(a, b) {
    if (a < 0n) a = -a;
    if (b < 0n) b = -b;
    while (b) [a, b] = [b, a % b];
    return a;
  }

  /** An exact rational n/d (d > 0, lowest terms), like Python's Fraction. */
  class Frac {
    constructor(n, d = 1n) {
      n = BigInt(n); d = BigInt(d);
      if (d === 0n) throw new RangeError("division by zero");
      if (d < 0n) { n = -n; d = -d; }
      const g = gcd(n, d) || 1n;
      this.n = n / g; this.d = d / g;
    }
    static of(x) { return x instanceof Frac ? x : new Frac(BigInt(x)); }
    static parse(text) {
      const s = String(text);
      const i = s.indexOf("/");
      return i < 0 ? new Frac(BigInt(s)) : new Frac(BigInt(s.slice(0, i)), BigInt(s.slice(i + 1)));
    }
    add(o) { o = Frac.of(o); return new Frac(this.n * o.d + o.n * this.d, this.d * o.d); }
    sub(o) { o = Frac.of(o); return new Frac(this.n * o.d - o.n * this.d, this.d * o.d); }
    mul(o) { o = Frac.of(o); return new Frac(this.n * o.n, this.d * o.d); }
    div(o) { o = Frac.of(o); return new Frac(this.n * o.d, this.d * o.n); }
    neg() { return new Frac(-this.n, this.d); }
    abs() { return this.n < 0n ? this.neg() : this; }
    cmp(o) { o = Frac.of(o); const l = this.n * o.d, r = o.n * this.d; return l < r ? -1 : l > r ? 1 : 0; }
    eq(o) { return this.cmp(o) === 0; }
    get whole() { return this.d === 1n; }
    /** Python's int(): toward zero. */
    trunc() { return this.n / this.d; }
    /** Python's str(Fraction). */
    toString() { return this.d === 1n ? String(this.n) : `${this.n}/${this.d}`; }
  }

  /** round_fen (ir/rounding.py): 四舍五入 half away from zero, 截尾 toward zero, 进位 away from zero. */
  function roundFen(x, mode) {
    if (typeof x === "bigint") return x;
    const n = x.n, d = x.d;
    const sign = n < 0n ? -1n : 1n;
    const a = n < 0n ? -n : n;
    const q = a / d, r = a % d;
    if (r === 0n) return sign * q;
    let up;
    if (mode === "四舍五入") up = 2n * r >= d;
    else if (mode === "截尾") up = false;
    else if (mode === "进位") up = true;
    else throw new PC.Unsupported(`舍入方式“${mode}”`);
    return sign * (up ? q + 1n : q);
  }

  // ---- dates: proleptic Gregorian day numbers, like datetime.date ----
  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function civilFromDays(z) {
    z += 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp + (mp < 10 ? 3 : -9);
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }
  function monthDays(y, m) {
    return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }

  class PDate {
    constructor(y, m, d) {
      if (!(m >= 1 && m <= 12 && d >= 1 && d <= monthDays(y, m))) throw new RangeError(`invalid date ${y}-${m}-${d}`);
      this.year = y; this.month = m; this.day = d; this.ord = daysFromCivil(y, m, d);
    }
    static parse(s) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s));
      if (!m) throw new RangeError(`invalid date ${s}`);
      return new PDate(+m[1], +m[2], +m[3]);
    }
    static fromOrd(z) { const [y, m, d] = civilFromDays(z); return new PDate(y, m, d); }
    plusDays(n) { return PDate.fromOrd(this.ord + n); }
    /** add_months (ir/eligibility.py): the same day n months later, clamped to the month's end. */
    plusMonths(n) {
      const index = this.year * 12 + this.month - 1 + n;
      const year = Math.floor(index / 12), month = index - year * 12 + 1;
      return new PDate(year, month, Math.min(this.day, monthDays(year, month)));
    }
    cmp(o) { return this.ord < o.ord ? -1 : this.ord > o.ord ? 1 : 0; }
    toString() {
      const p = (x, w) => String(x).padStart(w, "0");
      return `${p(this.year, 4)}-${p(this.month, 2)}-${p(this.day, 2)}`;
    }
  }

  /** A mechanism this calculator does not evaluate: it refuses with 本计算器暂不支持… rather than guess. */
  class Unsupported extends Error {
    constructor(what) { super(`本计算器暂不支持${what}`); this.what = what; }
  }

  Object.assign(PC, { Frac, roundFen, PDate, monthDays, Unsupported });
})(typeof globalThis !== "undefined" ? globalThis : this);
