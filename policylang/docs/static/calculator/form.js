/* policylang calculator — the form on a region page: the citizen's facts and visits in, each visit's figures,
 * the step-by-step explanation and the year's totals out. Reads the policy, the form's fields and the examples
 * from #pc-root's data-policy, data-spec and data-examples (JSON the page carries as data, not as script text) and settles with PolicyCalc.settle: no server, no network. */
(function (root) {
  "use strict";
  const PC = root.PolicyCalc;
  const doc = root.document;
  if (!doc) return;

  const NUMBER_KINDS = ["天数", "月数", "年数", "次数", "年龄"];

  function el(tag, attrs = {}, ...children) {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  /** 元 text → BigInt 分, exact (at most two decimals); null if empty, NaN-like error if invalid. */
  function parseYuan(text) {
    const s = String(text).trim().replace(/[,，\s]/g, "").replace(/元$/, "");
    if (!s) return null;
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) throw new Error(`“${text}”不是有效金额（最多两位小数）`);
    return BigInt(m[1]) * 100n + BigInt((m[2] || "").padEnd(2, "0"));
  }
  function parseNumber(text) {
    const s = String(text).trim();
    if (!s) return null;
    const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
    if (!m) throw new Error(`“${text}”不是有效的数`);
    const dec = m[2] || "";
    return new PC.Frac(BigInt(m[1] + dec), 10n ** BigInt(dec.length));
  }
  /** A field's input text → a fact, as the claim file reader (inputs/factvalues.py) would read it. */
  function readFact(spec, text) {
    if (spec.kind === "enum" || spec.kind === "文字" || spec.kind === "是否") return text || null;
    if (spec.kind === "金额") return parseYuan(text);
    if (spec.kind === "日期") return text ? PC.PDate.parse(text) : null;
    const n = parseNumber(text);
    return n === null ? null : spec.kind === "年数" ? n.mul(12n) : n;
  }
  /** A tagged example fact → the input's text. */
  function factText(spec, v) {
    if (typeof v === "string") return v;
    if ("int" in v) return spec.kind === "金额" ? PC.fmtPlain(BigInt(v.int)) : v.int;
    if ("date" in v) return v.date;
    let f = PC.Frac.parse(v.frac);
    if (spec.kind === "年数") f = f.div(12n);
    return f.whole ? String(f.n) : (Number(f.n) / Number(f.d)).toString();
  }

  let uid = 0;
  function field(spec, prefix) {
    const id = `pc-${prefix}-${++uid}`;
    let input;
    if (spec.kind === "enum") {
      input = el("select", { id, name: spec.name, "data-field": spec.name });
      if (spec.default == null) input.append(el("option", { value: "", text: "（请选择）" }));
      for (const v of spec.values) input.append(el("option", { value: v, text: v, selected: v === spec.default }));
    } else if (spec.kind === "日期") {
      input = el("input", { id, type: "date", name: spec.name, "data-field": spec.name });
    } else {
      const numeric = spec.kind === "金额" || NUMBER_KINDS.includes(spec.kind);
      input = el("input", { id, type: "text", name: spec.name, "data-field": spec.name,
        inputmode: numeric ? "decimal" : null, autocomplete: "off" });
    }
    const unit = spec.unit ? `（${spec.unit}）` : "";
    const hint = spec.optional ? "，可不填" : "";
    return el("div", { class: "pc-field" }, el("label", { for: id, text: `${spec.name}${unit}${hint}` }), input);
  }

  function readFields(container, specs) {
    const facts = new Map();
    for (const spec of specs) {
      const input = container.querySelector(`[data-field="${CSS.escape(spec.name)}"]`);
      const value = readFact(spec, input.value);
      if (value !== null) facts.set(spec.name, value);
    }
    return facts;
  }

  function build(host) {
    const policy = PC.loadPolicy(JSON.parse(host.dataset.policy));
    const spec = JSON.parse(host.dataset.spec);
    const examples = JSON.parse(host.dataset.examples);

    const note = el("p", { class: "pc-note", text: `本计算器在您的浏览器中按${spec.region}政策脚本的规则与假设估算报销金额，` +
      "结果仅供参考，以医保经办机构的实际结算为准。输入的信息不会离开本页。" });
    const form = el("form", { id: "pc-form", novalidate: true });
    const who = el("fieldset", {}, el("legend", { text: "参保人" }));
    for (const s of spec.person) who.append(field(s, "p"));
    const visits = el("div", { id: "pc-visits" });
    const add = el("button", { type: "button", id: "pc-add", text: "添加一次就诊" });
    const go = el("button", { type: "submit", id: "pc-go", text: "计算" });
    const result = el("div", { id: "pc-result", "aria-live": "polite" });
    form.append(who, visits, add, go);

    let exampleBox = null;
    if (examples.length) {
      const pick = el("select", { id: "pc-example" });
      examples.forEach((ex, i) => pick.append(el("option", { value: String(i), text: ex.title })));
      const use = el("button", { type: "button", id: "pc-use-example", text: "用这个算例试试" });
      use.addEventListener("click", () => prefill(examples[+pick.value]));
      exampleBox = el("div", { class: "pc-field" }, el("label", { for: "pc-example", text: "本页的算例" }), pick, use);
    }

    function addVisit(values) {
      const n = visits.children.length + 1;
      const box = el("fieldset", { class: "pc-visit" }, el("legend", { text: `第 ${n} 次就诊` }));
      box.append(field({ name: "日期", kind: "日期" }, "v"), field({ name: "费用", kind: "金额", unit: "元" }, "v"));
      for (const s of spec.visit) box.append(field(s, "v"));
      if (spec.items) box.append(itemsBox(values && values.items));
      const del = el("button", { type: "button", class: "pc-remove", text: "删除这次就诊" });
      del.addEventListener("click", () => { box.remove(); renumber(); });
      box.append(el("div", {}, del));
      visits.append(box);
      if (values) for (const [k, v] of Object.entries(values)) {
        if (k === "items") continue;
        const input = box.querySelector(`[data-field="${CSS.escape(k)}"]`);
        if (input) input.value = v;
      }
      return box;
    }
    /** 明细 (optional): each billed item's name, catalogue class and amount; 费用 may then be left empty. */
    function itemsBox(items) {
      const box = el("div", { class: "pc-items" });
      const list = el("div", { class: "pc-item-list" });
      const listId = `pc-names-${++uid}`;
      const names = el("datalist", { id: listId });
      for (const n of spec.items.names) names.append(el("option", { value: n }));
      function addItem(item) {
        const row = el("div", { class: "pc-item" });
        const name = field({ name: "名称", kind: "文字" }, "i"), cls = field({ name: "类别", kind: "enum",
          values: spec.items.classes, default: "甲类" }, "i"), amount = field({ name: "金额", kind: "金额", unit: "元" }, "i");
        name.querySelector("input").setAttribute("list", listId);
        const del = el("button", { type: "button", class: "pc-remove-item", text: "删除明细" });
        del.addEventListener("click", () => row.remove());
        row.append(name, cls, amount, del);
        if (item) {
          row.querySelector('[data-field="名称"]').value = item.name;
          row.querySelector('[data-field="类别"]').value = item.cls;
          row.querySelector('[data-field="金额"]').value = PC.fmtPlain(BigInt(item.amount));
        }
        list.append(row);
        return row;
      }
      const add = el("button", { type: "button", class: "pc-add-item", text: "添加费用明细（可选）" });
      add.addEventListener("click", () => addItem().querySelector("input").focus());
      box.append(names, list, add);
      for (const item of items || []) addItem(item);
      return box;
    }
    function readItems(box) {
      return [...box.querySelectorAll(".pc-item")].map((row) => {
        const name = row.querySelector('[data-field="名称"]').value.trim();
        const amount = parseYuan(row.querySelector('[data-field="金额"]').value);
        if (!name || amount === null) throw new Error("每条明细都要填写名称和金额");
        return { name, cls: row.querySelector('[data-field="类别"]').value, amount };
      });
    }

    function renumber() {
      [...visits.children].forEach((b, i) => { b.querySelector("legend").textContent = `第 ${i + 1} 次就诊`; });
    }

    function prefill(ex) {
      const specs = new Map([...spec.person, ...spec.visit].map((s) => [s.name, s]));
      for (const s of spec.person) {
        const input = who.querySelector(`[data-field="${CSS.escape(s.name)}"]`);
        const v = ex.facts[s.name];
        input.value = v == null ? (s.default || "") : factText(s, v);
      }
      visits.replaceChildren();
      for (const c of ex.claims) {
        const values = { "日期": c.date, "费用": PC.fmtPlain(BigInt(c.amount)), items: c.items };
        for (const [k, v] of Object.entries({ ...ex.facts, ...c.facts })) {
          if (specs.has(k) && spec.visit.includes(specs.get(k))) values[k] = factText(specs.get(k), v);
        }
        addVisit(values);
      }
      calculate();
    }

    function calculate() {
      result.replaceChildren();
      let person, claims;
      try {
        person = readFields(who, spec.person);
        claims = [...visits.children].map((box, i) => {
          const facts = readFields(box, spec.visit);
          const day = box.querySelector('[data-field="日期"]').value;
          const items = readItems(box);
          const total = items.reduce((s, it) => s + it.amount, 0n);
          let cost = parseYuan(box.querySelector('[data-field="费用"]').value);
          if (cost === null && items.length) cost = total;
          if (!day || cost === null) throw new Error(`第 ${i + 1} 次就诊：请填写日期和费用`);
          if (items.length && cost !== total) throw new Error(`第 ${i + 1} 次就诊：费用与明细合计（${PC.fmtYuan(total)} 元）不符`);
          return { date: PC.PDate.parse(day), amount: cost, facts, items };
        });
        const missing = spec.person.filter((s) => (s.name === "险种" || s.name === "人员类别") && !person.has(s.name)).map((s) => s.name);
        if (missing.length) throw new Error(`请选择${missing.join("、")}`);
        if (!claims.length) throw new Error("请至少添加一次就诊");
      } catch (e) {
        result.append(el("p", { class: "pc-error", role: "alert", text: e.message }));
        return;
      }
      show(PC.settle(policy, person, claims));
    }

    /** without_gloss (docs/examples.py): a citizen reads the Chinese only, not the English gloss "(no …)". */
    const withoutGloss = (text) => text.replace(/\s*\((?=[^()]*[a-z]{2})[^()（）]*\)/g, "");

    function show(results) {
      const Y = PC.fmtYuan;
      const head = el("tr", {}, ...["就诊", "方案", "费用", "基金支付", "个人自付"].map((t) => el("th", { scope: "col", text: t })));
      const body = el("tbody");
      let fund = 0n, personal = 0n, cost = 0n;
      results.forEach((r, i) => {
        const paid = r.layers.reduce((s, l) => s + l.paid, 0n);
        fund += paid; personal += r.personal; cost += r.cost;
        body.append(el("tr", { class: "pc-row", "data-fund": PC.fmtPlain(r.fund), "data-total-fund": PC.fmtPlain(paid),
          "data-personal": PC.fmtPlain(r.personal) },
        el("td", { text: `第 ${i + 1} 次 ${r.claim.date}` }), el("td", { text: r.scheme || "—" }),
        el("td", { text: Y(r.cost) }), el("td", { text: Y(paid) }), el("td", { text: Y(r.personal) })));
      });
      const share = cost ? Number((fund * 1000n) / cost) / 10 : 0;
      const total = el("tr", { id: "pc-total", "data-fund": PC.fmtPlain(fund), "data-personal": PC.fmtPlain(personal) },
        el("th", { scope: "row", text: "全年合计" }), el("td"), el("td", { text: Y(cost) }), el("td", { text: Y(fund) }),
        el("td", { text: Y(personal) }));
      body.append(total);
      const table = el("table", {}, el("caption", { text: "估算结果（元）" }), el("thead", {}, head), body);
      result.append(el("p", { id: "pc-summary", text: `全年费用 ${Y(cost)} 元，医保基金约支付 ${Y(fund)} 元（约 ${share}%），个人自付 ${Y(personal)} 元。` }),
        el("div", { class: "pc-table-wrap" }, table));
      results.forEach((r, i) => {
        const steps = el("ol", { class: "pc-steps" });
        for (const line of r.trace) steps.append(el("li", { text: withoutGloss(line.text) }));
        const title = `第 ${i + 1} 次就诊（${r.claim.date}）的计算过程` +
          (r.refused.length ? `：不予支付（${r.refused.map(withoutGloss).join("；")}）` : "");
        result.append(el("details", { class: "pc-detail", open: results.length === 1 }, el("summary", { text: title }), steps));
      });
    }

    add.addEventListener("click", () => { const box = addVisit(); box.querySelector("input, select").focus(); });
    form.addEventListener("submit", (e) => { e.preventDefault(); calculate(); });
    host.append(note);
    if (exampleBox) host.append(exampleBox);
    host.append(form, result);
    addVisit();
    return { prefill, calculate, addVisit, examples };
  }

  function start() {
    const host = doc.getElementById("pc-root");
    if (!host || host.dataset.ready) return;
    host.dataset.ready = "1";
    try { PC.form = build(host); } catch (e) {
      host.append(el("p", { class: "pc-error", role: "alert", text: `计算器无法启动：${e.message}` }));
    }
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start); else start();
})(typeof globalThis !== "undefined" ? globalThis : this);
