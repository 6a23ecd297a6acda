// The training loop of spec §5: `train(ir, config, data, validation, callbacks)` builds the
// model from a seed (the train block's, else DEFAULT_SEED), then per epoch shuffles with a
// seeded permutation, runs every batch (the last one may be partial) through a training
// step, evaluates the validation data in inference mode, reports the epoch, and stops early
// when the monitored loss has not improved for `earlyStopping` epochs. Same seed, data and
// backend give the same run, bit for bit, on the CPU backend. Every failure a user can
// cause — bad settings, data that does not fit, a loss that turns NaN — comes back as an
// error value that says what and where; nothing throws past `train`.

import type { ModelIR } from '../../catalog/ir';
import { DEFAULT_SEED, type TrainIR } from '../../catalog/train_ir';
import { Model } from '../model';
import * as o from '../ops';
import { getBackend, tidy } from '../tensor';
import { OPTIMIZER_FAMILY, resolveCall } from '../../catalog/train/index';
import { Optimizer } from '../optimizers';
import { Rng } from '../rng';
import { asSource, identityRows, type BatchSource } from '../data/batch_source';
import type { Dataset } from '../data/dataset';
import { checkSource } from './data_check';
import { firstNonFinite } from './diagnose';
import { EpochRecorder } from './epoch';
import { metricNamesOf } from './metrics';
import { objectiveOf } from './objective';
import type { OutputLoss } from './objective';
import { BatchRunner } from './pass';
import type { BatchValues, PendingStep } from './pass';
import { makeSchedule } from './schedule';
import { checkSettings } from './settings_check';
import type { Schedule } from './schedule';
import type { EpochEvent, TrainCallbacks, TrainError, TrainFn, TrainOutcome, TrainResult } from './types';
import { WeightSnapshot } from './weights';

/** The stream of the shuffling generator, apart from weight initialisation's (1). */
const SHUFFLE_STREAM = 0x5348;

/** How often (ms) the loop yields to the event loop so a Stop message or Ctrl-C gets through. */
const YIELD_EVERY_MS = 50;

/**
 * How often the loop reads the device: `readEvery` steps or `readEveryMs`, whichever comes
 * first, and at every epoch's end. `readEvery` null means: every step where the backend
 * reads synchronously (the CPU and wasm: nothing to gain), else every 50 steps (WebGPU,
 * where a read stalls the queue). Between reads the steps' losses (and predictions, for
 * the metrics) stay on the device; tests set `readEvery` to run the deferred loop on the CPU.
 */
export const loopSettings: { readEvery: number | null; readEveryMs: number } = { readEvery: null, readEveryMs: 500 };

/** A step run but not yet read: what its read needs, and what a replay needs. */
interface Unread {
  pending: PendingStep;
  part: Dataset;
  rows: Int32Array;
  epoch: number;
  step: number;
  global: number;
  lr: number;
}

export const train: TrainFn = async (ir, config, data, validation, callbacks = {}) => {
  const source = asSource(data);
  const valSource = validation ? asSource(validation) : null;
  const setup = prepare(ir, config, source, valSource);
  if (!setup.ok) return { ok: false, error: setup.error };
  const loop = new Loop(setup.model, setup.specs, config, source, valSource, callbacks, setup.optimizer, setup.schedule);
  try {
    return await loop.run();
  } catch (e) {
    return { ok: false, error: thrownError(e), partial: await loop.partial().catch(() => undefined) };
  } finally {
    loop.dispose();
  }
};

interface Setup {
  ok: true;
  model: Model;
  specs: OutputLoss[];
  optimizer: Optimizer;
  schedule: Schedule;
}

