// Training as a user meets it in a real VS Code: open the iris example, run "Netspec: Train
// Model" (the command the ▶ Train code lens runs), and wait for the run to end. The command
// resolves with the run's outcome, so the suite checks the final metrics, that the weights
// file beside the model is a valid safetensors file, that the extension's API remembers the
// run, and that Show Model opens the model view. Plain CommonJS in the extension host.
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

/** Parses a safetensors file: 8-byte little-endian header length, then a JSON header. */
function readSafetensorsHeader(file) {
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.length > 8, `${file} is only ${bytes.length} bytes`);
  const n = Number(bytes.readBigUInt64LE(0));
  assert.ok(n > 2 && 8 + n <= bytes.length, `header length ${n} does not fit in ${bytes.length} bytes`);
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  let end = 0;
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(t.dtype, 'F32', `${name} is ${t.dtype}`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    assert.equal(t.data_offsets[1] - t.data_offsets[0], 4 * count, `${name}: offsets do not match its shape`);
    end = Math.max(end, t.data_offsets[1]);
  }
  assert.equal(8 + n + end, bytes.length, 'the data section ends where the file ends');
  return header;
}

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const model = path.join(folder, 'iris.netspec');
  const weights = path.join(folder, 'Iris.safetensors');
  assert.ok(!fs.existsSync(weights), 'the workspace starts without weights');
  const doc = await vscode.workspace.openTextDocument(model);
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension('netspec.netspec');
  assert.ok(ext, 'the extension is not loaded');
  await waitFor('the extension to activate', () => (ext.isActive ? true : undefined));

  // The ▶ Train lens is there and carries the command with {uri, model}.
  const lenses = await waitFor('the code lenses', async () => {
    const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
    return l && l.some((x) => x.command && x.command.command === 'netspec.train') ? l : undefined;
  });
  const lens = lenses.find((x) => x.command && x.command.command === 'netspec.train');
  assert.equal(lens.command.arguments[0].model, 'Iris');

  const started = Date.now();
  const outcome = await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments);
  const seconds = (Date.now() - started) / 1000;
  assert.ok(outcome, 'Train Model resolved without a run (it refused; see the log)');
  const s = outcome.snapshot;
  console.log(`train: status ${s.status}, backend ${s.backend ? `${s.backend.name} (${s.backend.detail})` : 'unknown'}, ${s.epochs.length} epochs in ${seconds.toFixed(1)} s`);
  assert.equal(s.status, 'finished', `the run ended ${s.status}: ${JSON.stringify(s.error)}`);
  assert.ok(s.epochs.length > 0 && s.epochs.length <= 60);
  const last = s.epochs[s.epochs.length - 1].metrics;
  console.log(`train: final metrics ${JSON.stringify(last)}`);
  assert.ok(typeof outcome.firstPointMs === 'number' && outcome.firstPointMs > 0, 'the run never reported a first chart point');
  console.log(`train: first chart point ${outcome.firstPointMs} ms after Train`);
  const accuracy = last.val_accuracy ?? last.accuracy;
  assert.ok(typeof accuracy === 'number' && accuracy >= 0.9, `accuracy ${accuracy} is below 0.9`);

  assert.equal(outcome.weightsPath, weights);
  assert.ok(outcome.weightsWrites >= 1, `no weights were written (${outcome.weightsError})`);
  const header = readSafetensorsHeader(weights);
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  console.log(`train: weights ${fs.statSync(weights).size} bytes, tensors ${names.join(', ')}`);
  assert.ok(names.some((n) => /kernel/.test(n)), `no kernel among ${names.join(', ')}`);
  assert.ok(!fs.readdirSync(folder).some((f) => f.endsWith('.tmp')), 'a temporary weights file was left behind');

  assert.equal(ext.exports.lastRun().snapshot.runId, s.runId, 'the API remembers the run');
  console.log('netspec-e2e:screenshot trained');
  await new Promise((r) => setTimeout(r, 1500));

  // Show Model opens the model view, a webview (model_view.suite.js checks it in detail).
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('netspec.showSummary');
  await waitFor('the model view', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('netspec.modelView')),
  );
  console.log('train: all checks passed');
};
