// The smallest suite: proves that the harness reaches a real VS Code 1.100 extension host
// and that this repository is loaded as the extension under development. It runs inside
// the extension host, so it is plain CommonJS and gets the editor API from require('vscode').
const assert = require('node:assert/strict');
const vscode = require('vscode');

exports.run = async function run() {
  assert.ok(vscode.version.startsWith('1.100'), `expected VS Code 1.100.x, got ${vscode.version}`);
  const ext = vscode.extensions.getExtension('netspec.netspec');
  assert.ok(ext, 'the extension netspec.netspec is not loaded for development');
  console.log(`smoke: VS Code ${vscode.version}, extension at ${ext.extensionPath}`);
};
