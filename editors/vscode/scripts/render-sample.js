// Renders a .policy file to HTML with the extension's own TextMate grammar (vscode-textmate, the tokenizer
// VS Code uses), coloured like VS Code's Light+ theme. Used for the README screenshot:
//   node scripts/render-sample.js media/sample.policy > media/sample.html
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

// Light+ colours for the scopes the grammar emits; the most specific prefix wins.
const COLOURS = [
  ["comment", "#008000"],
  ["string", "#a31515"],
  ["constant.numeric", "#098658"],
  ["constant.other.date", "#098658"],
  ["constant.language", "#0000ff"],
  ["keyword.other.unit", "#0070c1"],
  ["keyword.operator", "#000000"],
  ["keyword.control", "#af00db"],
  ["storage.type", "#0000ff"],
  ["entity.name", "#267f99"],
  ["variable", "#001080"],
];

function colour(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const hit = COLOURS.find(([prefix]) => scopes[i].startsWith(prefix));
    if (hit) return hit[1];
  }
  return "#000000";
}

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

async function main() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => {
      const file = path.join(__dirname, "..", "syntaxes", "policy.tmLanguage.json");
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  const grammar = await registry.loadGrammar("source.policy");
  const lines = fs.readFileSync(process.argv[2], "utf8").replace(/\n$/, "").split("\n");
  let state = vsctm.INITIAL;
  const html = lines.map((line, n) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const spans = result.tokens.map((t) => {
      const text = escape(line.substring(t.startIndex, t.endIndex));
      return `<span style="color:${colour(t.scopes)}">${text}</span>`;
    });
    return `<div class="line"><span class="no">${n + 1}</span>${spans.join("")}</div>`;
  });
  process.stdout.write(`<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:#fff}
.editor{font:15px/22px "Noto Sans Mono CJK SC","WenQuanYi Zen Hei Mono","Noto Sans CJK SC",monospace;
padding:10px 0;white-space:pre}
.no{display:inline-block;width:3em;margin-right:1.2em;text-align:right;color:#237893}
.caption{font:12px sans-serif;color:#555;padding:4px 12px;border-top:1px solid #ddd}
</style><div class="editor">${html.join("")}</div>
<div class="caption">policylang TextMate grammar · vscode-textmate tokens · Light+ colours</div>
`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