/** Everything checked before a single step runs: settings, data, the model itself. */
function prepare(ir: ModelIR, config: TrainIR, data: BatchSource, validation: BatchSource | null): Setup | { ok: false; error: TrainError } {
  const build = (message: string): { ok: false; error: TrainError } => ({ ok: false, error: { code: 'build-error', message } });
  const mismatch = (message: string): { ok: false; error: TrainError } => ({ ok: false, error: { code: 'data-mismatch', message } });
  const objective = objectiveOf(ir, config);
  if (!objective.ok) return build(objective.message);
  const settings = checkSettings(ir, config);
  if (settings) return build(settings);
  const optimizer = resolveCall(OPTIMIZER_FAMILY, config.optimizer);
  if (!optimizer.ok) return build(optimizer.message);
  const schedule = makeSchedule(optimizer.args.lr as number, config.schedule);
  if (!schedule.ok) return build(schedule.message);
  const dataProblem = checkSource(ir, data, 'training', true);
  if (dataProblem) return mismatch(dataProblem);
  const valProblem = validation ? checkSource(ir, validation, 'validation', true) : null;
  if (valProblem) return mismatch(valProblem);
  const built = Model.build(ir, config.seed ?? DEFAULT_SEED);
  if (!built.ok) return { ok: false, error: { code: 'build-error', message: built.error.message, node: built.error.node, line: built.error.line } };
  return { ok: true, model: built.model, specs: objective.outputs, optimizer: new Optimizer(config.optimizer), schedule: schedule.schedule };
}

class Loop {
  private readonly runner: BatchRunner;
  private readonly last: WeightSnapshot;
  private readonly best: WeightSnapshot | null;
  private readonly epochs: EpochEvent[] = [];
  private bestEpoch = 0;
  /** Steps run since the last read (the deferred loop). */
  private unread: Unread[] = [];
  /** The weights and optimizer state before the first unread step, for a replay. */
  private readonly windowStart: WeightSnapshot;
  private readonly readEvery: number;
  private windowStarted = 0;

  constructor(
    private readonly model: Model,
    private readonly specs: OutputLoss[],
    private readonly config: TrainIR,
    private readonly data: BatchSource,
    private readonly validation: BatchSource | null,
    private readonly callbacks: TrainCallbacks,
    private readonly optimizer: Optimizer,
    private readonly schedule: Schedule,
  ) {
    const r = config.regularizer;
    this.runner = new BatchRunner(model, specs, r && (r.l1 || r.l2) ? { l1: r.l1, l2: r.l2 } : null, optimizer, metricNamesOf(config.metrics).length > 0);
    // The weights at the start stand for "the last finished epoch" until one finishes.
    this.last = new WeightSnapshot(model);
    this.last.take();
    this.best = config.earlyStopping !== null ? new WeightSnapshot(model) : null;
    this.windowStart = new WeightSnapshot(model);
    this.readEvery = Math.max(1, loopSettings.readEvery ?? (getBackend().readSync ? 1 : 50));
  }

