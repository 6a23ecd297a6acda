// The contract of a training run, shared by the engine's loop (run.ts), the CLI, and later
// the editor's webview worker: what goes in (the IR, the lowered train settings, data as
// typed arrays), what comes out as the run goes (events), and how it ends (a result or an
// error value with a code and a message that says what and where). The data itself, a
// Dataset or a BatchSource, is data/'s (dataset.ts, batch_source.ts). Nothing here touches a
// file: callers read bytes and write checkpoints, so the same loop runs in Node and in a
// browser worker.

import type { ModelIR } from '../../catalog/ir';
import type { TrainIR } from '../../catalog/train_ir';
import type { BatchSource } from '../data/batch_source';
import type { Dataset } from '../data/dataset';

export type { TrainIR };

/** Weights as named float32 arrays (Keras names, "dense/kernel"), the checkpoint payload. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface StepEvent {
  kind: 'step';
  epoch: number; // 1-based
  step: number; // 1-based within the epoch
  stepsPerEpoch: number;
  loss: number;
  samplesPerSecond: number;
}

/** Metrics by name as spec §7's JSON lines write them: loss, accuracy, val_loss, val_accuracy... */
export interface EpochEvent {
  kind: 'epoch';
  epoch: number;
  metrics: Record<string, number>;
  samplesPerSecond: number;
  seconds: number;
  /** True when this epoch is the best so far on validation loss (or training loss without validation). */
  best: boolean;
  lr: number;
}

export interface TrainCallbacks {
  onStep?(e: StepEvent): void;
  /** Awaited: the caller writes the checkpoint of this epoch before the run goes on. */
  onEpoch?(e: EpochEvent, weights: () => Promise<NamedArray[]>): void | Promise<void>;
  /** Polled between steps: true stops after the current step (Ctrl-C, the Stop button). */
  shouldStop?(): boolean;
  /**
   * Awaited before each step, after `shouldStop` is polled (which is polled again once it
   * resolves): the training panel holds a paused run here, at a step boundary.
   */
  beforeStep?(): void | Promise<void>;
}

export interface TrainError {
  code: 'nan-loss' | 'data-mismatch' | 'out-of-memory' | 'device-lost' | 'build-error';
  message: string;
  epoch?: number;
  step?: number;
  /** For nan-loss: the first layer whose output was not finite, and its source line (0-based). */
  node?: string;
  line?: number;
}

export interface TrainResult {
  epochs: EpochEvent[];
  /** Why it ended: all epochs ran, early stopping, or the caller stopped it. */
  stopped: 'completed' | 'early-stopping' | 'cancelled';
  /** The weights to save: the best epoch's when early stopping restored them. */
  weights: NamedArray[];
  bestEpoch: number;
}

export type TrainOutcome = { ok: true; result: TrainResult } | { ok: false; error: TrainError; partial?: TrainResult };

/**
 * The loop's entry point (run.ts): `train(ir, config, data, validation, callbacks)`. The data
 * is an in-memory Dataset or a BatchSource (data/batch_source.ts), such as rows on disk.
 */
export type TrainFn = (
  ir: ModelIR,
  config: TrainIR,
  data: Dataset | BatchSource,
  validation: Dataset | BatchSource | null,
  callbacks?: TrainCallbacks,
) => Promise<TrainOutcome>;

/** Estimated bytes for training at `batchSize` (weights, gradients, optimizer state, activations). */
export interface MemoryEstimate {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  total: number;
}
