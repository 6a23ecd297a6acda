// One training run as the extension sees it: the panel's messages for this run (steps,
// epochs, weights, the end) update a snapshot, drive the status bar and the output channel,
// write the weights, and finally resolve `done` with the outcome. Every side effect is an
// injected function, so unit tests feed messages and watch what happens without an editor.
// Messages of another run (a stale panel) are ignored; malformed ones are logged, never thrown.

import type { BackendInfo, EpochEvent, FromPanel, RunSnapshot, StepEvent } from '../../webview/protocol';
import type { StepPosition } from './run_summary';
import { toBytes } from './weights_writer';

/** What the status bar shows (status_bar.ts formats it). */
export interface StatusState {
  model: string;
  status: RunSnapshot['status'];
  epoch: number;
  epochs: number;
  loss: number | null;
  backend: BackendInfo['name'] | null;
}

export interface RunEffects {
  log(level: 'info' | 'warn' | 'error', line: string): void;
  status(state: StatusState): void;
  /** Writes the bytes to the run's weights file; resolves with an error message or null. */
  writeWeights(bytes: Uint8Array, epoch: number, final: boolean): Promise<string | null>;
  /** Keeps the snapshot for a restored panel (workspaceState). */
  save(snapshot: RunSnapshot): void;
}

export interface RunOutcome {
  snapshot: RunSnapshot;
  stopped?: 'completed' | 'early-stopping' | 'cancelled';
  weightsPath: string;
  /** How many weight files were written, and the last write error if any. */
  weightsWrites: number;
  weightsError?: string;
  /** Milliseconds from the Train command to the first chart point (the first step event). */
  firstPointMs?: number;
  /** The last step event's position (a stopped run's notification counts its steps). */
  lastStep?: StepPosition;
  /** Step messages relayed to the panel it took, for a run trained in the extension host. */
  panelSteps?: number;
  /** The run's record folder (docs/runs.md). */
  runFolder?: string;
}

/** Steps kept in a snapshot; beyond it every other old step is dropped (the chart keeps its shape). */
export const MAX_STEPS = 4000;

export class RunSession {
  readonly snapshot: RunSnapshot;
  readonly done: Promise<RunOutcome>;
  private resolveDone!: (o: RunOutcome) => void;
  private ended = false;
  private writes: Promise<void> = Promise.resolve();
  private weightsWrites = 0;
  private weightsError: string | undefined;
  private lastLoss: number | null = null;
  private epoch = 0;
  private firstPointMs: number | undefined;
  private lastStep: StepPosition | undefined;

  constructor(
    readonly runId: string,
    model: string,
    sourceUri: string,
    readonly epochs: number,
    readonly weightsPath: string,
    private readonly effects: RunEffects,
    /** When the user asked to train (Date.now()), to measure the wait for the first point. */
    private readonly requestedAt = Date.now(),
  ) {
    this.snapshot = { runId, model, sourceUri, backend: null, steps: [], epochs: [], status: 'running' };
    this.done = new Promise((r) => (this.resolveDone = r));
    this.pushStatus();
  }

