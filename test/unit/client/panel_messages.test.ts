// The extension's side of the panel conversation, with a fake webview: `start` waits for
// `ready`, run messages drive the status bar, the log and the weights writer, the end
// resolves the run's outcome only after the weights are on disk, stale runs are ignored,
// the panel's buttons become commands, and a closed panel ends the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EpochEvent } from '../../../engine/src/train/types';
import type { FromPanel, RunSnapshot, ToPanel } from '../../../webview/protocol';
import { PanelChannel, type WebviewLike } from '../../../client/src/panel_channel';
import { RunSession, MAX_STEPS, type StatusState } from '../../../client/src/run_session';

class FakeWebview implements WebviewLike {
  posted: ToPanel[] = [];
  private listener: ((m: unknown) => void) | undefined;
  disposed = false;
  async postMessage(m: ToPanel): Promise<boolean> {
    this.posted.push(m);
    return true;
  }
  onDidReceiveMessage(listener: (m: unknown) => void) {
    this.listener = listener;
    return { dispose: () => (this.disposed = true) };
  }
  /** The panel sends a message to the extension. */
  send(m: FromPanel | unknown): void {
    this.listener?.(m);
  }
}

function harness(writeDelayMs = 0, writeError: string | null = null) {
  const logs: string[] = [];
  const statuses: StatusState[] = [];
  const writes: { bytes: number[]; final: boolean; epoch: number }[] = [];
  const saved: RunSnapshot[] = [];
  const session = new RunSession('run1', 'Iris', 'file:///ws/iris.netspec', 3, '/ws/Iris.safetensors', {
    log: (level, line) => logs.push(`${level}: ${line}`),
    status: (s) => statuses.push({ ...s }),
    writeWeights: async (bytes, epoch, final) => {
      await new Promise((r) => setTimeout(r, writeDelayMs));
      writes.push({ bytes: [...bytes], epoch, final });
      return writeError;
    },
    save: (s) => saved.push(structuredClone(s)),
  });
  const webview = new FakeWebview();
  const channel = new PanelChannel(webview, { log: (level, line) => logs.push(`${level}: ${line}`) });
  return { session, webview, channel, logs, statuses, writes, saved };
}

const START = {
  type: 'start' as const,
  runId: 'run1',
  model: 'Iris',
  sourceUri: 'file:///ws/iris.netspec',
  ir: {} as never,
  train: {} as never,
  files: [],
  backend: 'auto' as const,
  smoothing: 0.6,
};

function epoch(n: number, metrics: Record<string, number>): EpochEvent {
  return { kind: 'epoch', epoch: n, metrics, samplesPerSecond: 1000, seconds: 0.25, best: true, lr: 0.01 };
}

test('start is queued until the panel is ready, then sent once', async () => {
  const h = harness();
  h.channel.start(h.session, START);
  assert.equal(h.webview.posted.length, 0, 'nothing is posted before ready');
  h.webview.send({ type: 'ready' });
  await Promise.resolve();
  assert.deepEqual(h.webview.posted.map((m) => m.type), ['start']);
  assert.equal((h.webview.posted[0] as typeof START).runId, 'run1');
});

test('a full run: backend, steps, epochs and weights update status and log; finished resolves after the write', async () => {
  const h = harness(20);
  h.channel.start(h.session, START);
  h.webview.send({ type: 'ready' });
  h.webview.send({ type: 'backend', runId: 'run1', info: { name: 'cpu', detail: 'no adapter', fallbackReason: 'WebGPU: no adapter' } });
  h.webview.send({ type: 'step', runId: 'run1', event: { kind: 'step', epoch: 1, step: 2, stepsPerEpoch: 8, loss: 0.75, samplesPerSecond: 10 } });
  assert.deepEqual(h.statuses.at(-1), { model: 'Iris', status: 'running', epoch: 0, epochs: 3, loss: 0.75, backend: 'cpu' });
  h.webview.send({ type: 'epoch', runId: 'run1', event: epoch(1, { loss: 0.5, accuracy: 0.8 }) });
  assert.equal(h.statuses.at(-1)!.epoch, 1);
  assert.ok(h.logs.some((l) => l === 'info: Iris epoch 1/3: loss=0.5 accuracy=0.8 * (0.25 s)'), h.logs.join('\n'));
  assert.ok(h.logs.some((l) => /training on cpu \(no adapter\); WebGPU: no adapter/.test(l)));
  // Weights as a plain index-keyed object (a JSON round trip) are still bytes.
  h.webview.send({ type: 'weights', runId: 'run1', epoch: 1, final: true, bytes: { 0: 1, 1: 2, 2: 3 } });
  const snapshot = { ...h.session.snapshot, classes: [{ output: 'y', labels: ['a'], confusion: [[1]], precision: [1], recall: [1], f1: [1] }] };
  h.webview.send({ type: 'finished', runId: 'run1', stopped: 'completed', snapshot });
  const outcome = await h.session.done;
  assert.deepEqual(h.writes, [{ bytes: [1, 2, 3], epoch: 1, final: true }], 'the final weights were written before done resolved');
  assert.equal(outcome.weightsWrites, 1);
  assert.equal(outcome.snapshot.status, 'finished');
  assert.equal(outcome.stopped, 'completed');
  assert.equal(outcome.snapshot.classes?.length, 1, "the panel's class report is kept");
  assert.equal(outcome.snapshot.backend?.name, 'cpu');
  assert.equal(h.saved.at(-1)!.status, 'finished', 'the final snapshot is saved for a restored panel');
  assert.equal(h.statuses.at(-1)!.status, 'finished');
});