  async run(): Promise<TrainOutcome> {
    const { data, config } = this;
    const batch = config.batchSize;
    const stepsPerEpoch = Math.ceil(data.count / batch);
    const rng = new Rng(config.seed ?? DEFAULT_SEED, SHUFFLE_STREAM);
    const history: number[] = [];
    let bestLoss = Infinity;
    let wait = 0;
    let lastYield = now();
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const started = now();
      const order = data.epochOrder(rng);
      const recorder = new EpochRecorder(this.specs, config.metrics);
      let lr = this.optimizer.lr;
      for (let step = 1; step <= stepsPerEpoch; step++) {
        if (this.callbacks.shouldStop?.()) {
          const read = await this.read(recorder, stepsPerEpoch);
          if (read) return read;
          return { ok: true, result: await this.finish('cancelled') };
        }
        if (this.callbacks.beforeStep) {
          await this.callbacks.beforeStep();
          if (this.callbacks.shouldStop?.()) {
            const read = await this.read(recorder, stepsPerEpoch);
            if (read) return read;
            return { ok: true, result: await this.finish('cancelled') };
          }
        }
        lr = this.schedule(epoch - 1, this.optimizer.iterations, history);
        const wanted = order.next(batch);
        const t0 = now();
        const global = this.optimizer.iterations;
        // The batch's samples as their own small Dataset, whatever holds the data.
        const part = await data.batch(wanted);
        const rows = identityRows(wanted.length);
        if (this.readEvery > 1) {
          if (this.unread.length === 0) this.startWindow();
          const inputs = this.runner.inputsOf(part, rows);
          try {
            const r = this.runner.trainStepDeferred(part, rows, inputs, global, lr);
            if (!r.ok) {
              this.dropUnread();
              return this.fail({ code: 'data-mismatch', message: r.message, node: r.node, line: r.line, epoch, step });
            }
            this.unread.push({ pending: r.pending, part, rows, epoch, step, global, lr });
          } finally {
            for (const t of Object.values(inputs)) t.dispose();
          }
          if (this.unread.length >= this.readEvery || now() - this.windowStarted >= loopSettings.readEveryMs || step === stepsPerEpoch) {
            const read = await this.read(recorder, stepsPerEpoch);
            if (read) return read;
          }
        } else {
          const inputs = this.runner.inputsOf(part, rows);
          let values: BatchValues;
          try {
            const r = await this.runner.trainStep(part, rows, inputs, global, lr);
            if (!r.ok) return this.fail({ code: 'data-mismatch', message: r.message, node: r.node, line: r.line, epoch, step });
            values = r.values;
            if (!Number.isFinite(values.total)) return this.fail(await this.nanError(values, inputs, global, epoch, step));
          } finally {
            for (const t of Object.values(inputs)) t.dispose();
          }
          recorder.addTrain(values, part, rows);
          const seconds = Math.max((now() - t0) / 1000, 1e-9);
          this.callbacks.onStep?.({ kind: 'step', epoch, step, stepsPerEpoch, loss: values.total, samplesPerSecond: rows.length / seconds });
        }
        if (now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = now();
        }
      }
      const metrics = recorder.trainMetrics();
      if (this.validation) {
        const val = await recorder.evaluate(this.runner, this.validation, batch);
        if (!val.ok) return this.fail({ code: 'data-mismatch', message: val.message, node: val.node, line: val.line, epoch });
        Object.assign(metrics, val.metrics);
      }
      const monitored = this.validation ? metrics.val_loss : metrics.loss;
      history.push(monitored);
      const improved = monitored < bestLoss;
      if (improved) {
        bestLoss = monitored;
        this.bestEpoch = epoch;
        wait = 0;
      } else wait++;
      this.last.take();
      if (improved && this.best) this.last.copyTo(this.best);
      const seconds = (now() - started) / 1000;
      const event: EpochEvent = { kind: 'epoch', epoch, metrics, samplesPerSecond: data.count / Math.max(seconds, 1e-9), seconds, best: improved, lr };
      this.epochs.push(event);
      // weights() downloads this epoch's snapshot; call it before the returned promise
      // settles, since the next epoch's end overwrites the snapshot.
      await this.callbacks.onEpoch?.(event, () => this.last.download());
      if (config.earlyStopping !== null && wait >= config.earlyStopping && epoch < config.epochs) {
        return { ok: true, result: await this.finish('early-stopping') };
      }
    }
    return { ok: true, result: await this.finish('completed') };
  }

  /** The result so far: the last finished epoch's weights (for an error's `partial`). */
  async partial(): Promise<TrainResult> {
    return { epochs: [...this.epochs], stopped: 'cancelled', weights: await this.last.download(), bestEpoch: this.bestEpoch };
  }

  dispose(): void {
    this.dropUnread();
    this.windowStart.dispose();
    this.last.dispose();
    this.best?.dispose();
    this.optimizer.dispose();
    this.model.dispose();
  }

  /**
   * The result: a cancelled run keeps the last finished epoch's weights; with early
   * stopping configured, the best epoch's weights are restored whether or not it triggered.
   */
  private async finish(stopped: TrainResult['stopped']): Promise<TrainResult> {
    let weights;
    if (stopped === 'cancelled') weights = await this.last.download();
    else {
      if (this.best?.taken) this.best.restore();
      weights = await (this.best?.taken ? this.best : this.last).download();
    }
    return { epochs: [...this.epochs], stopped, weights, bestEpoch: this.bestEpoch };
  }

  /** Keeps the weights and optimizer state from before the window's first step, for a replay. */
  private startWindow(): void {
    this.windowStart.take();
    this.optimizer.save();
    this.windowStarted = now();
  }

  private dropUnread(): void {
    for (const u of this.unread) u.pending.packed.dispose();
    this.unread = [];
  }

  /**
   * Reads every unread step with one download, then adds them to the epoch and reports
   * their step events (each with its own step number and loss; the rate is the window's).
   * When a loss is not finite, the weights and optimizer state go back to the window's
   * start and its steps run again one read at a time, so the failure names the same step
   * and layer as the loop that reads every step. Returns an outcome only on failure.
   */
  private async read(recorder: EpochRecorder, stepsPerEpoch: number): Promise<TrainOutcome | null> {
    const unread = this.unread;
    if (unread.length === 0) return null;
    this.unread = [];
    let all: Float32Array;
    try {
      const joined = unread.length === 1 ? unread[0].pending.packed : tidy(() => o.concat(unread.map((u) => u.pending.packed), 0));
      try {
        all = (await joined.data()) as Float32Array;
      } finally {
        if (joined !== unread[0].pending.packed) joined.dispose();
      }
    } finally {
      for (const u of unread) u.pending.packed.dispose();
    }
    const values: BatchValues[] = [];
    let at = 0;
    for (const u of unread) {
      const size = u.pending.packed.size;
      values.push(this.runner.valuesOf(all.subarray(at, at + size), u.pending.shapes));
      at += size;
    }
    if (values.some((v) => !Number.isFinite(v.total))) return this.replay(unread);
    const rate = unread.reduce((n, u) => n + u.rows.length, 0) / Math.max((now() - this.windowStarted) / 1000, 1e-9);
    unread.forEach((u, i) => {
      recorder.addTrain(values[i], u.part, u.rows);
      this.callbacks.onStep?.({ kind: 'step', epoch: u.epoch, step: u.step, stepsPerEpoch, loss: values[i].total, samplesPerSecond: rate });
    });
    return null;
  }

  /** Runs a window's steps again from its start, reading each, up to the first non-finite loss. */
  private async replay(unread: Unread[]): Promise<TrainOutcome> {
    this.windowStart.restore();
    this.optimizer.restore();
    for (const u of unread) {
      const inputs = this.runner.inputsOf(u.part, u.rows);
      try {
        const r = await this.runner.trainStep(u.part, u.rows, inputs, u.global, u.lr);
        if (!r.ok) return this.fail({ code: 'data-mismatch', message: r.message, node: r.node, line: r.line, epoch: u.epoch, step: u.step });
        if (!Number.isFinite(r.values.total)) return this.fail(await this.nanError(r.values, inputs, u.global, u.epoch, u.step));
      } finally {
        for (const t of Object.values(inputs)) t.dispose();
      }
    }
    // A replay on a device that does not repeat itself bit for bit: report the window's first loss.
    const u = unread[0];
    return this.fail({ code: 'nan-loss', epoch: u.epoch, step: u.step, message: `the loss was not finite between epoch ${u.epoch}, step ${u.step} and epoch ${unread[unread.length - 1].epoch}, step ${unread[unread.length - 1].step}, but not when those steps ran again; try a lower learning rate or check the data's scale` });
  }

  private async fail(error: TrainError): Promise<TrainOutcome> {
    return { ok: false, error, partial: await this.partial() };
  }

  /** The nan-loss error, naming the first layer whose output is not finite for this batch. */
  private async nanError(values: BatchValues, inputs: Parameters<typeof firstNonFinite>[1], step: number, epoch: number, stepInEpoch: number): Promise<TrainError> {
    const what = Number.isNaN(values.total) ? 'became NaN' : 'became infinite';
    const where = `at epoch ${epoch}, step ${stepInEpoch}`;
    const found = await firstNonFinite(this.model, inputs, step);
    if (found) {
      return {
        code: 'nan-loss', epoch, step: stepInEpoch, node: found.node, line: found.line,
        message: `the loss ${what} ${where}; the first non-finite output is ${found.node} (line ${found.line + 1}); try a lower learning rate or check the data's scale`,
      };
    }
    const bad = this.specs.find((s, i) => !Number.isFinite(values.perOutput[i]));
    if (bad) {
      return {
        code: 'nan-loss', epoch, step: stepInEpoch, node: bad.node ?? undefined, line: bad.line,
        message: `the loss ${what} ${where}; every layer's output is finite, but the ${bad.loss} loss of output ${bad.output} is not; check the targets' scale or try a lower learning rate`,
      };
    }
    return {
      code: 'nan-loss', epoch, step: stepInEpoch,
      message: `the loss ${what} ${where}; the outputs and their losses are finite, but the regularization penalty is not; try a smaller regularizer or a lower learning rate`,
    };
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** An exception from the backend as an error value (WebGPU errors carry a kind). */
function thrownError(e: unknown): TrainError {
  const message = e instanceof Error ? e.message : String(e);
  const kind = (e as { kind?: unknown } | null)?.kind;
  if (kind === 'out-of-memory') return { code: 'out-of-memory', message };
  if (kind === 'lost' || kind === 'validation' || kind === 'internal') return { code: 'device-lost', message };
  return { code: 'build-error', message: `internal error while training: ${message}` };
}
