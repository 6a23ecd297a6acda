// The installed VSIX in a real VS Code: the harness loads the folder that
// `code-server --install-extension netspec.vsix` created, so this suite checks what a user
// downloads. Opening a .netspec file activates the extension, the language server from the
// package publishes diagnostics, the commands are registered, and the small examples ship.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

async function waitFor(what, probe, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
}

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('netspec.netspec');
  assert.ok(ext, 'netspec.netspec is not loaded');
  assert.match(ext.extensionPath, /netspec\.netspec-\d+\.\d+\.\d+$/, `not the installed folder: ${ext.extensionPath}`);
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const doc = await vscode.workspace.openTextDocument(path.join(folder, 'shape_error.netspec'));
  await vscode.window.showTextDocument(doc);
  await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));
  const diags = await waitFor('diagnostics from the packaged server', () => {
    const d = vscode.languages.getDiagnostics(doc.uri);
    return d.length > 0 ? d : undefined;
  });
  console.log(`vsix: active from ${ext.extensionPath}; ${diags.length} diagnostic(s), first: ${diags[0].message.split('\n')[0]}`);
  const all = await vscode.commands.getCommands(true);
  for (const c of ['netspec.train', 'netspec.stop', 'netspec.showSummary', 'netspec.openExample', 'netspec.showTrainingPanel', 'netspec.export']) {
    assert.ok(all.includes(c), `command ${c} is not registered`);
  }
  assert.equal(typeof ext.exports.lastRun, 'function', 'the API is exported');
  assert.ok(fs.existsSync(path.join(ext.extensionPath, 'examples', 'iris', 'iris.netspec')), 'the iris example is not shipped');
  assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'examples', 'mnist')), 'the mnist example (1.6 MB of data) was shipped');
  console.log('vsix: all checks passed');
};
