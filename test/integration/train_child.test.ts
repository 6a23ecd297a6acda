// The extension host's training process (dist/train_child.js, built by `npm run build`)
// spawned as the extension spawns it: forkTrainChild + HostRunner, driven by RunRouter with
// a real RunSession and PanelChannel (over a recording webview, since Node has no panel).
// It trains iris for real on the WebAssembly kernels and on Dawn's adapter (lavapipe here),
// streams the protocol's messages to the panel, writes the weights file atomically, obeys
// Stop, and a SIGKILL mid-run fails the run with a clear message while the last finished
// epoch's weights stay on disk.

import assert from 'node:assert/strict';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { decodeSafetensors } from '../../engine/src/io/safetensors';
import { checkText } from '../../server/src/sema/check';
import { lowerTrain } from '../../server/src/sema/train/lower';
import { forkTrainChild, HostRunner } from '../../client/src/host_runner';
import { PanelChannel, type WebviewLike } from '../../client/src/panel_channel';
import { RunRouter } from '../../client/src/run_router';
import { RunSession, type RunOutcome } from '../../client/src/run_session';
import { writeWeights, type WriteFs } from '../../client/src/weights_writer';
import type { BackendChoice, FromPanel, ToPanel } from '../../webview/protocol';

const CHILD = resolve('dist/train_child.js');
const IRIS = resolve('examples/iris/iris.netspec');
const dir = mkdtempSync(join(tmpdir(), 'netspec-child-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const nodeFs: WriteFs = {
  writeFile: (p, b) => writeFile(p, b),
  rename: (a, b) => rename(a, b),
  remove: (p) => rm(p, { force: true }),
  mkdir: async (p) => void (await mkdir(p, { recursive: true })),
};

/** The iris model and train block as the server hands them over, with `epochs` epochs. */
function iris(epochs: number) {
  const checked = checkText(readFileSync(IRIS, 'utf8'));
  const model = checked.models[0];
  const decl = checked.file.decls.find((d) => d.kind === 'Train')!;
  const train = { ...lowerTrain(decl as never, { path: IRIS })!, epochs };
  const files = [{ path: (train.data as { path: string }).path, bytes: new Uint8Array(readFileSync((train.data as { path: string }).path)) }];
  return { ir: model.ir!, train, files };
}

interface Harness {
  outcome: Promise<RunOutcome>;
  toPanel: ToPanel[];
  channel: PanelChannel;
  runners: HostRunner[];
  weights: string;
}

/**
 * One run as train_command.ts starts it, with `backend` as the setting; `panel` answers
 * what the panel would for a start message (the test's stand-in for the webview's worker).
 */
function run(name: string, backend: BackendChoice, epochs: number, on: { toPanel?(m: ToPanel, h: Harness): void; declines?: Map<'panel' | 'host', string> } = {}): Harness {
  const { ir, train, files } = iris(epochs);
  const weights = join(dir, `${name}.safetensors`);
  const lines: string[] = [];
  const toPanel: ToPanel[] = [];
  const runners: HostRunner[] = [];
  const h = {} as Harness;
  const webview: WebviewLike = {
    postMessage: async (m) => {
      toPanel.push(m);
      on.toPanel?.(m, h);
      return true;
    },
    onDidReceiveMessage: () => ({ dispose() {} }),
  };
  const channel = new PanelChannel(webview, { log: (_l, line) => lines.push(line) });
  channel.receive({ type: 'ready' });
  const session = new RunSession(`run-${name}`, 'Iris', `file://${IRIS}`, epochs, weights, {
    log: (_l, line) => lines.push(line),
    status: () => undefined,
    writeWeights: (bytes) => writeWeights(weights, bytes, nodeFs),
    save: () => undefined,
  });
  const start = { type: 'start' as const, runId: session.runId, model: 'Iris', sourceUri: `file://${IRIS}`, ir, train, files, backend: 'auto' as const, smoothing: 0.6 };
  new RunRouter(session, start, backend, {
    channel,
    log: (_l, line) => lines.push(line),
    declines: on.declines,
    spawn: (hooks) => {
      const r = new HostRunner(forkTrainChild(CHILD), hooks);
      runners.push(r);
      return r;
    },
  }).begin();
  Object.assign(h, { outcome: session.done, toPanel, channel, runners, weights });
  return h;
}

function relayed(toPanel: ToPanel[]): FromPanel[] {
  return toPanel.flatMap((m) => (m.type === 'relay' ? [m.event] : []));
}

async function weightsEpoch(path: string): Promise<number> {
  const decoded = decodeSafetensors(new Uint8Array(await readFile(path)));
  assert.ok(decoded.ok, 'the weights file decodes');
  return Number((decoded as { metadata?: Record<string, string> }).metadata?.epoch ?? NaN);
}

test('host-wasm: the child trains on every core, the panel gets the stream, the weights land on disk', async () => {
  const h = run('wasm', 'host-wasm', 4);
  const o = await h.outcome;
  assert.equal(o.snapshot.status, 'finished', JSON.stringify(o.snapshot.error));
  assert.equal(h.toPanel[0].type, 'watch', 'the panel is told to draw, not to train');
  assert.ok(!h.toPanel.some((m) => m.type === 'start'), 'no data goes to the panel');
  const events = relayed(h.toPanel);
  const backend = events.find((m) => m.type === 'backend');
  assert.ok(backend?.type === 'backend');
  assert.equal(backend.info.place, 'host');
  assert.match(backend.info.detail, /WebAssembly SIMD, \d threads?/);
  assert.match(backend.info.why ?? '', /netspec.backend is "host-wasm"/);
  assert.equal(events.filter((m) => m.type === 'epoch').length, 4);
  assert.ok(events.filter((m) => m.type === 'step').length >= 4);
  // The memory in use rides with the steps: the engine's counters and the child's RSS.
  const memory = events.flatMap((m) => (m.type === 'step' && m.memory ? [m.memory] : []));
  assert.ok(memory.length > 0 && memory.every((u) => u.tensorBytes > 0 && (u.rssBytes ?? 0) > 10 * 1024 * 1024), JSON.stringify(memory[0]));
  assert.equal(events.at(-1)?.type, 'finished');
  assert.ok(o.snapshot.classes && o.snapshot.classes.length === 1, 'the class report comes from the child');
  assert.ok(o.weightsWrites >= 5, `${o.weightsWrites} weight writes`);
  assert.ok(o.firstPointMs !== undefined);
  console.log(`[host-wasm] Train → first chart point ${o.firstPointMs} ms`);
  assert.ok(existsSync(h.weights));
  assert.ok((await weightsEpoch(h.weights)) >= 1);
});

test('auto without a hardware adapter: the host and the panel decline, the host CPU trains, and the panel says why', async () => {
  const declines = new Map<'panel' | 'host', string>();
  const h = run('auto', 'auto', 2, {
    declines,
    // The panel's worker on a page whose only adapter is SwiftShader declines the same way.
    toPanel: (m, harness) => {
      if (m.type === 'start' && m.backend === 'gpu-hardware') {
        queueMicrotask(() => harness.channel.receive({ type: 'declined', runId: m.runId, reason: 'its only WebGPU adapter (google / swiftshader) is a software renderer, slower than the CPU' }));
      }
    },
  });
  const o = await h.outcome;
  assert.equal(o.snapshot.status, 'finished', JSON.stringify(o.snapshot.error));
  const starts = h.toPanel.filter((m) => m.type === 'start');
  assert.deepEqual(starts.map((m) => m.type === 'start' && m.backend), ['gpu-hardware']);
  assert.equal(h.runners.length, 1, 'the child that declined the GPU trains on the CPU once the panel declined too');
  console.log(`[auto → host wasm, after the host's and the panel's declines] Train → first chart point ${o.firstPointMs} ms`);
  assert.equal(o.snapshot.backend?.place, 'host');
  assert.equal(o.snapshot.backend?.name, 'cpu');
  const why = o.snapshot.backend?.why ?? '';
  assert.match(why, /the extension host: (the only WebGPU adapter .* is a software renderer|no WebGPU adapter|.*WebGPU)/);
  assert.match(why, /the panel \(webview\): its only WebGPU adapter \(google \/ swiftshader\) is a software renderer/);

  // The next auto run in the same window goes straight to the host CPU: no probe, no panel start.
  const again = run('auto2', 'auto', 1, { declines });
  const o2 = await again.outcome;
  assert.equal(o2.snapshot.status, 'finished');
  assert.equal(again.runners.length, 1);
  assert.ok(!again.toPanel.some((m) => m.type === 'start'));
  assert.match(o2.snapshot.backend?.why ?? '', /found by an earlier run in this window/);
  console.log(`[auto again, declines remembered] Train → first chart point ${o2.firstPointMs} ms`);
});

test('host-webgpu: the child trains on Dawn\'s adapter, a software one included', async () => {
  const h = run('gpu', 'host-webgpu', 2);
  const o = await h.outcome;
  if (o.snapshot.status === 'failed' && o.snapshot.error?.code === 'no-backend') {
    // A machine without any Vulkan driver: the reason is the test's result.
    assert.match(o.snapshot.error.message, /no place to train/);
    console.log(`[host-webgpu] no adapter here: ${o.snapshot.error.message}`);
    return;
  }
  assert.equal(o.snapshot.status, 'finished', JSON.stringify(o.snapshot.error));
  assert.equal(o.snapshot.backend?.name, 'webgpu');
  assert.equal(o.snapshot.backend?.place, 'host');
  console.log(`[host-webgpu] ${o.snapshot.backend?.detail}: Train → first chart point ${o.firstPointMs} ms`);
  assert.equal(relayed(h.toPanel).filter((m) => m.type === 'epoch').length, 2);
  assert.ok((await weightsEpoch(h.weights)) >= 1);
});

test('Stop from the panel reaches the child: the run ends stopped with its epochs kept', async () => {
  let asked = false;
  const h = run('stop', 'host-wasm', 400, {
    toPanel: (m, harness) => {
      if (!asked && m.type === 'relay' && m.event.type === 'epoch') {
        asked = true;
        harness.channel.receive({ type: 'request-stop' });
      }
    },
  });
  const o = await h.outcome;
  assert.equal(o.snapshot.status, 'stopped');
  assert.equal(o.stopped, 'cancelled');
  assert.ok(o.snapshot.epochs.length >= 1 && o.snapshot.epochs.length < 400);
  assert.ok((await weightsEpoch(h.weights)) >= 1);
});

test('a killed child fails the run with a clear message; the last finished epoch\'s weights survive', async () => {
  let killed = false;
  const h = run('kill', 'host-wasm', 400, {
    toPanel: (m, harness) => {
      // At the second epoch the first one's weights have arrived (the child sends them right after it).
      if (!killed && m.type === 'relay' && m.event.type === 'epoch' && m.event.event.epoch === 2) {
        killed = true;
        process.kill(harness.runners[0].pid!, 'SIGKILL');
      }
    },
  });
  const o = await h.outcome;
  assert.equal(o.snapshot.status, 'failed');
  assert.equal(o.snapshot.error?.code, 'crashed');
  assert.match(o.snapshot.error?.message ?? '', /training process in the extension host stopped before the run ended: it was killed \(SIGKILL\)/);
  assert.equal(relayed(h.toPanel).at(-1)?.type, 'failed', 'the panel shows the failure');
  assert.ok((await weightsEpoch(h.weights)) >= 1, 'the checkpoint of a finished epoch is whole');
  assert.deepEqual((await import('node:fs')).readdirSync(dir).filter((f) => f.startsWith('kill') && f !== 'kill.safetensors'), [], 'no temporary file left');
});
