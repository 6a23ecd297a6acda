// The model view as a user meets it in a real VS Code: open the transformer example, run
// "Netspec: Show Model (Graph and Summary)", and check that a webview (not a document) opens
// beside it; the harness then takes a screenshot of the drawn graph. Then an edit that
// breaks the model must leave the view open (it redraws from the language server), and a
// second screenshot shows the error on its node. Plain CommonJS in the extension host.
const assert = require('node:assert/strict');
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

/** The open model view tab, if any (webview view types carry a prefix of VS Code's). */
function modelViewTab() {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('netspec.modelView')) return tab;
    }
  }
  return undefined;
}

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const doc = await vscode.workspace.openTextDocument(path.join(folder, 'mnist_transformer.netspec'));
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension('netspec.netspec');
  assert.ok(ext, 'the extension is not loaded');
  await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));
  const untitled = vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;

  await vscode.commands.executeCommand('netspec.showSummary');
  const tab = await waitFor('the model view tab', () => modelViewTab());
  assert.equal(tab.label, 'Model: mnist_transformer.netspec');
  assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, untitled, 'no untitled document was opened');
  await new Promise((r) => setTimeout(r, 3000));
  console.log('netspec-e2e:screenshot graph');
  await new Promise((r) => setTimeout(r, 1500));

  const edit = new vscode.WorkspaceEdit();
  const at = doc.getText().indexOf('GlobalAvgPool1D()');
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'GlobalAvgPool1D()'.length)), 'Conv2D(8, 3)');
  assert.ok(await vscode.workspace.applyEdit(edit));
  await waitFor('the error diagnostic', () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error) ? true : undefined));
  assert.ok(modelViewTab(), 'the view stays open across edits');
  await new Promise((r) => setTimeout(r, 2000));
  console.log('netspec-e2e:screenshot edited');
  await new Promise((r) => setTimeout(r, 1500));
  console.log('model_view: all checks passed');
};
