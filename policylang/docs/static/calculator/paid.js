/* policylang calculator — what other funds already paid (扣除已付), the date that picks a version (版本 按) and the
 * year-end top-up on the period's totals (年度补助): eval/paid.py and eval/topup.py, same lines, same 分. */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const { Frac, roundFen, fmtYuan: Y, show, showAmount } = PC;
  const max = (a, b) => (a > b ? a : b);

  // ---- 扣除已付 (other funds' payments) and 版本 按 (the date that picks versions): eval/paid.py ----------
  const OTHER_PAID = "其他基金已支付";
  const fieldAmount = (facts, name) => { const v = facts.get(name); return typeof v === "bigint" ? v : 0n; };
  function versionDay(scheme, facts, day) {
    const chosen = scheme.version_by ? facts.get(scheme.version_by) : null;
    return chosen instanceof PC.PDate ? chosen : day;
  }
  function paidFields(scheme) {
    const out = [];
    for (const la of scheme.layers) if (la.already_paid) for (const f of la.already_paid.fields) if (!out.includes(f)) out.push(f);
    return out;
  }
  const otherPaid = (scheme, facts) => paidFields(scheme).reduce((sum, n) => sum + fieldAmount(facts, n), 0n);
  function deductPaid(layer, facts, base, say) {
    const paid = layer.already_paid;
    const amounts = paid.fields.map((n) => [n, fieldAmount(facts, n)]);
    const total = amounts.reduce((sum, [, a]) => sum + a, 0n);
    const after = max(0n, base - total);
    const each = amounts.map(([n, a]) => `${n} ${Y(a)} 元`).join("、");
    say(`扣除其他基金已支付：${each}，共 ${Y(total)} 元；本层计算基数 ${Y(base)} 元 − ${Y(total)} 元 = ${Y(after)} 元`
      + (total > base ? "（不低于 0）" : ""), paid.origin);
    return [after, base - after];
  }
  function tooMuch(scheme, facts, cost) {
    const total = otherPaid(scheme, facts);
    return total <= cost ? null : `${OTHER_PAID} ${Y(total)} 元超过本次费用 ${Y(cost)} 元`;
  }
  function explainPersonal(scheme, facts, cost, fund, say) {
    const fields = paidFields(scheme);
    if (!fields.length) return;
    const total = otherPaid(scheme, facts);
    const each = fields.map((n) => `${n} ${Y(fieldAmount(facts, n))} 元`).join("、");
    say(`${OTHER_PAID} ${Y(total)} 元（${each}）不由本政策支付，也不由个人负担：个人自付 = 费用 ${Y(cost)} 元 − 本政策支付 `
      + `${Y(fund)} 元 − ${OTHER_PAID} ${Y(total)} 元 = ${Y(cost - fund - total)} 元`);
  }
  function explainVersion(scheme, facts, day, say) {
    if (!scheme.version_by) return;
    const chosen = facts.get(scheme.version_by);
    if (chosen instanceof PC.PDate) say(`按${scheme.version_by} ${chosen} 适用当时的标准（就诊日期 ${day}）`);
    else say(`未填${scheme.version_by}，按就诊日期 ${day} 适用当时的标准`);
  }

  // ---- 年度补助: increments of F = ratio × max(0, share − threshold × total) over the period (eval/topup.py) ----
  function topUpOwed(t, share, total) {
    const line = t.threshold.v.mul(total);
    const excess = Frac.of(share).sub(line);
    const over = excess.cmp(new Frac(0n)) > 0 ? excess : new Frac(0n);
    return [line, over, over.mul(t.ratio.v)];
  }
  function topUpPay(settler, t, base) {
    const totalNow = t.over === "政策范围内费用" ? settler.policyRange : settler.claim.amount;
    const shareKey = settler.key("topup_share", "年度"), totalKey = settler.key("topup_total", "年度");
    const shareBefore = settler.acc.get(shareKey), totalBefore = settler.acc.get(totalKey);
    const share = shareBefore + base, total = totalBefore + totalNow;
    settler.acc.set(shareKey, share);
    settler.acc.set(totalKey, total);
    const mode = settler.policy.rounding;
    const before = topUpOwed(t, shareBefore, totalBefore)[2];
    const [line, over, after] = topUpOwed(t, share, total);
    const advanced = roundFen(before, mode);
    const paid = roundFen(after, mode) - advanced;
    settler.say(`年度补助按本年累计计算：${t.over}累计 ${Y(total)} 元，进入本层的个人负担累计 ${Y(share)} 元；`
      + `超过${t.over}累计的 ${show(t.threshold)}（${showAmount(line)}）的部分 ${showAmount(over)} × ${show(t.ratio)} = `
      + `${showAmount(after)}，为本年累计应补助`, t.origin);
    if (paid >= 0n) settler.say(`本年此前已补助 ${Y(advanced)} 元，本次补助 ${Y(paid)} 元`, t.origin);
    else settler.say(`本年此前已补助 ${Y(advanced)} 元，多于按本年累计应补助的金额，本次冲减 ${Y(-paid)} 元`, t.origin);
    return paid;
  }
  Object.assign(PC, { OTHER_PAID, versionDay, paidFields, otherPaid, deductPaid, tooMuch, explainPersonal,
    explainVersion, topUpPay });
})(typeof globalThis !== "undefined" ? globalThis : this);
