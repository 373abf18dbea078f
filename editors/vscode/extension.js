// The VS Code side of policylang: starts `policylang lsp` (or `<interpreter> -m policylang.lsp`) over stdio
// and lets the language server do the rest (diagnostics, hover, navigation, completion, formatting,
// quick fixes, outline and the 运行测试 lens).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const interpreter = vscode.workspace.getConfiguration("policylang").get("interpreter");
  const run = interpreter
    ? { command: interpreter, args: ["-m", "policylang.lsp"], transport: TransportKind.stdio }
    : { command: "policylang", args: ["lsp"], transport: TransportKind.stdio };
  return { run, debug: run };
}

async function start() {
  client = new LanguageClient("policylang", "Policy 语言服务器", serverOptions(), {
    documentSelector: [{ scheme: "file", language: "policy" }, { scheme: "untitled", language: "policy" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.policy") },
  });
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `无法启动 policylang 语言服务器：${err.message}。请在设置 policylang.interpreter 中填写装有 policylang 的 Python。` +
        " (Could not start the policylang language server; set policylang.interpreter.)"
    );
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("policylang.restartServer", async () => {
      if (client) await client.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("policylang.interpreter")) {
        if (client) await client.stop();
        await start();
      }
    })
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
