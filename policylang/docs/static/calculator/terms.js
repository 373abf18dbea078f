/* policylang calculator — row-local terms (ir/terms.py, ir/params.py, ir/eligibility.py): what a claim's facts
 * and date alone decide: validity, conditions, table cells, reference values, formulas, adjustments, 要求.
 *
 * Facts are a Map: text as strings, Python ints (金额 in 分) as BigInt, other numbers as Frac, dates as PDate.
 */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const { Frac, PDate, roundFen, Unsupported } = PC;

  class Missing extends Error {}
  class FormulaError extends Missing {}
  class FieldMissing extends Error { constructor(field) { super(field); this.field = field; } }

  const inForce = (start, end, day) => (start == null || start.cmp(day) <= 0) && (end == null || day.cmp(end) <= 0);
  const isTest = (cond) => cond.node === "FieldTest";
  const holds = (cond, facts) => (isTest(cond) ? testHolds(cond, facts) : cond.values.includes(facts.get(cond.field)));
  const allHold = (conds, facts) => conds.every((c) => holds(c, facts));
  const applies = (rule, facts, day) => inForce(rule.start, rule.end, day) && allHold(rule.when, facts);
  /** wording.condition_words: each condition's values, a typed condition's words. */
  const conditionWords = (conds) => conds.flatMap((c) => (isTest(c) ? [describeTest(c)] : c.values));
  const who = (rule) => PC.sortedText(conditionWords(rule.when)).join("、");

  // ---- typed conditions (ir.requirements.FieldTest): a 要求 comparison of a field with a constant ----
  const testField = (t) => String(t.comparison.lhs.terms[0][1].value);
  const testConstant = (t) => t.comparison.rhs.terms[0][1].value;
  const DATE_WORDS = { ">=": ["在", "及以后"], "<=": ["在", "及以前"], ">": ["在", "之后"], "<": ["在", "之前"],
    "=": ["为", ""], "!=": ["不是", ""] };
  const NUMBER_WORDS = { ">=": [" ", "及以上"], "<=": [" ", "及以下"], ">": "超过", "<": "不满", "=": "为", "!=": "不是" };
  const UNIT_WORD = { age: "岁", months: "个月", days: "天", count: "次" };
  const dateCn = (d) => `${d.year}年${d.month}月${d.day}日`;
  /** requirements.shown_constant: 1995年1月1日, 60 岁, 2,000 元. */
  function shownConstant(c) {
    if (c instanceof PDate) return dateCn(c);
    if (c && c.unit === "money" && c.v.whole && c.v.n % 100n === 0n) return `${PC.fmtYuan(c.v.n).replace(/\.00$/, "")} 元`;
    return PC.show(c);
  }
  function describeTest(t) {
    const c = testConstant(t), shown = shownConstant(c), field = testField(t);
    if (c instanceof PDate) { const [b, a] = DATE_WORDS[t.comparison.op]; return `${field}${b}${shown}${a}`; }
    const w = NUMBER_WORDS[t.comparison.op];
    return Array.isArray(w) ? `${field}${w[0]}${shown}${w[1]}` : `${field}${w} ${shown}`;
  }
  /** FieldTest.fact_text: the claim's value of the field beside the test. */
  function testFactText(t, facts) {
    const v = facts.get(testField(t)), c = testConstant(t);
    if (v == null) return "未填";
    if (c && c.unit === "money") return shownConstant({ unit: "money", v: Frac.of(v) });
    if (c && UNIT_WORD[c.unit]) return `${Frac.of(v).toString()} ${UNIT_WORD[c.unit]}`;
    return v instanceof PDate ? dateCn(v) : String(v);
  }
  function testHolds(t, facts) {
    try { return compare(t.comparison, facts)[0]; } catch (e) {
      if (!(e instanceof FieldMissing)) throw e;
      if (t.optional) return false;
      const f = testField(t);
      throw new PC.NoCell(`缺少“${f}”，无法判断是否${describeTest(t)} (no ${f} to test the condition)`, t.origin);
    }
  }

  function describe(policy, cond) {
    if (isTest(cond)) return describeTest(cond);
    const en = policy.enums.find((e) => e.name === cond.field);
    const order = en ? en.values : [];
    const key = (v) => (order.includes(v) ? order.indexOf(v) : order.length);
    const values = [...cond.values].sort((a, b) => key(a) - key(b) || PC.cpCompare(a, b));
    return `${cond.field}为${values.join("或")}`;
  }

  const cellTests = (cell) => cell.tests || [];
  function cellMatches(cell, facts) {
    return cell.keys.every(([f, v]) => facts.get(f) === v) && cellTests(cell).every((t) => testHolds(t, facts));
  }
  /** Cell.specificity: the fields a cell is keyed on (a range on one field counts once). */
  const specificity = (cell) => cell.keys.length + new Set(cellTests(cell).map(testField)).size;
  function tableLookup(table, facts) {
    let best = null;
    for (const c of table.cells) if (cellMatches(c, facts) && (best === null || specificity(c) > specificity(best))) best = c;
    return best;
  }
  function tableFields(table) {
    const seen = [];
    for (const c of table.cells) for (const [f] of c.keys) if (!seen.includes(f)) seen.push(f);
    return seen;
  }
  const versionAt = (param, day) => param.versions.find((v) => inForce(v.start, v.end, day)) || null;
  function lookup(param, day, facts) {
    const v = versionAt(param, day);
    return v ? tableLookup(v.table, facts) : null;
  }
  const cellLabel = (cell) => [...cell.keys.map(([, v]) => v), ...cellTests(cell).map(describeTest)].join("、");
  const label = (cell) => (cell.keys.length || cellTests(cell).length ? `（${cellLabel(cell)}）` : "");

  const reference = (policy, name) => policy.references.find((r) => r.name === name) || null;
  const refDescribe = (ref) => `${ref.offset === -1 ? "上年度" : "当年"}${ref.name}`;

  function referenceValue(policy, ref, day) {
    const r = reference(policy, ref.name);
    const year = day.year + ref.offset;
    const found = r ? r.values.find(([y]) => y === year) : null;
    if (!found) throw new Missing(`缺少 ${year} 年的${ref.name}`);
    return found[1]; // {unit: money}
  }

  /** expression_value: an expression's exact value; amounts: the claim's own amounts (费用 …) as a Map of BigInt. */
  function arith(node, policy, facts, day, amounts = null) {
    switch (node.node) {
      case "Num": return magnitude(node.value);
      case "RefValue":
        try { return referenceValue(policy, node, day).v; } catch (e) {
          if (e instanceof Missing) throw new FormulaError(e.message);
          throw e;
        }
      case "FieldRef": {
        const value = facts.get(node.name);
        if (value == null || typeof value === "string" || value instanceof PDate) throw new FormulaError(`缺少“${node.name}”`);
        const fdef = policy.fields.find((f) => f.name === node.name);
        const scale = fdef && fdef.type === "年数" ? new Frac(1n, 12n) : new Frac(1n);
        return Frac.of(value).mul(scale);
      }
      case "ClaimAmount":
        if (amounts == null || !amounts.has(node.name)) throw new FormulaError(`这里没有本次就诊的“${node.name}”`);
        return Frac.of(amounts.get(node.name));
      case "Pick": {
        const values = node.args.map((a) => arith(a, policy, facts, day, amounts));
        const pickMin = node.op === "取小";
        return values.reduce((best, v) => ((pickMin ? v.cmp(best) < 0 : v.cmp(best) > 0) ? v : best));
      }
      case "Bin": {
        const l = arith(node.left, policy, facts, day, amounts), r = arith(node.right, policy, facts, day, amounts);
        if (node.op === "+") return l.add(r);
        if (node.op === "-") return l.sub(r);
        if (node.op === "×") return l.mul(r);
        if (r.n === 0n) throw new FormulaError("除数为 0");
        return l.div(r);
      }
      default: throw new Unsupported(`表达式“${node.node}”`);
    }
  }

  const ARITH = new Set(["Num", "FieldRef", "RefValue", "Bin", "ClaimAmount", "Pick"]);
  /** A bound: a constant of the formula's unit, or an expression (最低 上年度 职工平均工资 × 1%). */
  const boundOf = (q, policy, facts, day, amounts) =>
    (q.node && ARITH.has(q.node) ? arith(q, policy, facts, day, amounts) : q.v);

  /** Which bound computed per claim applied (terms._computed_bound); nothing for a constant. */
  const computedBound = (bound, text) => (bound.node && ARITH.has(bound.node) && text ? ` ${text}` : "");

  /** formula_value: exact, bounded, rounded as the formula says; [{unit, v}, note]. */
  function formulaValue(formula, policy, facts, day, amounts = null) {
    let exact = arith(formula.expr, policy, facts, day, amounts);
    const notes = [];
    if (formula.lower != null) {
      const low = boundOf(formula.lower, policy, facts, day, amounts);
      if (exact.cmp(low) < 0) { exact = low; notes.push("按最低值" + computedBound(formula.lower, formula.lower_text)); }
    }
    if (formula.upper != null) {
      const high = boundOf(formula.upper, policy, facts, day, amounts);
      if (exact.cmp(high) > 0) { exact = high; notes.push("按最高值" + computedBound(formula.upper, formula.upper_text)); }
    }
    if (formula.kind === "ratio") return [{ unit: "ratio", v: exact }, notes.join("，")];
    if (formula.kind === "days") {
      let whole = exact.trunc();
      if (whole < 0n) whole = 0n;
      if (!exact.eq(whole)) notes.push("不足 1 天的部分不计");
      return [{ unit: "days", v: new Frac(whole) }, notes.join("，")];
    }
    if (formula.round_to != null) {
      const mode = formula.round_mode || policy.rounding;
      const unit = formula.round_to === "元" ? 100n : 1n;
      const rounded = roundFen(exact.div(unit), mode) * unit;
      if (!exact.eq(rounded)) notes.push(`${mode}取整到${formula.round_to}`);
      exact = new Frac(rounded);
    }
    return [{ unit: "money", v: exact }, notes.join("，")];
  }

  /** resolve: a cell's value for a claim; throws Missing (FormulaError for a formula). */
  function resolve(value, policy, facts, day, amounts = null) {
    if (value.node === "RefValue") return [referenceValue(policy, value, day), ""];
    if (value.node === "Formula") {
      let [result, note] = formulaValue(value, policy, facts, day, amounts);
      if (result.unit === "money" && !result.v.whole) {
        result = { unit: "money", v: new Frac(roundFen(result.v, policy.rounding)) };
        note = [note, `${policy.rounding}到分`].filter((x) => x).join("，");
      }
      return [result, note];
    }
    return [value, ""];
  }

  // ---- ratios ----
  const ratio = (v) => ({ unit: "ratio", v });
  function adjust(adj, r) {
    const next = r.v.add(adj.delta.v);
    const raises = adj.delta.v.cmp(0n) >= 0;
    if (raises && adj.upper != null && next.cmp(adj.upper.v) > 0) return [r.v.cmp(adj.upper.v) >= 0 ? r : adj.upper, adj.upper];
    if (!raises && adj.lower != null && next.cmp(adj.lower.v) < 0) return [r.v.cmp(adj.lower.v) <= 0 ? r : adj.lower, adj.lower];
    return [ratio(next), null];
  }
  function adjusted(r, adjustments, facts, day) {
    const steps = [];
    for (const adj of adjustments) if (applies(adj, facts, day)) { const [after, stop] = adjust(adj, r); r = after; steps.push([adj, r, stop]); }
    return steps;
  }
  function clamp(r) {
    if (r.v.cmp(0n) < 0) return ratio(new Frac(0n));
    if (r.v.cmp(1n) > 0) return ratio(new Frac(1n));
    return r;
  }
  function countValue(rules, n) {
    const exact = rules.find((r) => r.n === n);
    if (exact) return exact;
    let best = null;
    for (const r of rules) if (r.onward && r.n <= n && (best === null || r.n > best.n)) best = r;
    return best;
  }

  // ---- 要求 (ir/eligibility.py) ----
  function magnitude(v) {
    if (v !== null && typeof v === "object" && "unit" in v && !(v instanceof Frac)) return v.v;
    return v;
  }
  function operand(op, facts, anchor) {
    if (op.kind === "const") return magnitude(op.value);
    if (op.kind === "month_day") {
      const [month, d] = op.value;
      if (!anchor) throw new Unsupported("不以日期为参照的月日比较");
      return new PDate(anchor.year, month, Math.min(d, PC.monthDays(anchor.year, month)));
    }
    const value = facts.get(String(op.value));
    if (value == null) throw new FieldMissing(String(op.value));
    if (op.kind === "next_month" || op.kind === "this_month") {
      const first = new PDate(value.year, value.month, 1);
      return op.kind === "next_month" ? first.plusMonths(1) : first;
    }
    return value;
  }
  const isNum = (x) => typeof x === "bigint" || x instanceof Frac;
  function evaluateExpr(expr, facts, anchor) {
    let total = null;
    for (const [sign, op] of expr.terms) {
      const value = operand(op, facts, anchor);
      if (total === null) total = value;
      else if (total instanceof PDate) {
        const n = Number(Frac.of(value).mul(BigInt(sign)).trunc());
        total = op.unit === "月" ? total.plusMonths(n) : total.plusDays(n);
      } else if (isNum(total) && isNum(value)) total = Frac.of(total).add(Frac.of(value).mul(BigInt(sign)));
      else throw new Unsupported("这种条件表达式");
    }
    return total;
  }
  function compareValues(op, l, r) {
    let c;
    if (isNum(l) && isNum(r)) c = Frac.of(l).cmp(Frac.of(r));
    else if (l instanceof PDate && r instanceof PDate) c = l.cmp(r);
    else if (typeof l === "string" && typeof r === "string") {
      if (op === "=") return l === r;
      if (op === "!=") return l !== r;
      c = PC.cpCompare(l, r);
    } else {
      if (op === "=") return false;
      if (op === "!=") return true;
      throw new Unsupported("不同类型的值的大小比较");
    }
    return { ">=": c >= 0, "<=": c <= 0, ">": c > 0, "<": c < 0, "=": c === 0, "!=": c !== 0 }[op];
  }
  function compare(c, facts) {
    const left = evaluateExpr(c.lhs, facts, null);
    let cell = null, right;
    if (c.rhs.node === "Table") {
      cell = tableLookup(c.rhs, facts);
      if (cell === null) throw new FieldMissing(tableFields(c.rhs).join("、"));
      right = magnitude(cell.value);
    } else right = evaluateExpr(c.rhs, facts, left instanceof PDate ? left : null);
    return [compareValues(c.op, left, right), cell];
  }
  /** check_requirement: [reason or null, cell or null]. */
  function checkRequirement(req, facts, optional) {
    try {
      if (!req.guards.every((g) => compare(g, facts)[0])) return [null, null];
    } catch (e) {
      if (e instanceof FieldMissing) return [null, null];
      throw e;
    }
    let ok, cell;
    try { [ok, cell] = compare(req.predicate, facts); } catch (e) {
      if (!(e instanceof FieldMissing)) throw e;
      if (optional.has(e.field)) return [null, null];
      return [`${req.reason}（缺少“${e.field}”，无法判断）`, null];
    }
    return [ok ? null : req.reason, cell];
  }

  Object.assign(PC, {
    Missing, FormulaError, inForce, holds, allHold, applies, who, describe, tableLookup, versionAt, lookup, label,
    cellLabel, reference, refDescribe, referenceValue, formulaValue, resolve, expressionValue: arith, adjusted, clamp, countValue,
    checkRequirement, magnitude, isTest, describeTest, testFactText, conditionWords,
  });
})(typeof globalThis !== "undefined" ? globalThis : this);
