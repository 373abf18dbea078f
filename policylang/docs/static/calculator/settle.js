/* policylang calculator — settling one person's claims in date order (eval/settle.py), in the browser.
 *
 * Why an interpreter of the exported IR rather than code generated from it: the IR is already data, small and
 * typed; one interpreter that mirrors eval/ line by line serves every region (a page carries only its policy's
 * JSON), is checked once against Python by the differential test, and a new region needs no new code.
 * Generated code would have to be generated, shipped and tested per region, for no speed that matters here.
 *
 * A claim is {date: PDate, amount: BigInt 分, facts: Map, items: [{name, cls, amount}]}; a result mirrors
 * ClaimResult (amounts BigInt 分, trace lines {text, origin}).
 */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const { Frac, PDate, roundFen, fmtYuan: Y, show } = PC;

  function render(line) {
    const o = line.origin;
    return o ? `${line.text}〔${o.file}:${o.line}〕` : line.text;
  }

  /** Text without the origin, for comparing a node with another (Python's attrs eq ignores origins). */
  function sameNode(a, b) {
    const strip = (k, v) => (k === "origin" || k === "rate_origin" ? undefined : typeof v === "bigint" ? String(v) : v);
    return JSON.stringify(a, strip) === JSON.stringify(b, strip);
  }

  function defaults(policy) {
    const out = new Map();
    for (const e of policy.enums) if (e.default != null) out.set(e.name, e.default);
    for (const f of policy.fields) if (f.default != null) out.set(f.name, f.default);
    return out;
  }

  function standard(value) {
    if (value.unit === "months") {
      const v = value.v;
      if (v.d === 1n && v.n % 12n === 0n) return `${v.div(12n)} 年`;
      return `${v} 个月`;
    }
    return show(value);
  }

  class ClaimSettler {
    constructor(policy, acc, claim, facts) {
      Object.assign(this, { policy, acc, claim, facts, trace: [], scheme: null, figures: new Map() });
      this.otherPaid = 0n; // 其他基金已支付 on this claim, once its scheme is known
    }
    say(text, origin = null) { this.trace.push({ text, origin: origin || null }); }

    result(fields) {
      const c = this.claim;
      return Object.assign({ claim: c, scheme: null, cost: c.amount, excluded: 0n, first_paid: 0n, policy_range: 0n,
        deductible: 0n, fund: 0n, personal: c.amount, layers: [], trace: this.trace, refused: [],
        allowance_days: 0n, allowance: 0n, account: 0n, figures: [] }, fields);
    }
    refuse(scheme, reasons, excluded = 0n) {
      const c = this.claim;
      this.say(`统筹支付 0.00 元，个人自付 ${Y(c.amount - this.otherPaid)} 元`);
      return this.result({ scheme: scheme ? scheme.name : null, excluded, policy_range: c.amount - excluded, refused: reasons,
        personal: c.amount - this.otherPaid, other_paid: this.otherPaid });
    }

    // Refused as a whole: what the claim counted on the way is undone (eval/settle.py refuse_whole).
    refuseWhole(scheme, reason, origin) {
      this.acc.undo();
      this.say(`本次就诊不予支付，不计入起付线与封顶线，后面的层也不代为支付：${reason}`, origin);
      return this.refuse(scheme, [reason]);
    }

    run() {
      this.acc.begin();
      try {
        return this.settle();
      } catch (e) {
        if (!(e instanceof PC.NoCell)) throw e;
        return this.refuseWhole(this.scheme, e.reason, e.origin);
      }
    }

    /** tests_held: each typed condition that held, with the claim's value. */
    testsHeld(when) {
      for (const t of when) {
        if (PC.isTest(t)) this.say(`条件成立：${PC.describeTest(t)}（${t.comparison.lhs.terms[0][1].value} ${PC.testFactText(t, this.facts)}）`, t.origin);
      }
    }

    settle() {
      const claim = this.claim, day = claim.date, policy = this.policy;
      const scheme = policy.schemes.find((s) => PC.inForce(s.start, s.end, PC.versionDay(s, this.facts, day))
        && PC.allHold(s.when, this.facts)) || null;
      if (scheme === null) { this.say(`${day} 的就诊没有适用的方案，不予支付`); return this.refuse(null, ["没有适用的方案"]); }
      this.say(`适用方案：${scheme.name}`, scheme.origin);
      this.testsHeld(scheme.when);
      this.scheme = scheme;
      PC.explainVersion(scheme, this.facts, day, this.say.bind(this));
      const why = PC.tooMuch(scheme, this.facts, claim.amount);
      if (why !== null) { this.say(`${why}，无法结算`); return this.refuse(scheme, [why]); }
      this.otherPaid = PC.otherPaid(scheme, this.facts);
      const reasons = this.requirements(scheme.requirements, "");
      if (reasons.length) return this.refuse(scheme, reasons);
      const catalogue = this.placeCatalogue(scheme);
      const [excluded, classShare] = this.catalogue(catalogue);
      const policyRange = claim.amount - excluded - classShare;
      this.say(`政策范围内费用 ${Y(policyRange)} 元`);
      const first = this.firstSelfPay(scheme, policyRange);
      let base = policyRange - first;
      const shares = [];
      let days = 0n, allowance = 0n;
      let above = 0n, aboveHow = ""; // the spending above the previous layer's cap (LayerSettler.cutOff)
      for (const layer of scheme.layers) {
        const entering = this.layerBase(layer, base, above, aboveHow);
        above = 0n;
        if (!PC.allHold(layer.when, this.facts)) {
          const only = layer.when.map((c) => PC.describe(policy, c)).join("，");
          this.say(`【${layer.name}】不适用：仅限${only}`, layer.origin);
          if (layer.allowance == null) shares.push({ name: layer.name, paid: 0n, deductible: 0n });
          else if (!this.figures.has(layer.name)) this.figures.set(layer.name, 0n); // its own name is an output too
          continue;
        }
        this.testsHeld(layer.when);
        if (this.requirements(layer.requirements, `【${layer.name}】`).length) {
          if (layer.allowance == null) shares.push({ name: layer.name, paid: 0n, deductible: 0n });
          else if (!this.figures.has(layer.name)) this.figures.set(layer.name, 0n);
          continue;
        }
        const amounts = new Map([["费用", claim.amount], ["全自费", excluded], ["先行自付", classShare + first],
          ["政策范围内费用", policyRange]]);
        const settler = new PC.LayerSettler(policy, scheme, layer, this.acc, claim, this.facts, this.say.bind(this),
          this.figures, amounts);
        if (layer.allowance != null) {
          const r = settler.allowance();
          if (r === null) return this.refuseWhole(scheme, "缺少计算津贴所需的数值");
          days += r[0]; allowance += r[1]; // every allowance layer adds to 津贴
          continue;
        }
        settler.policyRange = policyRange; // a 年度补助 counts the period's 政策范围内费用
        const outcome = settler.settle(entering);
        if (outcome === null) {
          const why = settler.why;
          return this.refuseWhole(scheme, why ? `${layer.name}无法结算：${why}` : `${layer.name}缺少当年的参考值，无法结算`);
        }
        const [paid, counted] = outcome;
        shares.push({ name: layer.name, paid, deductible: counted });
        base -= paid;
        base -= settler.otherFunds; // what other funds paid (扣除已付) does not reach later layers either
        above = settler.above; aboveHow = settler.aboveHow;
      }
      const fund = shares.length ? shares[0].paid : 0n;
      const total = shares.reduce((s, x) => s + x.paid, 0n);
      const personal = claim.amount - total - this.otherPaid;
      if (personal < 0n) {
        return this.refuseWhole(scheme, `${PC.OTHER_PAID} ${Y(this.otherPaid)} 元与本政策支付 ${Y(total)} 元合计超过本次费用 ${Y(claim.amount)} 元`);
      }
      if (shares.length > 1) {
        const parts = shares.map((s) => `${s.name} ${Y(s.paid)} 元`).join("，");
        this.say(`${parts}，基金合计 ${Y(total)} 元，个人自付 ${Y(personal)} 元`);
      } else this.say(`统筹支付 ${Y(fund)} 元，个人自付 ${Y(personal)} 元`);
      if (days) this.say(`津贴 ${Y(allowance)} 元（${days} 天）`);
      PC.explainPersonal(scheme, this.facts, claim.amount, total, this.say.bind(this));
      if (PC.paidFields(scheme).length) this.figures.set(PC.OTHER_PAID, this.otherPaid);
      const deductible = shares.length ? shares[0].deductible : 0n;
      const parts = { "起付线": deductible, "乙类先行自付": classShare, "先行自付": first, "全自费": excluded, "个人自付": personal };
      parts["政策范围内个人自付"] = personal > excluded ? personal - excluded : 0n; // 自付 without 全自费 (自费)
      const account = this.account(scheme, parts, personal);
      return this.result({ scheme: scheme.name, excluded, first_paid: classShare + first, policy_range: policyRange,
        deductible, fund, personal, layers: shares, allowance_days: days, allowance, account,
        figures: [...this.figures], other_paid: this.otherPaid });
    }

    /** layer_base: what the previous layer left, or only the spending its cap cut off. */
    layerBase(layer, left, above, how = "") {
      if (!layer.above_cap) return left;
      const entering = left < above ? left : above;
      this.say(`【${layer.name}】只计上一层封顶线以上部分：上一层因封顶线未支付的费用 ${Y(entering)} 元` + (how ? `（${how}）` : ""), layer.origin);
      return entering;
    }

    account(scheme, parts, personal) {
      const acc = scheme.account;
      if (acc == null) return 0n;
      const period = PC.periodKey(scheme.period, this.claim, this.facts);
      const balanceKey = ["account", "balance"], opened = ["account", "opened"];
      if (!this.acc.get(opened)) {
        this.acc.set(opened, 1n);
        const b = this.facts.get("账户余额");
        this.acc.set(balanceKey, b ? Frac.of(b).trunc() : 0n);
        this.acc.set(["account", "opened in"], period);
      }
      if (acc.allocation != null) {
        const lastKey = ["account", "allocated", scheme.name];
        const last = this.acc.has(lastKey) ? this.acc.get(lastKey) : this.acc.get(["account", "opened in"]);
        const cell = PC.tableLookup(acc.allocation, this.facts);
        if (period > last && cell !== null) {
          this.acc.add(balanceKey, cell.value.v.n * (period - last));
          this.say(`个人账户年度划入 ${show(cell.value)}${PC.label(cell)}`, cell.origin);
        }
        this.acc.set(lastKey, period > last ? period : last);
      }
      let due;
      if (acc.parts.includes("个人自付")) due = personal;
      else {
        const sum = acc.parts.reduce((s, p) => s + parts[p], 0n);
        due = personal < sum ? personal : sum;
      }
      const balance = this.acc.get(balanceKey);
      const paid = balance < due ? balance : due;
      this.acc.set(balanceKey, balance - paid);
      this.figures.set("个人账户余额", balance - paid);
      this.say(`个人账户支付${acc.parts.join("、")}共 ${Y(paid)} 元（余额 ${Y(balance)} 元 → ${Y(balance - paid)} 元），现金支付 ${Y(personal - paid)} 元`, acc.origin);
      return paid;
    }

    /** The date that picks versions for this claim (版本 按 出院日期), else the claim's date. */
    versionDay() { return this.scheme ? PC.versionDay(this.scheme, this.facts, this.claim.date) : this.claim.date; }

    requirements(reqs, where) {
      const optional = new Set(this.policy.fields.filter((f) => f.optional).map((f) => f.name));
      const reasons = [];
      for (const req of reqs) {
        if (!PC.inForce(req.start, req.end, this.versionDay())) continue;
        const facts = new Map(this.facts);
        facts.set("日期", this.claim.date);
        facts.set("费用", this.claim.amount);
        const [reason, cell] = PC.checkRequirement(req, facts, optional);
        if (cell !== null) this.say(`适用标准：${PC.cellLabel(cell)} ${standard(cell.value)}`, cell.origin);
        if (reason) {
          this.say(`${where}不符合条件：${reason}，${where ? "本层不支付" : "不予支付"}`, req.origin);
          reasons.push(reason);
        }
      }
      return reasons;
    }

    placeCatalogue(scheme) {
      const place = this.facts.get("就医地");
      if (!place || place === this.policy.region) return scheme.catalogue;
      throw new PC.Unsupported(`按其他地区（就医地“${place}”）的目录结算`);
    }

    catalogue(cat) {
      const items = this.claim.items || [];
      if (!items.length) return [0n, 0n];
      const excludedNames = new Map(cat.exclusions.map((e) => [e.name, e]));
      const shares = new Map(cat.shares.map((s) => [s.cls, s]));
      let excluded = 0n, classShare = 0n;
      for (const item of items) {
        if (excludedNames.has(item.name)) {
          excluded += item.amount;
          this.say(`明细“${item.name}” ${Y(item.amount)} 元属不予报销项目，全自费`, excludedNames.get(item.name).origin);
        } else if (cat.out_of_range.includes(item.cls)) {
          excluded += item.amount;
          this.say(`明细“${item.name}”（${item.cls}） ${Y(item.amount)} 元不在目录内，全自费`);
        } else if (shares.has(item.cls)) {
          const rule = shares.get(item.cls);
          const part = roundFen(rule.share.v.mul(item.amount), this.policy.rounding);
          classShare += part;
          this.say(`明细“${item.name}”（${item.cls}） ${Y(item.amount)} 元 × 先行自付 ${show(rule.share)} = ${Y(part)} 元由个人先行自付`, rule.origin);
        }
      }
      this.say(`总费用 ${Y(this.claim.amount)} 元，全自费 ${Y(excluded)} 元，乙类先行自付 ${Y(classShare)} 元`);
      return [excluded, classShare];
    }

    firstSelfPay(scheme, amount) {
      const rule = scheme.first_pays.find((r) => PC.applies(r, this.facts, this.versionDay()));
      if (!rule) return 0n;
      const index = scheme.first_pays.findIndex((r) => sameNode(r, rule));
      let share = rule.share;
      const who = PC.who(rule);
      if (rule.counts.length) {
        const period = PC.periodKey(scheme.period, this.claim, this.facts);
        const counter = [scheme.name, "first_pay", index, period];
        this.acc.add(counter, 1n);
        const n = this.acc.get(counter);
        const counted = PC.countValue(rule.counts, Number(n));
        share = counted ? counted.value : { unit: "ratio", v: new Frac(0n) };
        this.say(`${who}：本年第 ${n} 次，先行自付比例 ${show(share)}`, counted ? counted.origin : rule.origin);
      }
      const first = roundFen(share.v.mul(amount), this.policy.rounding);
      this.say(`${who}：个人先行自付 ${Y(amount)} 元 × ${show(share)} = ${Y(first)} 元，其余 ${Y(amount - first)} 元按规定报销`, rule.origin);
      for (const [field, value] of rule.overrides) {
        this.say(`其余部分按${value}政策结算`, rule.origin);
        this.facts.set(field, value);
      }
      return first;
    }
  }

  /** A claim the calculator cannot settle: refused with the reason, and the whole cost left to the person. */
  function unsupported(claim, err) {
    const text = err.message;
    return { claim, scheme: null, cost: claim.amount, excluded: 0n, first_paid: 0n, policy_range: claim.amount,
      deductible: 0n, fund: 0n, personal: claim.amount, layers: [], refused: [text], unsupported: true,
      trace: [{ text: `${text}，无法估算本次就诊`, origin: null }], allowance_days: 0n, allowance: 0n, account: 0n };
  }

  /** settle: one person's claims in date order (ties keep input order); results in input order. */
  function settle(policy, personFacts, claims, opening = null) {
    const acc = new PC.Acc();
    const firstDay = claims.reduce((d, c) => (d === null || c.date.cmp(d) < 0 ? c.date : d), null);
    for (const [k, amount] of PC.openingBalances(policy, opening, firstDay)) acc.add(k, amount); // 已累计
    const base = defaults(policy);
    const order = claims.map((_, i) => i).sort((a, b) => claims[a].date.cmp(claims[b].date) || a - b);
    const results = new Array(claims.length);
    let opened = !!(opening && opening.balances && opening.balances.length && firstDay);
    for (const i of order) {
      const claim = { ...claims[i], index: i };
      const facts = new Map([...base, ...personFacts, ...claim.facts]);
      try {
        const settler = new ClaimSettler(policy, acc, claim, facts);
        if (opened) { // the first claim says what the settlement starts from (eval/settle.py settle_each)
          const carried = opening.balances.map(([n, v]) => `${n} ${Y(v)} 元`).join("、");
          settler.say(`年初至今已累计（截至 ${opening.date || firstDay}）：${carried}`);
          opened = false;
        }
        results[i] = settler.run();
      } catch (e) {
        if (!(e instanceof PC.Unsupported)) throw e;
        results[i] = unsupported(claim, e);
      }
    }
    return results;
  }

  Object.assign(PC, { settle, render, defaults });
})(typeof globalThis !== "undefined" ? globalThis : this);