test("another run's messages and malformed messages are ignored", async () => {
  const h = harness();
  h.channel.start(h.session, START);
  h.webview.send({ type: 'ready' });
  h.webview.send({ type: 'epoch', runId: 'old-run', event: epoch(1, { loss: 9 }) });
  h.webview.send({ type: 'finished', runId: 'old-run', stopped: 'completed', snapshot: h.session.snapshot });
  h.webview.send({ nonsense: true });
  h.webview.send(null);
  assert.equal(h.session.snapshot.epochs.length, 0);
  assert.equal(h.session.finished, false);
  assert.ok(h.logs.some((l) => /unknown message/.test(l)));
});

test('weights that are not bytes are logged and not written; a write error reaches the outcome', async () => {
  const h = harness(0, 'cannot write the weights to /ws/Iris.safetensors: EACCES');
  h.channel.start(h.session, START);
  h.webview.send({ type: 'ready' });
  h.webview.send({ type: 'weights', runId: 'run1', epoch: 1, final: false, bytes: 'not bytes' });
  h.webview.send({ type: 'weights', runId: 'run1', epoch: 1, final: true, bytes: new Uint8Array([7]) });
  h.webview.send({ type: 'finished', runId: 'run1', stopped: 'completed', snapshot: h.session.snapshot });
  const o = await h.session.done;
  assert.equal(h.writes.length, 1);
  assert.equal(o.weightsWrites, 0);
  assert.match(o.weightsError ?? '', /EACCES/);
  assert.ok(h.logs.some((l) => /not bytes/.test(l)));
});

test('a failed run ends failed with the error; the panel buttons become commands to the panel', async () => {
  const h = harness();
  h.channel.start(h.session, START);
  h.webview.send({ type: 'ready' });
  h.webview.send({ type: 'request-pause' });
  assert.equal(h.session.snapshot.status, 'paused');
  h.webview.send({ type: 'request-resume' });
  assert.equal(h.session.snapshot.status, 'running');
  h.webview.send({ type: 'request-stop' });
  await Promise.resolve();
  assert.deepEqual(h.webview.posted.map((m) => m.type), ['start', 'pause', 'resume', 'stop']);
  h.webview.send({ type: 'failed', runId: 'run1', error: { code: 'nan-loss', message: 'the loss became NaN', node: 'dense_1', line: 5 } });
  const o = await h.session.done;
  assert.equal(o.snapshot.status, 'failed');
  assert.equal((o.snapshot.error as { node?: string }).node, 'dense_1');
  assert.ok(h.logs.some((l) => /^error: Iris: training failed: the loss became NaN/.test(l)));
});

test('closing the panel mid-run ends the run as stopped', async () => {
  const h = harness();
  h.channel.start(h.session, START);
  h.webview.send({ type: 'ready' });
  h.channel.dispose();
  const o = await h.session.done;
  assert.equal(o.snapshot.status, 'stopped');
  assert.match((o.snapshot.error as { message: string }).message, /panel was closed/);
  assert.equal(h.webview.disposed, true);
});

test('a panel that loads with no run to start redraws the last snapshot', async () => {
  const webview = new FakeWebview();
  const last: RunSnapshot = { runId: 'r0', model: 'Iris', sourceUri: 'file:///x', backend: null, steps: [], epochs: [], status: 'finished' };
  new PanelChannel(webview, { log: () => {} }, last);
  webview.send({ type: 'ready' });
  await Promise.resolve();
  assert.deepEqual(webview.posted, [{ type: 'restore', snapshot: last }]);
});

