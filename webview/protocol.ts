// Every message between the extension (client/) and the training panel (webview/), as
// types only, discriminated by `type`. Both sides import this file and nothing else of
// each other, so a renamed field is a compile error on both ends. Data travels as bytes
// (the files the train block names, read by the client) and the Model IR (from the
// server); the panel's worker parses and trains with the engine.

import type { ModelIR } from '../engine/catalog/ir';
import type { TrainIR } from '../engine/catalog/train_ir';
import type { EpochEvent, StepEvent, TrainError } from '../engine/src/train/types';

// The client never imports the engine; the event types it shows reach it through here.
export type { EpochEvent, StepEvent, TrainError };

/** A data file the train block names, read by the client; `path` as the block wrote it, resolved. */
export interface DataFile {
  path: string;
  bytes: Uint8Array;
}

/** The backend the user asked for in settings. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** What the panel shows about where training runs. */
export interface BackendInfo {
  name: 'webgpu' | 'cpu';
  /** The adapter's description ("google / swiftshader"), or why WebGPU was not used. */
  detail: string;
  fallbackReason?: string;
}

/** Per-class results after training, for classifier outputs. */
export interface ClassReport {
  output: string;
  labels: string[];
  /** confusion[actual][predicted] counts on the validation set (training set without one). */
  confusion: number[][];
  precision: number[];
  recall: number[];
  f1: number[];
}

/** A few validation samples with their predictions (images as [H, W, C] floats in [0, 1]). */
export interface SamplePrediction {
  index: number;
  actual: string;
  predicted: string;
  correct: boolean;
  image?: { width: number; height: number; channels: number; pixels: number[] };
}

/** The whole state a restored panel needs to redraw the last run. */
export interface RunSnapshot {
  runId: string;
  model: string;
  sourceUri: string;
  backend: BackendInfo | null;
  steps: { step: number; loss: number }[];
  epochs: EpochEvent[];
  status: 'running' | 'paused' | 'finished' | 'stopped' | 'failed';
  error?: TrainError | { code: string; message: string };
  classes?: ClassReport[];
  samples?: SamplePrediction[];
}

/** Extension → panel. */
export type ToPanel =
  | {
      type: 'start';
      runId: string;
      model: string;
      sourceUri: string;
      ir: ModelIR;
      train: TrainIR;
      files: DataFile[];
      backend: BackendChoice;
      smoothing: number;
    }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'restore'; snapshot: RunSnapshot }
  | { type: 'settings'; smoothing: number };

/** One step's loss, by its epoch and step within the epoch. */
export interface StepPoint {
  epoch: number;
  step: number;
  loss: number;
}

/** Panel → extension. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'backend'; runId: string; info: BackendInfo }
  /**
   * A step, and the loss of every step since the last one posted (`earlier`, in order): the
   * loop reports steps in batches (WebGPU reads the device every 50 steps), and the worker
   * posts at most one message per STEP_POST_MS, so the chart still gets every step's loss.
   */
  | { type: 'step'; runId: string; event: StepEvent; earlier?: StepPoint[] }
  | { type: 'epoch'; runId: string; event: EpochEvent }
  /** Weights to save (safetensors bytes), after each epoch and at the end. */
  | { type: 'weights'; runId: string; epoch: number; final: boolean; bytes: Uint8Array }
  | { type: 'finished'; runId: string; stopped: 'completed' | 'early-stopping' | 'cancelled'; snapshot: RunSnapshot }
  | { type: 'failed'; runId: string; error: TrainError | { code: string; message: string } }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** User actions inside the panel that the extension carries out. */
  | { type: 'request-stop' }
  | { type: 'request-pause' }
  | { type: 'request-resume' }
  /** The Export button, after a run: the extension runs Export Model for the run's model and weights. */
  | { type: 'request-export'; runId: string };
