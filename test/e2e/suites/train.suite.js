// Training as a user meets it in a real VS Code: open the iris example, run "Netspec: Train
// Model" (the command the ▶ Train code lens runs), and wait for the run to end. The command
// resolves with the run's outcome, so the suite checks the final metrics, that the weights
// file beside the model is a valid safetensors file, that the extension's API remembers the
// run, and that Show Model opens the model view. With `netspec.backend: auto` the
// run trains in the extension host's training process on the CPU here (lavapipe and the
// webview's SwiftShader are software adapters, which `auto` refuses), and the panel receives
// its points; then `host-webgpu` (lavapipe in the extension host) and `webgpu` (SwiftShader
// in the panel) train it again, each run is recorded in netspec-runs/, and the time from
// Train to the first chart point is printed per device. Plain CommonJS in the extension host.
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

  const trainWith = async (backend) => {
    await vscode.workspace.getConfiguration('netspec').update('backend', backend, vscode.ConfigurationTarget.Global);
    const started = Date.now();
    const o = await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(o, `Train Model (${backend}) resolved without a run (it refused; see the log)`);
    const b = o.snapshot.backend;
    console.log(`train: [${backend}] status ${o.snapshot.status}, ${b ? `${b.name} (${b.detail}) in ${b.place ?? 'panel'}` : 'unknown backend'}, ${o.snapshot.epochs.length} epochs in ${seconds.toFixed(1)} s; first chart point ${o.firstPointMs} ms after Train`);
    if (b && b.why) console.log(`train: [${backend}] why: ${b.why}`);
    assert.equal(o.snapshot.status, 'finished', `the ${backend} run ended ${o.snapshot.status}: ${JSON.stringify(o.snapshot.error)}`);
    return o;
  };

  const outcome = await trainWith('auto');
  const s = outcome.snapshot;
  // auto refuses software adapters: the extension host's CPU trains, and the panel draws.
  assert.equal(s.backend.place, 'host', `auto trained in ${s.backend.place}: ${JSON.stringify(s.backend)}`);
  assert.equal(s.backend.name, 'cpu');
  assert.match(s.backend.why, /the extension host: .*; the panel \(webview\): .*software renderer/);
  assert.ok(outcome.panelSteps > 0, 'the panel received no chart points from the extension host');
  console.log(`train: the panel received ${outcome.panelSteps} step messages from the extension host`);
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

  // The same model on Dawn's adapter in the extension host, then on the panel's WebGPU.
  const lavapipe = await trainWith('host-webgpu');
  assert.deepEqual([lavapipe.snapshot.backend.name, lavapipe.snapshot.backend.place], ['webgpu', 'host']);
  const swiftshader = await trainWith('webgpu');
  assert.deepEqual([swiftshader.snapshot.backend.name, swiftshader.snapshot.backend.place], ['webgpu', 'panel']);
  await vscode.workspace.getConfiguration('netspec').update('backend', undefined, vscode.ConfigurationTarget.Global);
  console.log('netspec-e2e:screenshot runs');
  await new Promise((r) => setTimeout(r, 1500));

  // Every run is recorded beside the model, each in its own folder, none erasing another.
  const runsDir = path.join(folder, 'netspec-runs', 'Iris');
  const runs = fs.readdirSync(runsDir).map((d) => JSON.parse(fs.readFileSync(path.join(runsDir, d, 'run.json'), 'utf8')));
  assert.equal(runs.length, 3, `runs recorded: ${runs.map((r) => r.id).join(', ')}`);
  assert.ok(runs.every((r) => r.status === 'finished' && r.epochsDone > 0 && r.best), JSON.stringify(runs.map((r) => [r.status, r.epochsDone])));
  assert.deepEqual(runs.map((r) => `${r.device.name}@${r.device.place}`).sort(), ['cpu@host', 'webgpu@host', 'webgpu@panel']);
  assert.equal(outcome.runFolder && path.dirname(outcome.runFolder), runsDir);

  // Show Model opens the model view, a webview (model_view.suite.js checks it in detail).
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('netspec.showSummary');
  await waitFor('the model view', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('netspec.modelView')),
  );
  console.log('train: all checks passed');
};