test('the snapshot keeps at most MAX_STEPS steps, thinning the oldest', () => {
  const h = harness();
  for (let i = 1; i <= MAX_STEPS + 10; i++) {
    h.session.handle({ type: 'step', runId: 'run1', event: { kind: 'step', epoch: 1, step: i, stepsPerEpoch: 1e6, loss: 1 / i, samplesPerSecond: 1 } });
  }
  const steps = h.session.snapshot.steps;
  assert.ok(steps.length <= MAX_STEPS, `${steps.length} steps kept`);
  assert.equal(steps.at(-1)!.step, MAX_STEPS + 10, 'the newest step is kept');
  assert.equal(steps[0].step, 1, 'the first step is kept');
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i].step > steps[i - 1].step, 'steps stay in order');
});

test('a run in the extension host: the panel watches, its buttons steer the child, relayed steps are counted', async () => {
  const { session, webview, channel } = harness();
  const commands: string[] = [];
  channel.watch(session, { type: 'watch', runId: 'run1', model: 'Iris', sourceUri: START.sourceUri, epochs: 3, smoothing: 0.6 }, { control: (c) => commands.push(c) });
  webview.send({ type: 'ready' });
  channel.relay({ type: 'step', runId: 'run1', event: { kind: 'step', epoch: 1, step: 1, stepsPerEpoch: 4, loss: 1, samplesPerSecond: 1 } });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(channel.relayedSteps, 1);
  webview.send({ type: 'request-pause' });
  webview.send({ type: 'request-resume' });
  webview.send({ type: 'request-stop' });
  assert.deepEqual(commands, ['pause', 'resume', 'stop']);
  assert.deepEqual(webview.posted.map((m) => m.type), ['watch', 'relay', 'pause', 'resume', 'stop']);
  // A panel that reloads picks the host run up where it is instead of ending it.
  webview.send({ type: 'ready' });
  assert.equal(channel.current, session);
  const again = webview.posted.at(-1);
  assert.ok(again?.type === 'watch' && again.snapshot?.runId === 'run1');
});

test('declined, train-again and runs requests go to their hooks', async () => {
  const seen: string[] = [];
  const webview = new FakeWebview();
  const runs = {
    list: async () => [{ id: 'r1' } as never],
    curves: async (_c: unknown, ids: string[]) => ids.map((id) => ({ id, name: id, epochs: [] })),
    rename: async () => (seen.push('rename'), true),
    remove: async () => (seen.push('remove'), false),
    exportRun: async (_c: unknown, id: string) => void seen.push(`export ${id}`),
    weightsOf: async (_c: unknown, id: string) => (id === 'r1' ? { name: 'first', weights: '/runs/r1/weights.safetensors' } : undefined),
    rerun: async (c: { model: string }, id: string) => void seen.push(`rerun ${c.model} ${id}`),
  };
  const last = { runId: 'old', model: 'Iris', sourceUri: 'file:///ws/iris.netspec', backend: null, steps: [], epochs: [], status: 'finished' as const };
  const channel = new PanelChannel(webview, { log: () => undefined, runs, trainAgain: (ctx) => seen.push(`again ${ctx.model}`), predictRun: (r) => seen.push(`predict ${r.runId} ${r.runName} ${r.weights}`) }, last);
  webview.send({ type: 'ready' });
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(webview.posted.some((m) => m.type === 'runs' && m.runs.length === 1), 'the runs list on load');
  webview.send({ type: 'request-curves', ids: ['r1', 'r2'] });
  webview.send({ type: 'request-rename-run', id: 'r1' });
  webview.send({ type: 'request-delete-run', id: 'r1' });
  webview.send({ type: 'request-train-again', runId: 'old' });
  webview.send({ type: 'request-export-run', id: 'r1' });
  webview.send({ type: 'request-predict-run', id: 'r1' });
  webview.send({ type: 'request-predict-run', id: 'unknown' });
  webview.send({ type: 'request-rerun-run', id: 'r1' });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(seen.sort(), ['again Iris', 'export r1', 'predict r1 first /runs/r1/weights.safetensors', 'remove', 'rename', 'rerun Iris r1']);
  const curves = webview.posted.find((m) => m.type === 'run-curves');
  assert.ok(curves?.type === 'run-curves' && curves.curves.length === 2);
  assert.equal(webview.posted.filter((m) => m.type === 'runs').length, 2, 'a rename lists the runs again; a refused delete does not');

  const { session, webview: w2, channel: c2 } = harness();
  const routed: string[] = [];
  c2.start(session, START, { fromPanel: (m) => routed.push(m.type) });
  w2.send({ type: 'ready' });
  w2.send({ type: 'declined', runId: 'run1', reason: 'software adapter' });
  assert.deepEqual(routed, ['declined']);
});