  /** True once a weights file write succeeded (the Export button exports that file). */
  get weightsWritten(): boolean {
    return this.weightsWrites > 0;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** Handles one panel message; true when it belonged to this run. */
  handle(msg: FromPanel): boolean {
    if (this.ended || !msg || typeof msg !== 'object') return false;
    if ('runId' in msg && msg.runId !== this.runId) return false;
    switch (msg.type) {
      case 'backend':
        this.snapshot.backend = msg.info;
        this.effects.log('info', `${this.snapshot.model}: training on ${msg.info.name} (${msg.info.detail})${msg.info.fallbackReason ? `; ${msg.info.fallbackReason}` : ''}`);
        this.pushStatus();
        return true;
      case 'step':
        this.onStep(msg.event);
        return true;
      case 'epoch':
        this.onEpoch(msg.event);
        return true;
      case 'weights':
        this.onWeights(msg.bytes, msg.epoch, msg.final);
        return true;
      case 'finished':
        void this.finish(msg.snapshot, msg.stopped);
        return true;
      case 'failed':
        this.snapshot.error = msg.error;
        this.effects.log('error', `${this.snapshot.model}: training failed: ${msg.error?.message ?? 'unknown error'}`);
        void this.end('failed');
        return true;
      default:
        return false;
    }
  }

  /** Marks the run paused or running again (the panel confirmed a pause or resume). */
  setPaused(paused: boolean): void {
    if (this.ended) return;
    this.snapshot.status = paused ? 'paused' : 'running';
    this.pushStatus();
  }

  /** Ends the run from the extension's side (the panel was closed, the start failed). */
  abort(message: string): Promise<RunOutcome> {
    if (!this.ended) {
      this.snapshot.error = { code: 'aborted', message };
      this.effects.log('warn', `${this.snapshot.model}: ${message}`);
      void this.end('stopped');
    }
    return this.done;
  }

  private onStep(e: StepEvent): void {
    if (!e || typeof e.loss !== 'number') return;
    const steps = this.snapshot.steps;
    if (this.firstPointMs === undefined) {
      this.firstPointMs = Date.now() - this.requestedAt;
      this.effects.log('info', `${this.snapshot.model}: first chart point ${this.firstPointMs} ms after Train`);
    }
    const global = (e.epoch - 1) * e.stepsPerEpoch + e.step;
    steps.push({ step: global, loss: e.loss });
    if (steps.length > MAX_STEPS) {
      const half = steps.length >> 1;
      const kept = steps.slice(0, half).filter((_, i) => i % 2 === 0);
      steps.splice(0, half, ...kept);
    }
    this.lastLoss = e.loss;
    this.lastStep = { epoch: e.epoch, step: e.step, stepsPerEpoch: e.stepsPerEpoch };
    this.epoch = Math.max(this.epoch, e.epoch - 1);
    this.pushStatus();
  }

  private onEpoch(e: EpochEvent): void {
    if (!e || typeof e.epoch !== 'number') return;
    this.snapshot.epochs.push(e);
    this.epoch = e.epoch;
    if (typeof e.metrics?.loss === 'number') this.lastLoss = e.metrics.loss;
    this.effects.log('info', epochLine(this.snapshot.model, e, this.epochs));
    this.pushStatus();
    this.effects.save(this.snapshot);
  }

  private onWeights(raw: unknown, epoch: number, final: boolean): void {
    const bytes = toBytes(raw);
    if (!bytes) {
      this.effects.log('warn', `${this.snapshot.model}: the panel sent weights that are not bytes; nothing written`);
      return;
    }
    // Writes run one after another, so the last one to land is the newest.
    this.writes = this.writes.then(async () => {
      const problem = await this.effects.writeWeights(bytes, epoch, final);
      if (problem) {
        this.weightsError = problem;
        this.effects.log('error', problem);
      } else {
        this.weightsWrites++;
        if (final) this.effects.log('info', `${this.snapshot.model}: weights saved to ${this.weightsPath}`);
      }
    });
  }

  private async finish(snapshot: RunSnapshot | undefined, stopped: RunOutcome['stopped']): Promise<void> {
    // The panel's snapshot carries what only it computes (class reports, samples).
    if (snapshot && typeof snapshot === 'object') {
      if (snapshot.classes) this.snapshot.classes = snapshot.classes;
      if (snapshot.samples) this.snapshot.samples = snapshot.samples;
      if (Array.isArray(snapshot.epochs) && snapshot.epochs.length > this.snapshot.epochs.length) this.snapshot.epochs = snapshot.epochs;
      if (!this.snapshot.backend && snapshot.backend) this.snapshot.backend = snapshot.backend;
    }
    this.effects.log('info', `${this.snapshot.model}: training ${stopped === 'cancelled' ? 'stopped' : 'finished'}${stopped === 'early-stopping' ? ' (early stopping)' : ''}`);
    await this.end(stopped === 'cancelled' ? 'stopped' : 'finished', stopped);
  }

  private async end(status: RunSnapshot['status'], stopped?: RunOutcome['stopped']): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.snapshot.status = status;
    await this.writes;
    this.pushStatus();
    this.effects.save(this.snapshot);
    this.resolveDone({
      snapshot: this.snapshot,
      stopped,
      weightsPath: this.weightsPath,
      firstPointMs: this.firstPointMs,
      lastStep: this.lastStep,
      weightsWrites: this.weightsWrites,
      weightsError: this.weightsError,
    });
  }

  private pushStatus(): void {
    this.effects.status({
      model: this.snapshot.model,
      status: this.snapshot.status,
      epoch: this.epoch,
      epochs: this.epochs,
      loss: this.lastLoss,
      backend: this.snapshot.backend?.name ?? null,
    });
  }
}

/** A number as metrics print: 4 significant digits, or the word for a non-finite value. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString();
}

/** The output channel's line for one epoch: `Iris epoch 3/60: loss=0.512 accuracy=0.8 (0.2 s)`. */
export function epochLine(model: string, e: EpochEvent, epochs: number): string {
  const metrics = Object.entries(e.metrics ?? {})
    .map(([k, v]) => `${k}=${formatMetric(v)}`)
    .join(' ');
  const secs = typeof e.seconds === 'number' ? ` (${e.seconds.toFixed(2)} s)` : '';
  return `${model} epoch ${e.epoch}/${epochs}: ${metrics}${e.best ? ' *' : ''}${secs}`;
}

/** The final metrics of a run, for the notification: the last epoch's, validation first. */
export function finalMetrics(snapshot: RunSnapshot): string {
  const last = snapshot.epochs[snapshot.epochs.length - 1];
  if (!last) return 'no epoch completed';
  const entries = Object.entries(last.metrics ?? {});
  entries.sort((a, b) => Number(b[0].startsWith('val_')) - Number(a[0].startsWith('val_')));
  return entries.map(([k, v]) => `${k} ${formatMetric(v)}`).join(', ');
}
