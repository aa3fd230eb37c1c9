// The bpc extension: starts `bpc lsp` for .bp files and hands it to VS Code.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("bpc").get("path", "bpc");
  // TransportKind.stdio also passes `--stdio`, which `bpc lsp` accepts.
  const serverOptions = { command, args: ["lsp"], transport: TransportKind.stdio };
  const watcher = vscode.workspace.createFileSystemWatcher("**/{*.bp,bpc.toml,pyproject.toml}");
  context.subscriptions.push(watcher);
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "bp" },
      { scheme: "untitled", language: "bp" },
    ],
    // included files and settings changed on disk: the server checks open files again
    synchronize: { fileEvents: watcher },
  };
  client = new LanguageClient("bpc", "bpc language server", serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `bpc: cannot start \`${command} lsp\` (${error.message}). ` +
        "Install bpc with its language server, or set bpc.path.",
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
