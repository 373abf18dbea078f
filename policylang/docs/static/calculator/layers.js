/* policylang calculator — one layer of a settlement (eval/layers.py): deductible, ratio, brackets, fixed
 * standard, one-off payment, fee limit, caps; or an allowance. Same accumulators, same trace lines. */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const { Frac, roundFen, fmtYuan: Y, show, label } = PC;
  const { scopeWord, capWord, namedKey, SCOPE_WORD, CAP_WORD, norm, nadd, nsub, ncmp, requiredCell, showAmount, cumulativeScope, runningScope, periodKey, scopeKey,
    bandValue, bandFigure } = PC;

  const money = (fen) => ({ unit: "money", v: new Frac(BigInt(fen)) });
  const max = (a, b) => (a > b ? a : b);
  const min = (a, b) => (a < b ? a : b);
  const UNAVAILABLE = new Error("a deductible bound cannot be had");
  const CHAIN_SHOWN = 6; // a longer 逐次 chain is shown by its first and last steps

  /** _band_inverse: the least x in [lo, hi] with F(x) ≥ target (F rises, piecewise linear). */
  function bandInverse(bands, target, lo, hi) {
    const pts = new Set([lo, hi]);
    for (const b of bands) {
      const l = b.lower.v.n;
      if (l > lo && l < hi) pts.add(l);
      if (b.upper != null && b.upper.v.n > lo && b.upper.v.n < hi) pts.add(b.upper.v.n);
    }
    const points = [...pts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const fa = bandValue(bands, a), fb = bandValue(bands, b);
      if (fb.cmp(target) >= 0) return fb.eq(fa) ? Frac.of(a) : Frac.of(a).add(target.sub(fa).mul(b - a).div(fb.sub(fa)));
    }
    return Frac.of(hi);
  }

  class LayerSettler {
    constructor(policy, scheme, layer, acc, claim, facts, say, figures = new Map(), amounts = null) {
      Object.assign(this, { policy, scheme, layer, acc, claim, facts, say, figures, amounts });
      this.deductibleAmount = 0n;
      this.why = ""; // why a value could not be had, for the refusal reason (terms.unsettled_reason)
      this.above = 0n; // the spending above this layer's cap (cutOff), for a next layer on that base
      this.aboveHow = "";
      this.ratioUsed = null;
      this.bandsUsed = null;
      this.bandsSpan = [0n, 0n];
      this.day = PC.versionDay(scheme, facts, claim.date); // 版本 按: the date that picks parameter versions
      this.otherFunds = 0n; // 扣除已付: what other funds paid, taken off what reaches this layer
      this.policyRange = 0n; // the claim's 政策范围内费用, for a 年度补助; set by the claim's settler
    }
    /** Record a figure of this layer under its name (L进入, L起付线 …); the first layer of a name wins. */
    figure(suffix, value) {
      const name = this.layer.name + suffix;
      if (!this.figures.has(name)) this.figures.set(name, roundFen(Frac.of(value), this.policy.rounding));
      this.why = "";
    }
    key(what, scope, shared = false, stayDays = null, by = null) {
      return [this.scheme.name, this.layer.name, what, scope,
        scopeKey(scope, this.scheme.period, this.claim, this.facts, shared, stayDays, by)];
    }
    /** limit_key: a limit's own total, or the named 累计 it shares; 各自累计 keeps one total per cell. */
    limitKey(what, lim, cell = null) {
      const stay = lim.stay_days === undefined ? null : lim.stay_days;
      let k;
      if (lim.counts_in) k = namedKey(lim.counts_in, lim.scope, scopeKey(lim.scope, this.scheme.period, this.claim, this.facts, false, stay, lim.by));
      else k = this.key(what, lim.scope, !!lim.shared, stay, lim.by);
      if (cell !== null && lim.separate) k = [...k, ["cell", cell.keys]];
      return k;
    }
    namedWord(lim, cell = null) {
      const word = scopeWord(lim.scope, lim.by);
      if (lim.counts_in) return `${word}“${lim.counts_in}”`;
      if (cell !== null && lim.separate && cell.keys.length) return `${word}${PC.cellLabel(cell)}`;
      return word;
    }
    capCell(cap) { return cap.separate ? requiredCell(cap.param, this.day, this.facts) : null; }
    /** cut_off: the spending above this layer's cap, in cost terms (eval/layers.py). */
    cutOff(eligible, raw, paid) {
      this.aboveHow = "";
      if (ncmp(paid, raw) >= 0 || eligible <= 0n) return 0n;
      const mode = this.policy.rounding;
      if (this.layer.ratio != null) {
        const ratio = this.ratioUsed;
        if (ratio === null || ncmp(ratio.v, 0n) === 0) return 0n;
        const above = max(0n, eligible - roundFen(Frac.of(paid).div(ratio.v), mode));
        this.aboveHow = `${Y(eligible)} 元 − ${showAmount(paid)} ÷ ${show(ratio)} = ${Y(above)} 元`;
        return above;
      }
      const bands = this.bandsUsed;
      if (bands === null) return 0n;
      const [lo, hi] = this.bandsSpan;
      const x = roundFen(bandInverse(bands, bandValue(bands, lo).add(Frac.of(paid)), lo, hi), mode);
      const above = max(0n, hi - x);
      this.aboveHow = `本年累计 ${Y(hi)} 元 − 分段支付达到封顶时的累计 ${Y(x)} 元 = ${Y(above)} 元`;
      return above;
    }
    resolve(value, origin) {
      let resolved, note;
      try { [resolved, note] = PC.resolve(value, this.policy, this.facts, this.day, this.amounts); } catch (e) {
        if (e instanceof PC.FormulaError) {
          this.why = e.message;
          this.say(`无法计算“${value.text}”：${e.message}，本次就诊不予支付`, origin);
          return null;
        }
        if (e instanceof PC.Missing) {
          this.why = e.message;
          const ref = PC.reference(this.policy, value.name);
          this.say(`${e.message}（${PC.refDescribe(value)}），无法结算`, ref ? ref.origin : null);
          return null;
        }
        throw e;
      }
      if (value.node === "Formula") this.say(`${value.text} = ${show(resolved)}${note ? "（" + note + "）" : ""}`, origin);
      return resolved;
    }
    amount(value, origin) {
      const found = this.resolve(value, origin);
      return found === null ? null : found.v.n; // whole 分
    }

    settle(base) {
      const layer = this.layer;
      this.figure("进入", base);
      if (this.scheme.layers.length > 1) this.say(`【${layer.name}】本次进入 ${Y(base)} 元`, layer.origin);
      if (layer.already_paid != null) [base, this.otherFunds] = PC.deductPaid(layer, this.facts, base, this.say);
      if (layer.fee_limit != null && layer.fee_limit.base === "累计费用") {
        const limited = this.feeLimit(layer.fee_limit, base);
        if (limited === null) return null;
        base = limited;
      }
      let counted = 0n;
      this.deductibleAmount = 0n;
      if (layer.deductible != null) {
        const found = this.deductible(layer.deductible, base);
        if (found === null) return null;
        counted = found;
      }
      let eligible = base - counted;
      if (layer.fee_limit != null && layer.fee_limit.base !== "累计费用") { // counted from above the deductible
        const limited = this.feeLimit(layer.fee_limit, eligible);
        if (limited === null) return null;
        eligible = limited;
        base = counted + limited;
      }
      this.figure("起付线", counted);
      this.figure("起付线以上", eligible);
      const foundRunning = runningScope(this.scheme, layer); // its own, or an earlier layer's (accumulators.js)
      const running = foundRunning !== null ? foundRunning[0] : null;
      this.runningBy = foundRunning !== null ? foundRunning[1] : null;
      let raw;
      if (layer.ratio != null) raw = this.ratioPay(layer.ratio, eligible, running !== null);
      else if (layer.brackets != null) raw = this.bracketPay(layer.brackets, eligible, base);
      else if (layer.fixed != null) raw = this.fixedPay(layer.fixed, eligible);
      else if (layer.once != null) raw = this.oncePay(layer.once, eligible);
      else if (layer.topup != null) raw = PC.topUpPay(this, layer.topup, eligible);
      else raw = 0n;
      if (raw === null) return null;
      raw = this.deduct(raw, false); // 支付后扣除
      if (raw === null) return null;
      let paid = raw;
      this.figure("封顶前", raw);
      paid = this.unitCaps(paid); // 封顶线 每 床日数
      if (paid === null) return null;
      for (const cap of layer.caps) {
        const capped = this.cap(cap, paid);
        if (capped === null) return null;
        paid = capped;
      }
      this.above = this.cutOff(eligible, raw, paid);
      paid = this.deduct(paid, true); // 封顶后扣除
      if (paid === null) return null;
      for (const cap of layer.caps) {
        const k = this.limitKey("cap", cap, this.capCell(cap));
        this.acc.add(k, paid);
        if (cap.counts_in) {
          this.say(`本次支付 ${showAmount(paid)}，与其他计入“${cap.counts_in}”的支付合并计算，${scopeWord(cap.scope, cap.by)}合计 ${showAmount(this.acc.get(k))}`, cap.param.versions[0].origin);
        }
      }
      if (running !== null) paid = this.roundRunning(running, paid, ncmp(paid, raw) !== 0 || layer.ratio != null);
      return [paid, counted];
    }

    /** round(X after) − round(X before) of the layer's exact running payment X in the scope. */
    roundRunning(scope, exact, shown) {
      const by = this.runningBy != null ? this.runningBy : null;
      const k = this.key("paid_exact", scope, false, null, by);
      const before = this.acc.get(k), after = nadd(before, exact);
      this.acc.set(k, after);
      const mode = this.policy.rounding;
      const paid = roundFen(Frac.of(after), mode) - roundFen(Frac.of(before), mode);
      if (shown && ((exact instanceof Frac && !exact.whole) || ncmp(exact, paid) !== 0)) {
        this.say(`累计舍入：${scopeWord(scope, by)}累计应付 ${showAmount(after)}，${mode}到分后减去此前已付 `
          + `${Y(roundFen(Frac.of(before), mode))} 元，本次支付 ${Y(paid)} 元（分不在就诊之间移动）`);
      }
      return paid;
    }

    limit(param, k) {
      const cell = requiredCell(param, this.day, this.facts);
      const amount = this.amount(cell.value, cell.origin);
      if (amount === null) return null;
      return [cell, amount, this.acc.get(k)];
    }

    feeLimit(lim, base) {
      const k = this.limitKey("fee_limit", lim, this.capCell(lim));
      const above = lim.base === "累计费用" ? "" : "（只计起付线以上部分）";
      const found = this.limit(lim.param, k);
      if (found === null) return null;
      const [cell, amount, used] = found;
      const entering = min(base, max(0n, amount - used));
      this.acc.add(k, entering);
      const rest = base - entering;
      const tail = rest ? `，其余 ${Y(rest)} 元不进入本层，转入下一层` : "";
      this.say(`${capWord(lim.scope, lim.by)}费用限额 ${Y(amount)} 元${above}：${this.namedWord(lim, cell)}已计入 ${Y(used)} 元，本次计入 ${Y(entering)} 元${tail}`, cell.origin);
      return entering;
    }

    count(what) {
      const period = periodKey(this.scheme.period, this.claim, this.facts);
      const admission = this.facts.get("住院号") || ["claim", BigInt(this.claim.index)];
      const seen = [this.scheme.name, this.layer.name, what, "seen", period, admission];
      const counter = [this.scheme.name, this.layer.name, what, "count", period];
      if (!this.acc.get(seen)) { this.acc.add(counter, 1n); this.acc.set(seen, this.acc.get(counter)); }
      if (!this.figures.has("住院次数")) this.figures.set("住院次数", this.acc.get(seen));
      return this.acc.get(seen);
    }

    oncePay(once, base) {
      const k = this.key("once_base", "年度"), owedKey = this.key("once_owed", "年度");
      const before = this.acc.get(k), after = before + base;
      this.acc.set(k, after);
      const threshold = once.threshold.v.n;
      if (before <= threshold && threshold < after) {
        this.acc.set(owedKey, once.amount.v.n);
        this.say(`本年累计 ${Y(after)} 元，首次超过 ${show(once.threshold)}：应一次性支付 ${show(once.amount)}`, once.origin);
      }
      const owed = this.acc.get(owedKey);
      if (owed <= 0n) {
        const state = after > threshold ? "已支付" : "未超过";
        this.say(`本年累计 ${Y(after)} 元，${state}一次性支付的门槛 ${show(once.threshold)}`, once.origin);
        return 0n;
      }
      const paid = min(owed, base);
      this.acc.set(owedKey, owed - paid);
      const rest = owed > paid ? `，余下 ${Y(owed - paid)} 元在本年以后的就诊中支付` : "";
      this.say(`一次性支付本次支付 ${Y(paid)} 元${rest}`, once.origin);
      return paid;
    }

    deductible(ded, base) {
      const day = this.day;
      const waiver = ded.waivers.find((w) => PC.applies(w, this.facts, day));
      if (waiver) { this.say(`${PC.who(waiver)}免起付线`, waiver.origin); return 0n; }
      const cell = requiredCell(ded.param, day, this.facts);
      let amount = this.amount(cell.value, cell.origin);
      if (amount === null) return null;
      try { amount = this.adjustDeductible(ded, amount, cell); } catch (e) {
        if (e === UNAVAILABLE) return null; // a bound's value cannot be had
        throw e;
      }
      if (amount === null) return null;
      const k = this.limitKey("deductible", ded, cell);
      const referral = !ded.counts_in && k[4][0] === "referral";
      if (referral) {
        const first = [...k, "first"];
        if (!this.acc.get(first)) this.acc.set(first, amount + 1n);
        else if (this.acc.get(first) - 1n !== amount) this.say(`同一转诊只计算首次起付线 ${Y(this.acc.get(first) - 1n)} 元`, cell.origin);
        amount = this.acc.get(first) - 1n;
      }
      this.deductibleAmount = amount;
      const used = this.acc.get(k);
      const counted = min(base, max(0n, amount - used));
      this.acc.add(k, counted);
      const source = cell.value.node === "RefValue" ? `（${PC.refDescribe(cell.value)}）` : label(cell);
      const word = referral ? "同一转诊已" : this.namedWord(ded, cell) + "已";
      if (ded.scope === "每次") this.say(`起付线 ${Y(amount)} 元${source}，本次计入起付 ${Y(counted)} 元`, cell.origin);
      else this.say(`起付线 ${Y(amount)} 元${source}：${word}累计起付 ${Y(used)} 元，本次计入起付 ${Y(counted)} 元`, cell.origin);
      return counted;
    }

    adjustDeductible(ded, amount, cell) {
      amount = this.boundTable(ded, amount);
      if (ded.highest) {
        const k = this.key("deductible_highest", ded.scope);
        const highest = max(this.acc.get(k), amount);
        this.acc.set(k, highest);
        if (highest > amount) this.say(`起付线按本年就诊过的最高等级计 ${Y(highest)} 元`, cell.origin);
        amount = highest;
      }
      if (ded.counts.length || ded.step != null) {
        const n = this.count("deductible");
        const rule = PC.countValue(ded.counts, Number(n));
        if (rule) {
          const scaled = roundFen(rule.value.v.mul(amount), this.policy.rounding);
          this.say(`本年第 ${n} 次住院：起付线按 ${show(rule.value)} 计，${Y(amount)} 元 → ${Y(scaled)} 元`, rule.origin);
          amount = this.boundReduced(ded, amount, scaled);
        }
        if (ded.step != null && n > 1n) {
          const floorCell = ded.floors ? PC.tableLookup(ded.floors, this.facts) : null;
          const floor = floorCell ? floorCell.value.v.n : 0n;
          const lowered = max(floor, amount - ded.step.v.n * (n - 1n));
          this.say(`本年第 ${n} 次住院：起付线每次递减 ${show(ded.step)}，最低 ${Y(floor)} 元，计 ${Y(lowered)} 元`, floorCell ? floorCell.origin : null);
          amount = lowered;
        }
      }
      if (ded.compound != null) amount = this.compound(ded, amount);
      return amount;
    }

    /* eval/deductibles.py: bounds of the table line, bounds of a reduction, 逐次 rounded at each step. */
    boundValue(cell) {
      if (cell === null) return null;
      const found = this.amount(cell.value, cell.origin);
      if (found === null) throw UNAVAILABLE;
      return found;
    }
    boundTable(ded, amount) {
      const day = this.day;
      const lower = ded.base_lower != null ? PC.lookup(ded.base_lower, day, this.facts) : null;
      const upper = ded.base_upper != null ? PC.lookup(ded.base_upper, day, this.facts) : null;
      const lo = this.boundValue(lower), hi = this.boundValue(upper);
      if (lo !== null && amount < lo) {
        this.say(`起付线 ${Y(amount)} 元低于最低 ${Y(lo)} 元，按 ${Y(lo)} 元计`, lower ? lower.origin : null);
        amount = lo;
      }
      if (hi !== null && amount > hi) {
        this.say(`起付线 ${Y(amount)} 元高于最高 ${Y(hi)} 元，按 ${Y(hi)} 元计`, upper ? upper.origin : null);
        amount = hi;
      }
      return amount;
    }
    boundReduced(ded, unreduced, reduced) {
      const lower = ded.lower != null ? PC.tableLookup(ded.lower, this.facts) : null;
      const upper = ded.upper != null ? PC.tableLookup(ded.upper, this.facts) : null;
      const lo = this.boundValue(lower), hi = this.boundValue(upper);
      let amount = reduced;
      if (lo !== null && amount < lo) {
        amount = min(lo, unreduced);
        const tail = lo <= unreduced ? "" : `（不超过减免前的 ${Y(unreduced)} 元）`;
        this.say(`减免后不低于最低 ${Y(lo)} 元${tail}：起付线计 ${Y(amount)} 元`, lower ? lower.origin : null);
      }
      if (hi !== null && amount > hi) {
        amount = hi;
        this.say(`减免后不高于最高 ${Y(hi)} 元：起付线计 ${Y(amount)} 元`, upper ? upper.origin : null);
      }
      return amount;
    }
    compound(ded, amount) {
      const rule = ded.compound;
      const n = this.count("deductible");
      if (n === 1n || !PC.inForce(rule.start, rule.end, this.day)) return amount;
      const chain = [amount];
      for (let i = 1n; i < n; i++) chain.push(roundFen(rule.factor.v.mul(chain[chain.length - 1]), this.policy.rounding));
      let shown = chain.map((x) => `${Y(x)} 元`);
      if (shown.length > CHAIN_SHOWN) shown = [...shown.slice(0, 2), "…", ...shown.slice(-2)];
      this.say(`本年第 ${n} 次住院：起付线逐次按上一次的 ${show(rule.factor)} 计（每次${this.policy.rounding}到分）：`
        + shown.join(" → "), rule.origin);
      return this.boundReduced(ded, amount, chain[chain.length - 1]);
    }

    ratioPay(rule, eligible, cumulative = false) {
      const cell = requiredCell(rule.param, this.day, this.facts);
      let ratio = this.resolve(cell.value, cell.origin);
      if (ratio === null) return null;
      this.say(`适用比例 ${show(ratio)}${label(cell)}`, cell.origin);
      for (const [adj, after, stop] of PC.adjusted(ratio, rule.adjustments, this.facts, this.day)) {
        ratio = after;
        const raises = adj.delta.v.cmp(0n) >= 0;
        const bound = stop === null ? "" : `（${raises ? "最高" : "最低"} ${show(stop)}）`;
        this.say(`${PC.who(adj)}比例${raises ? "提高" : "降低"} ${show({ unit: "ratio", v: adj.delta.v.abs() })}，适用比例 ${show(ratio)}${bound}`, adj.origin);
      }
      const clamped = PC.clamp(ratio);
      if (!clamped.v.eq(ratio.v)) { ratio = clamped; this.say(`比例按 0%–100% 截取为 ${show(ratio)}`); }
      this.ratioUsed = ratio;
      const exact = ratio.v.mul(eligible);
      if (cumulative) { // rounded cumulatively (roundRunning)
        this.say(`进入报销部分 ${Y(eligible)} 元 × ${show(ratio)} = ${showAmount(exact)}`);
        return norm(exact);
      }
      const raw = roundFen(exact, this.policy.rounding);
      const rounded = exact.whole ? "" : `（${this.policy.rounding}到分）`;
      this.say(`进入报销部分 ${Y(eligible)} 元 × ${show(ratio)} = ${Y(raw)} 元${rounded}`);
      return raw;
    }

    bracketPay(brackets, eligible, base) {
      const cell = requiredCell(brackets.param, this.day, this.facts);
      const bands = cell.value.bands;
      if (brackets.base === "累计费用") return this.bracketCostPay(bands, base, cell);
      const k = this.key("brackets", "年度");
      const before = this.acc.get(k), after = before + eligible;
      this.acc.set(k, after);
      this.bandsUsed = bands; this.bandsSpan = [before, after];
      this.say(`分段计算${label(cell)}（按起付线以上部分累计）：本年此前累计 ${Y(before)} 元，本次 ${Y(eligible)} 元，累计 ${Y(after)} 元`, cell.origin);
      const mode = this.policy.rounding;
      bands.forEach((b, i) => {
        const lo = max(before, b.lower.v.n);
        const hi = b.upper == null ? after : min(after, b.upper.v.n);
        if (hi > lo) {
          const upper = b.upper == null ? "以上" : `至 ${show(b.upper)}`;
          const part = money(roundFen(b.ratio.v.mul(hi - lo), mode));
          this.figure(bandFigure(i + 1), part.v);
          this.say(`  ${show(b.lower)}${upper}部分 ${Y(hi - lo)} 元 × ${show(b.ratio)} = ${show(part)}`, b.origin);
        }
      });
      return this.bracketShare(bands, before, after);
    }

    /** F(after) − F(before), exact: the layer rounds its running payment (roundRunning). */
    bracketShare(bands, before, after) {
      const mode = this.policy.rounding;
      const paid = roundFen(bandValue(bands, after), mode) - roundFen(bandValue(bands, before), mode);
      this.say(`分段合计本次支付 ${Y(paid)} 元`);
      return norm(bandValue(bands, after).sub(bandValue(bands, before)));
    }

    bracketCostPay(bands, base, cell) {
      const k = this.key("brackets_cost", "年度");
      const before = this.acc.get(k), after = before + base;
      this.acc.set(k, after);
      const floor = this.deductibleAmount;
      this.say(`分段计算${label(cell)}（按累计费用）：本年此前累计费用 ${Y(before)} 元，本次 ${Y(base)} 元，累计 ${Y(after)} 元，起付线 ${Y(floor)} 元以下部分不支付`, cell.origin);
      const shifted = bands.map((b) => ({ ...b, lower: money(max(b.lower.v.n, floor)),
        upper: b.upper == null ? null : money(max(b.upper.v.n, floor)) }));
      this.bandsUsed = shifted; this.bandsSpan = [before, after];
      shifted.forEach((b, i) => {
        const lo = max(before, b.lower.v.n);
        const hi = b.upper == null ? after : min(after, b.upper.v.n);
        if (hi > lo) this.figure(bandFigure(i + 1), roundFen(b.ratio.v.mul(hi - lo), this.policy.rounding));
        if (hi > lo) this.say(`  累计费用 ${show(b.lower)}${b.upper == null ? "以上" : `至 ${show(b.upper)}`}部分 ${Y(hi - lo)} 元 × ${show(b.ratio)}`, bands[i].origin);
      });
      return this.bracketShare(shifted, before, after);
    }

    fixedPay(fixed, eligible) {
      if (fixed.per != null) return this.fixedPerUnit(fixed, eligible);
      const cell = requiredCell(fixed.param, this.day, this.facts);
      const standard = this.amount(cell.value, cell.origin);
      if (standard === null) return null;
      const paid = min(eligible, standard);
      const how = eligible >= standard ? "按定额标准支付" : "实际费用低于定额标准，按实际费用支付";
      this.say(`定额标准 ${Y(standard)} 元${label(cell)}，实际 ${Y(eligible)} 元，${how} ${Y(paid)} 元`, cell.origin);
      return paid;
    }

    cap(cap, pay) {
      const found = this.limit(cap.param, this.limitKey("cap", cap, this.capCell(cap)));
      if (found === null) return null;
      const [cell, lim, used] = found;
      const left = nsub(lim, used), room = ncmp(left, 0n) > 0 ? left : 0n;
      const name = `${capWord(cap.scope, cap.by)}封顶线 ${Y(lim)} 元${label(cell)}`;
      const before = cap.scope === "每次" ? "" : `${this.namedWord(cap, cell)}已支付 ${showAmount(used)}，`;
      if (ncmp(pay, room) > 0) { this.say(`达到${name}：${before}本次支付由 ${showAmount(pay)} 减至 ${showAmount(room)}`, cell.origin); return room; }
      this.say(`${before}未超过${name}`, cell.origin);
      return pay;
    }

    allowance() {
      const al = this.layer.allowance;
      requiredCell(al.days, this.day, this.facts);
      const cell = PC.lookup(al.days, this.day, this.facts);
      let days;
      if (cell.value.node === "Formula") { // 津贴天数 computed per claim
        const base = this.resolve(cell.value, cell.origin);
        if (base === null) return null;
        days = base.v.n;
      } else days = cell.value.v.n;
      this.say(`${this.layer.name}：基本津贴天数 ${days} 天${label(cell)}`, cell.origin);
      for (const add of al.additions) {
        if (!PC.allHold(add.when, this.facts)) continue;
        days += add.days.v.n;
        this.say(`${PC.who(add)}增加 ${show(add.days)}，共 ${days} 天`, add.origin);
      }
      for (const per of al.per_count) {
        const has = this.facts.has(per.field);
        const count = has ? Frac.of(this.facts.get(per.field)).trunc() : BigInt(per.base);
        const extra = max(0n, count - BigInt(per.base));
        if (!extra) continue;
        const added = per.days.v.n * extra;
        days += added;
        this.say(`${per.field} ${count}，每多 1 增加 ${show(per.days)}，增加 ${added} 天，共 ${days} 天`, per.origin);
      }
      const rate = this.dailyRate(al);
      if (rate === null) return null;
      const exact = rate.mul(days);
      const amount = roundFen(exact, this.policy.rounding);
      if (!this.figures.has("日津贴")) this.figures.set("日津贴", roundFen(rate, this.policy.rounding));
      this.figure("", amount);
      const rounded = exact.whole && exact.n === amount ? "" : `（${this.policy.rounding}到分）`;
      this.say(`津贴 ${days} 天 × 日津贴 ${show({ unit: "money", v: rate })} = ${Y(amount)} 元${rounded}`, al.rate_origin);
      return [days, amount];
    }

    dailyRate(al) {
      const rate = al.rate;
      if (rate != null && rate.node === "Formula") {
        let exact, note;
        try { [exact, note] = PC.formulaValue(rate, this.policy, this.facts, this.day, this.amounts); } catch (e) {
          if (!(e instanceof PC.Missing)) throw e;
          this.say(`无法计算日津贴“${rate.text}”：${e.message}`, al.rate_origin);
          return null;
        }
        const how = note ? "已" + note : "不先取整，乘以天数后再舍入到分";
        this.say(`日津贴 = ${rate.text}（${how}）`, al.rate_origin);
        return exact.v;
      }
      if (typeof rate === "string") {
        const value = this.facts.get(rate);
        if (typeof value !== "bigint") { this.say(`缺少“${rate}”，无法计算津贴`, al.rate_origin); return null; }
        return new Frac(value);
      }
      if (rate == null) return null;
      const resolved = this.resolve(rate, null);
      return resolved === null ? null : resolved.v;
    }
  }

  // ---- steps after the ratio (eval/steps.py): 支付后扣除 / 封顶后扣除, 封顶线 每 X, 定额 每 X ----
  Object.assign(LayerSettler.prototype, {
    /** The claim's whole number of units of a 天数/次数 field; null (explained, claim refused) when it has none. */
    units(field, what, origin) {
      const value = this.facts.get(field);
      if (value == null || !(typeof value === "bigint" || value instanceof Frac)) {
        this.say(`缺少“${field}”，无法按${field}计算${what}`, origin);
        this.why = `缺少“${field}”`;
        return null;
      }
      const f = Frac.of(value);
      if (!f.whole || f.n < 0n) {
        this.say(`“${field}”应为不小于 0 的整数，无法按${field}计算${what}`, origin);
        this.why = `“${field}”不是整数`;
        return null;
      }
      return f.n;
    },
    perUnitAmount(param, field, what) {
      const cell = requiredCell(param, this.day, this.facts);
      const amount = this.amount(cell.value, cell.origin);
      if (amount === null) return null;
      const n = this.units(field, what, cell.origin);
      return n === null ? null : [cell, amount, n];
    },
    deduct(pay, afterCaps) {
      if (!afterCaps) this.deducted = 0n;
      for (const d of this.layer.deductions) {
        if (d.after_caps !== afterCaps) continue;
        const kind = d.after_caps ? "封顶后扣除" : "支付后扣除";
        let cell, total, how;
        if (d.per == null) {
          cell = requiredCell(d.param, this.day, this.facts);
          total = this.amount(cell.value, cell.origin);
          if (total === null) return null;
          how = `${kind}每次 ${Y(total)} 元${label(cell)}`;
        } else {
          const found = this.perUnitAmount(d.param, d.per, "扣除额");
          if (found === null) return null;
          let amount, n;
          [cell, amount, n] = found;
          total = amount * n;
          how = `${kind}每${d.per} ${Y(amount)} 元${label(cell)} × ${d.per} ${n} = ${Y(total)} 元`;
        }
        const after = ncmp(pay, total) > 0 ? nsub(pay, total) : 0n;
        const short = ncmp(pay, total) < 0 ? "（支付额不足扣除，本层本次不支付）" : "";
        this.say(`${how}：本次支付由 ${showAmount(pay)} 减至 ${showAmount(after)}${short}`, cell.origin);
        this.deducted = nadd(this.deducted, nsub(pay, after));
        pay = after;
      }
      if (afterCaps && this.layer.deductions.length) this.figure("扣除", this.deducted);
      return pay;
    },
    unitCaps(pay) {
      for (const cap of this.layer.unit_caps) {
        const found = this.perUnitAmount(cap.param, cap.field, "封顶线");
        if (found === null) return null;
        const [cell, amount, n] = found;
        const limit = amount * n;
        const name = `封顶线 每${cap.field} ${Y(amount)} 元${label(cell)} × ${cap.field} ${n} = ${Y(limit)} 元`;
        if (ncmp(pay, limit) > 0) {
          this.say(`达到${name}：本次支付由 ${showAmount(pay)} 减至 ${showAmount(limit)}`, cell.origin);
          pay = limit;
        } else this.say(`未超过${name}`, cell.origin);
      }
      return pay;
    },
    fixedPerUnit(fixed, eligible) {
      const found = this.perUnitAmount(fixed.param, fixed.per, "定额");
      if (found === null) return null;
      const [cell, standard, n] = found;
      const total = standard * n;
      const paid = min(eligible, total);
      const how = eligible >= total ? "按定额标准支付" : "实际费用低于定额标准，按实际费用支付";
      this.say(`定额标准 每${fixed.per} ${Y(standard)} 元${label(cell)} × ${fixed.per} ${n} = ${Y(total)} 元，实际 ${Y(eligible)} 元，${how} ${Y(paid)} 元`, cell.origin);
      return paid;
    },
  });

  Object.assign(PC, { LayerSettler });
})(typeof globalThis !== "undefined" ? globalThis : this);
