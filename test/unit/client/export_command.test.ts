// The Export Model command's editor-free parts and the panel's Export button: the formats it
// offers are the engine's, its argument parsing, the questions it asks in order (with a
// scripted UI: which are skipped, what each answer leads to, dismissing any of them), the
// CLI command line and environment
// (ELECTRON_RUN_AS_NODE), reading the CLI's JSON answer or its error, running the real
// bundled CLI (dist/cli.js, built by `npm run build`) in a child process, cancellation
// killing the child, the panel's request-export message (only after a run with weights), and
// the extension side turning it into the command's argument with the run's weights file.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  EXPORT_COMMAND,
  EXPORT_FORMAT_CHOICES,
  defaultExportFolder,
  exportArgv,
  exportEnv,
  parseExportArgs,
  parseExportResult,
  planExport,
  runExportCli,
  type Choice,
  type ExportUi,
} from '../../../client/src/export_plan';
import { PanelChannel, type ExportRunRequest, type WebviewLike } from '../../../client/src/panel_channel';
import { RunSession } from '../../../client/src/run_session';
import { EXPORT_FORMATS } from '../../../engine/src/export/types';
import type { RunSnapshot, ToPanel } from '../../../webview/protocol';
import { exportRequest } from '../../../webview/src/view/header';

const CLI = resolve('dist/cli.js');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-export-cmd-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('Export Model: plan', () => {
  test('the formats offered are the engine\'s, in its order', () => {
    assert.deepEqual(EXPORT_FORMAT_CHOICES.map((c) => c.format), [...EXPORT_FORMATS]);
  });

  test('package.json contributes the command, its palette and editor-title entries', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const cmd = pkg.contributes.commands.find((c: { command: string }) => c.command === EXPORT_COMMAND);
    assert.deepEqual({ title: cmd.title, category: cmd.category }, { title: 'Export Model', category: 'Netspec' });
    assert.ok(pkg.contributes.menus.commandPalette.some((m: { command: string; when: string }) => m.command === EXPORT_COMMAND && m.when === 'editorLangId == netspec'));
    assert.ok(pkg.contributes.menus['editor/title'].some((m: { command: string; when: string }) => m.command === EXPORT_COMMAND && m.when === 'resourceLangId == netspec'));
  });

  test('the argument: the panel\'s {uri, model, weights}, a Uri, a string, or nothing', () => {
    assert.deepEqual(parseExportArgs({ uri: 'file:///w/m.netspec', model: 'M', weights: '/w/M.safetensors', extra: 1 }), { uri: 'file:///w/m.netspec', model: 'M', weights: '/w/M.safetensors' });
    assert.deepEqual(parseExportArgs({ uri: 'file:///w/m.netspec', model: '', format: 'tfjs', out: '/w/o' }), { uri: 'file:///w/m.netspec', format: 'tfjs', out: '/w/o' });
    const uriLike = { scheme: 'file', toString: () => 'file:///w/a.netspec' };
    assert.deepEqual(parseExportArgs(uriLike), { uri: 'file:///w/a.netspec' });
    assert.deepEqual(parseExportArgs({ uri: uriLike, model: 'A' }), { uri: 'file:///w/a.netspec', model: 'A' });
    assert.deepEqual(parseExportArgs('file:///w/b.netspec'), { uri: 'file:///w/b.netspec' });
    assert.deepEqual(parseExportArgs(undefined), {});
    assert.deepEqual(parseExportArgs(42), {});
  });

  test('the command line, the default folder and the environment', () => {
    const base = { cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', model: 'M', format: 'tfjs', out: '/w/M-tfjs' };
    assert.deepEqual(exportArgv({ ...base, weights: '/w/M.safetensors' }), ['/ext/dist/cli.js', 'export', '/w/m.netspec', '--format', 'tfjs', '--model', 'M', '--weights', '/w/M.safetensors', '--out', '/w/M-tfjs', '--json']);
    assert.deepEqual(exportArgv(base), ['/ext/dist/cli.js', 'export', '/w/m.netspec', '--format', 'tfjs', '--model', 'M', '--out', '/w/M-tfjs', '--json']);
    assert.equal(defaultExportFolder('/w/sub/m.netspec', 'Iris', 'keras'), join('/w/sub', 'Iris-keras'));
    const env = exportEnv({ PATH: '/bin', ELECTRON_RUN_AS_NODE: undefined });
    assert.equal(env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(env.PATH, '/bin');
  });

  test('the CLI\'s answer: the JSON report, or the error lines without the file prefix', () => {
    const json = { format: 'tfjs', model: 'M', out: '/w/M-tfjs', trained: true, bytes: 120, files: ['model.json', 'weights.bin'], notes: ['n'] };
    assert.deepEqual(parseExportResult(0, `${JSON.stringify(json)}\n`, ''), { ok: true, report: json });
    assert.deepEqual(parseExportResult(0, 'garbage\n', ''), { ok: false, message: 'the export command printed an unexpected answer: garbage' });
    assert.deepEqual(
      parseExportResult(2, '', "m.netspec:3:1: error: GRU (gru) cannot be exported to tfjs (TensorFlow.js Layers): no\n"),
      { ok: false, message: 'GRU (gru) cannot be exported to tfjs (TensorFlow.js Layers): no' },
    );
    assert.deepEqual(parseExportResult(1, '', 'm.netspec:2:3: error[unknown-layer]: no layer Dense2\n'), { ok: false, message: 'no layer Dense2' });
    assert.deepEqual(parseExportResult(2, '', "netspec export: unknown format 'x'; the formats are onnx\n"), { ok: false, message: "netspec export: unknown format 'x'; the formats are onnx" });
    assert.deepEqual(parseExportResult(null, '', ''), { ok: false, message: 'the export command exited with status unknown' });
  });
});

/** A UI that answers from a script and records the questions. */
function scriptedUi(answers: { models?: string[] | { error: string }; picks?: (string | undefined)[]; file?: string; folder?: string; existing?: string[] }) {
  const asked: string[] = [];
  const picks = [...(answers.picks ?? [])];
  const ui: ExportUi = {
    async models() {
      asked.push('models');
      return answers.models ?? ['M'];
    },
    async pick<T>(items: Choice<T>[], placeHolder: string) {
      asked.push(`${placeHolder} [${items.map((i) => i.label).join(' | ')}]`);
      const label = picks.shift();
      return items.find((i) => i.label === label)?.value;
    },
    async pickWeightsFile(folder: string) {
      asked.push(`weights file in ${folder}`);
      return answers.file;
    },
    async pickFolder(folder: string) {
      asked.push(`folder in ${folder}`);
      return answers.folder;
    },
    async exists(p: string) {
      return (answers.existing ?? []).includes(p);
    },
  };
  return { ui, asked };
}

describe('Export Model: the questions', () => {
  const ctx = { cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', weightsFileOf: (m: string) => `/w/${m}.safetensors` };

  test('every question in order: model, format, trained weights, default folder (which exists)', async () => {
    const { ui, asked } = scriptedUi({ models: ['A', 'B'], picks: ['B', 'TensorFlow.js', 'Trained weights: B.safetensors', 'Export to B-tfjs'], existing: ['/w/B.safetensors', '/w/B-tfjs'] });
    const r = await planExport({}, ui, ctx);
    assert.deepEqual(r, { cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', model: 'B', format: 'tfjs', weights: '/w/B.safetensors', out: '/w/B-tfjs' });
    assert.deepEqual(asked, [
      'models',
      'Which model do you want to export? [A | B]',
      'Export B as [ONNX | PyTorch | TensorFlow.js | Keras]',
      'Which weights does the export of B carry? [Trained weights: B.safetensors | Another weights file… | Freshly initialised weights (untrained)]',
      'Where do the exported files go? [Export to B-tfjs | Choose a parent folder…]',
    ]);
  });

  test('one model is not asked about; without a trained file: another file or fresh weights; a parent folder', async () => {
    const other = scriptedUi({ picks: ['Keras', 'Another weights file…', 'Choose a parent folder…'], file: '/x/w.safetensors', folder: '/out' });
    assert.deepEqual(await planExport({}, other.ui, ctx), { cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', model: 'M', format: 'keras', weights: '/x/w.safetensors', out: join('/out', 'M-keras') });
    assert.deepEqual(other.asked.slice(2), [
      'Which weights does the export of M carry? [Another weights file… | Freshly initialised weights (untrained)]',
      'weights file in /w',
      'Where do the exported files go? [Export to M-keras | Choose a parent folder…]',
      'folder in /w',
    ]);
    const fresh = scriptedUi({ picks: ['ONNX', 'Freshly initialised weights (untrained)', 'Export to M-onnx'] });
    assert.deepEqual(await planExport({}, fresh.ui, ctx), { cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', model: 'M', format: 'onnx', out: '/w/M-onnx' });
  });

  test("the panel's argument skips the model and weights questions; a full argument asks nothing", async () => {
    const panel = scriptedUi({ picks: ['PyTorch', 'Export to Iris-pytorch'] });
    assert.deepEqual(await planExport({ model: 'Iris', weights: '/w/runs/Iris.safetensors' }, panel.ui, ctx), {
      cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', model: 'Iris', format: 'pytorch', weights: '/w/runs/Iris.safetensors', out: '/w/Iris-pytorch',
    });
    assert.equal(panel.asked.length, 2);
    const full = scriptedUi({});
    assert.deepEqual(await planExport({ model: 'M', format: 'tfjs', weights: '/w/M.safetensors', out: '/o' }, full.ui, ctx), { cli: '/ext/dist/cli.js', modelFile: '/w/m.netspec', model: 'M', format: 'tfjs', weights: '/w/M.safetensors', out: '/o' });
    assert.deepEqual(full.asked, []);
  });

  test('dismissing any question ends the command quietly; no model is an error', async () => {
    const fresh = 'Freshly initialised weights (untrained)';
    for (const picks of [[], ['TensorFlow.js'], ['TensorFlow.js', 'Another weights file…'], ['TensorFlow.js', fresh], ['TensorFlow.js', fresh, 'Choose a parent folder…']]) {
      assert.equal(await planExport({}, scriptedUi({ picks }).ui, ctx), undefined, picks.join(' > '));
    }
    assert.equal(await planExport({}, scriptedUi({ models: ['A', 'B'], picks: [] }).ui, ctx), undefined);
    assert.deepEqual(await planExport({}, scriptedUi({ models: [] }).ui, ctx), { error: 'm.netspec has no model to export' });
    assert.deepEqual(await planExport({}, scriptedUi({ models: { error: 'no server' } }).ui, ctx), { error: 'no server' });
  });
});

describe('Export Model: the bundled CLI in a child process', () => {
  const opts = () => ({ execPath: process.execPath, env: exportEnv(process.env), cwd: dir });

  test('exports a model (dist/cli.js export --json) and reports the folder and files', async (t) => {
    if (!existsSync(CLI)) return t.skip('dist/cli.js is not built (npm run build)');
    writeFileSync(join(dir, 'm.netspec'), 'model A {\n  input x: [3]\n  Dense(2)\n}\nmodel B {\n  input x: [4]\n  Dense(1)\n}\n');
    const out = join(dir, 'B-tfjs');
    const r = await runExportCli({ cli: CLI, modelFile: join(dir, 'm.netspec'), model: 'B', format: 'tfjs', out }, opts());
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.report.out, out);
    assert.deepEqual(r.report.files, ['model.json', 'weights.bin']);
    assert.equal(r.report.trained, false);
    assert.match(r.report.notes.join('\n'), /freshly initialised/);
    assert.ok(existsSync(join(out, 'model.json')));
  });

  test('a layer the format cannot express comes back as the CLI\'s message, nothing written', async (t) => {
    if (!existsSync(CLI)) return t.skip('dist/cli.js is not built (npm run build)');
    writeFileSync(join(dir, 'seq.netspec'), 'model S {\n  input x: [4, 2]\n  GRU(3)\n}\n');
    const out = join(dir, 'S-tfjs');
    const r = await runExportCli({ cli: CLI, modelFile: join(dir, 'seq.netspec'), model: 'S', format: 'tfjs', out }, opts());
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /^GRU \(gru\) cannot be exported to tfjs/);
    assert.equal(existsSync(out), false);
  });

  test('cancelling kills the child and says so; a missing executable is an error value', async () => {
    // A stand-in CLI that never answers.
    const slow = join(dir, 'slow.js');
    writeFileSync(slow, 'setTimeout(() => {}, 60000);\n');
    const abort = new AbortController();
    const started = Date.now();
    const pending = runExportCli({ cli: slow, modelFile: 'm', model: 'M', format: 'tfjs', out: 'o' }, { ...opts(), signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    const r = await pending;
    assert.deepEqual(r, { ok: false, cancelled: true, message: 'the export was cancelled' });
    assert.ok(Date.now() - started < 10_000);
    const missing = await runExportCli({ cli: slow, modelFile: 'm', model: 'M', format: 'tfjs', out: 'o' }, { ...opts(), execPath: join(dir, 'no-such-binary') });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.message, /could not start/);
  });

  test('the child runs with ELECTRON_RUN_AS_NODE=1', async () => {
    const echo = join(dir, 'echo.js');
    writeFileSync(echo, 'console.log(JSON.stringify({ format: "tfjs", model: "M", out: process.env.ELECTRON_RUN_AS_NODE, trained: false, bytes: 0, files: [], notes: [] }));\n');
    const r = await runExportCli({ cli: echo, modelFile: 'm', model: 'M', format: 'tfjs', out: 'o' }, opts());
    assert.ok(r.ok);
    assert.equal(r.report.out, '1');
  });
});

class FakeWebview implements WebviewLike {
  posted: ToPanel[] = [];
  private listener: ((m: unknown) => void) | undefined;
  async postMessage(m: ToPanel): Promise<boolean> {
    this.posted.push(m);
    return true;
  }
  onDidReceiveMessage(listener: (m: unknown) => void) {
    this.listener = listener;
    return { dispose: () => {} };
  }
  send(m: unknown): void {
    this.listener?.(m);
  }
}

const snapshot = (status: RunSnapshot['status'], epochs: number): RunSnapshot => ({
  runId: 'run1',
  model: 'Iris',
  sourceUri: 'file:///ws/iris.netspec',
  backend: null,
  steps: [],
  epochs: Array.from({ length: epochs }, (_v, i) => ({ epoch: i + 1 }) as never),
  status,
});

describe('the panel\'s Export button', () => {
  test('it asks for the run shown once the run has ended with at least one epoch', () => {
    assert.equal(exportRequest(null), null);
    assert.equal(exportRequest(snapshot('running', 2)), null);
    assert.equal(exportRequest(snapshot('paused', 2)), null);
    assert.equal(exportRequest(snapshot('failed', 2)), null);
    assert.equal(exportRequest(snapshot('stopped', 0)), null);
    assert.deepEqual(exportRequest(snapshot('finished', 3)), { type: 'request-export', runId: 'run1' });
    assert.deepEqual(exportRequest(snapshot('stopped', 1)), { type: 'request-export', runId: 'run1' });
  });

  test('the extension runs Export Model with the run\'s model, file and written weights', async () => {
    const logs: string[] = [];
    const requests: ExportRunRequest[] = [];
    const session = new RunSession('run1', 'Iris', 'file:///ws/iris.netspec', 1, '/ws/Iris.safetensors', {
      log: () => {},
      status: () => {},
      writeWeights: async () => null,
      save: () => {},
    });
    const webview = new FakeWebview();
    const channel = new PanelChannel(webview, { log: (level, line) => logs.push(`${level}: ${line}`), exportRun: (r) => requests.push(r) });
    channel.start(session, { type: 'start', runId: 'run1', model: 'Iris', sourceUri: 'file:///ws/iris.netspec', ir: {} as never, train: {} as never, files: [], backend: 'auto', smoothing: 0.6 });
    webview.send({ type: 'ready' });
    // While the run goes on, the button does nothing but say why.
    webview.send({ type: 'request-export', runId: 'run1' });
    assert.deepEqual(requests, []);
    assert.match(logs.join('\n'), /still training/);
    webview.send({ type: 'weights', runId: 'run1', epoch: 1, final: true, bytes: new Uint8Array([1, 2]) });
    webview.send({ type: 'finished', runId: 'run1', stopped: 'completed', snapshot: snapshot('finished', 1) });
    await session.done;
    webview.send({ type: 'request-export', runId: 'run1' });
    assert.deepEqual(requests, [{ uri: 'file:///ws/iris.netspec', model: 'Iris', weights: '/ws/Iris.safetensors' }]);
    // An unknown run is logged, not exported.
    webview.send({ type: 'request-export', runId: 'other' });
    assert.equal(requests.length, 1);
    assert.match(logs.join('\n'), /unknown run/);
  });

  test('a restored panel (no session) exports the snapshot\'s model with the default weights', () => {
    const requests: ExportRunRequest[] = [];
    const webview = new FakeWebview();
    const channel = new PanelChannel(webview, { log: () => {}, exportRun: (r) => requests.push(r) }, snapshot('finished', 2));
    webview.send({ type: 'ready' });
    webview.send({ type: 'request-export', runId: 'run1' });
    assert.deepEqual(requests, [{ uri: 'file:///ws/iris.netspec', model: 'Iris' }]);
    assert.equal(channel.current, undefined);
  });
});

describe('the panel\'s Predict on a file button', () => {
  test('the extension predicts with the run\'s model and weights and its answers reach the panel', () => {
    const requests: unknown[] = [];
    const webview = new FakeWebview();
    new PanelChannel(webview, {
      log: () => {},
      predictRun: (r, send) => {
        requests.push(r);
        send({ type: 'prediction', runId: r.runId, state: 'failed', message: 'no data' });
      },
    }, snapshot('finished', 2));
    webview.send({ type: 'ready' });
    webview.send({ type: 'request-predict', runId: 'run1' });
    assert.deepEqual(requests, [{ uri: 'file:///ws/iris.netspec', model: 'Iris', runId: 'run1' }]);
    assert.deepEqual(webview.posted.at(-1), { type: 'prediction', runId: 'run1', state: 'failed', message: 'no data' });
    webview.send({ type: 'request-predict', runId: 'other' });
    assert.equal(requests.length, 1, 'an unknown run is not predicted with');
  });
});
