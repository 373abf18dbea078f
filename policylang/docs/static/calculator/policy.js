/* policylang calculator — reading the exported IR (docs/ir-json.rst) and printing values as Python does.
 *
 * Decoding keeps the node tree as it is (objects tagged "node"), turning the exact encodings into values:
 * {"unit":"money","fen":"n/d"} → {unit, v: Frac}, {"node":"Fraction"} → Frac, {"node":"date"} → PDate,
 * {"node":"frozenset"} → array, {"enum":"Scope"} → its Chinese value. Nothing is a float.
 */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const { Frac, PDate } = PC;
  const FORMAT = "policylang-ir", VERSION = 3;

  function decode(x) {
    if (x === null || typeof x !== "object") {
      if (typeof x === "number" && !Number.isInteger(x)) throw new Error("IR 中不应有浮点数 (no floats in the IR)");
      return x;
    }
    if (Array.isArray(x)) return x.map(decode);
    if ("enum" in x) return x.value;
    if ("unit" in x && !("node" in x)) {
      if (x.unit === "money") return { unit: "money", v: Frac.parse(x.fen) };
      if (x.unit === "ratio" || x.unit === "months" || x.unit === "age" || x.unit === "number") return { unit: x.unit, v: Frac.parse(x.value) };
      if (x.unit === "days" || x.unit === "count") return { unit: x.unit, v: new Frac(BigInt(x.n)) };
      throw new PC.Unsupported(`单位“${x.unit}”`);
    }
    if (x.node === "Fraction") return Frac.parse(x.value);
    if (x.node === "date") return PDate.parse(x.value);
    if (x.node === "frozenset") return x.items.map(decode);
    const out = {};
    for (const k of Object.keys(x)) out[k] = decode(x[k]);
    return out;
  }

  /** A policy from the JSON `policylang export` writes; throws on another format or version. */
  function loadPolicy(data) {
    if (!data || data.format !== FORMAT) throw new Error("不是 policylang 的 IR 文件 (not a policylang IR file)");
    if (data.version !== VERSION) throw new Error(`IR 格式版本 ${data.version} 不受支持，本计算器读取版本 ${VERSION}`);
    return decode(data.policy);
  }

  // ---- printing, as ir/units.py and ir/values.py ----
  function groupDigits(s) { return s.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  /** fmt_yuan: 123456n → "1,234.56". */
  function fmtYuan(fen) {
    fen = BigInt(fen);
    const sign = fen < 0n ? "-" : "";
    const a = fen < 0n ? -fen : fen;
    return `${sign}${groupDigits(String(a / 100n))}.${String(a % 100n).padStart(2, "0")}`;
  }

  /** fmt_plain: 123456n → "1234.56". */
  function fmtPlain(fen) {
    fen = BigInt(fen);
    const sign = fen < 0n ? "-" : "";
    const a = fen < 0n ? -fen : fen;
    return `${sign}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
  }

  /** x quantized to 4 decimals, half to even (Decimal.quantize's default): [sign, integer digits, 4 decimals]. */
  function quantize4(x) {
    const neg = x.n < 0n;
    const a = neg ? -x.n : x.n;
    const scaled = a * 10000n;
    let q = scaled / x.d;
    const r = scaled % x.d;
    if (2n * r > x.d || (2n * r === x.d && q % 2n === 1n)) q += 1n;
    return [neg && q !== 0n ? "-" : "", String(q / 10000n), String(q % 10000n).padStart(4, "0")];
  }

  /** fmt_ratio: 4/5 → "80%", 17/200 → "8.5%" (Decimal.normalize, exponent form included). */
  function fmtRatio(r) {
    const pct = r.mul(100n);
    if (pct.whole) return `${pct.n}%`;
    const [sign, int, dec] = quantize4(pct);
    const frac = dec.replace(/0+$/, "");
    if (frac) return `${sign}${int}.${frac}%`;
    if (int === "0") return "0%";
    const digits = int.replace(/0+$/, "");
    const exp = int.length - 1;
    if (digits.length === int.length) return `${sign}${int}%`;
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mant}E+${exp}%`;
  }

  /** fmt_exact_yuan: an amount of 分 that is not whole, in yuan to 4 decimals with a trailing "…". */
  function fmtExactYuan(fen) {
    const [sign, int, dec] = quantize4(fen.div(100n));
    return `${sign}${int}.${dec}…`;
  }

  /** str() of a typed value (Money, Ratio, Days, Months, Count) as Python prints it. */
  function show(q) {
    if (q instanceof Frac) return q.toString();
    switch (q.unit) {
      case "money": return q.v.whole ? `${fmtYuan(q.v.n)} 元` : `${fmtExactYuan(q.v)} 元`;
      case "ratio": return fmtRatio(q.v);
      case "days": return `${q.v} 天`;
      case "months": return `${q.v} 个月`;
      case "count": return `${q.v} 次`;
      case "age": return `${q.v} 岁`;
      case "number": return q.v.toString();
      default: return String(q);
    }
  }

  /** Code-point order, like Python's sorted() on str. */
  function cpCompare(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }
  function sortedText(values) { return [...values].sort(cpCompare); }

  Object.assign(PC, { loadPolicy, decode, fmtYuan, fmtPlain, fmtRatio, fmtExactYuan, show, sortedText, cpCompare });
})(typeof globalThis !== "undefined" ? globalThis : this);
