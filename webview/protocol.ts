// Every message between the extension (client/) and the training panel (webview/), as
// types only, discriminated by `type`. Both sides import this file and nothing else of
// each other, so a renamed field is a compile error on both ends. Data travels as bytes
// (the files the train block names, read by the client) and the Model IR (from the
// server); the panel's worker parses and trains with the engine.

import type { ModelIR } from '../engine/catalog/ir';
import type { RunEpochLine, RunRecord } from '../engine/catalog/run_record';
import type { TrainIR } from '../engine/catalog/train_ir';
import type { EpochEvent, StepEvent, TrainError } from '../engine/src/train/types';

// The client never imports the engine; the event types it shows reach it through here.
export type { EpochEvent, RunEpochLine, RunRecord, StepEvent, TrainError };

/** One run's curves for the overlay chart. */
export interface RunCurves {
  id: string;
  name: string;
  epochs: RunEpochLine[];
}

/** A data file the train block names, read by the client; `path` as the block wrote it, resolved. */
export interface DataFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * The backend the user asked for in settings (`netspec.backend`). `webgpu` and `cpu` train in
 * the panel (the webview's WebGPU, the panel's JavaScript CPU); `host-webgpu` and `host-wasm`
 * train in a child process of the extension host (Dawn's adapter, even a software one; the
 * WebAssembly SIMD kernels on every core); `auto` tries a hardware adapter in the extension
 * host, then one in the panel, then the extension host's CPU (client/src/backend_plan.ts).
 */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu' | 'host-webgpu' | 'host-wasm';

/**
 * What a runner (the panel's worker or the extension host's child) is asked to train on.
 * `auto`: WebGPU on any adapter, else the CPU. `gpu-hardware`: WebGPU on a hardware adapter,
 * else the runner declines (a `declined` message) and the extension tries the next place.
 */
export type RunnerBackend = 'auto' | 'webgpu' | 'gpu-hardware' | 'wasm' | 'cpu';

/** Where a run trains: the panel's worker, or a child process of the extension host. */
export type RunPlace = 'panel' | 'host';

/** What the panel shows about where training runs. */
export interface BackendInfo {
  name: 'webgpu' | 'cpu';
  /** The adapter's description ("google / swiftshader"), or why WebGPU was not used. */
  detail: string;
  fallbackReason?: string;
  /** Where the run trains (absent in snapshots of older versions: the panel). */
  place?: RunPlace;
  /** Why this place and device were chosen (the automatic choice's reasons). */
  why?: string;
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

/** One sample's predictions (Predict on a file): each output's values, its class for a classifier. */
export interface PredictedRow {
  index: number;
  outputs: Record<string, { values: number[]; class?: string; actual?: string }>;
}

/** A trained model run on a data file (`netspec predict --report`, spec §7). */
export interface PredictionReport {
  model: string;
  data: string;
  count: number;
  /** The first rows. */
  rows: PredictedRow[];
  /** When the file holds the targets: accuracy of each classifier, mse and mae of each regression. */
  metrics: Record<string, number>;
  /** When the file holds the targets: the class report of each classifier output. */
  classes: ClassReport[];
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
      backend: RunnerBackend;
      smoothing: number;
    }
  /**
   * A run that trains in the extension host: the panel resets and draws the runner's
   * messages, which the extension relays (`relay`); its buttons still post requests.
   * `snapshot`: the run so far, for a panel that reloaded while it trained.
   */
  | { type: 'watch'; runId: string; model: string; sourceUri: string; epochs: number; smoothing: number; snapshot?: RunSnapshot; settings?: string }
  | { type: 'relay'; event: FromPanel }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'restore'; snapshot: RunSnapshot }
  | { type: 'settings'; smoothing: number }
  /** The recorded runs of the model shown (engine/catalog/run_record.ts), newest first. */
  | { type: 'runs'; model: string; runs: RunRecord[] }
  /** The epochs of the runs picked in the list, for the overlay. */
  | { type: 'run-curves'; curves: RunCurves[] }
  /**
   * Predict on a file: the extension is predicting, has predicted, or says why it could not;
   * `runName` for a run picked in the runs list (`runId` is then its record's id).
   */
  | ({ type: 'prediction'; runId: string; runName?: string } & ({ state: 'running'; data: string } | { state: 'done'; report: PredictionReport } | { state: 'failed'; message: string }));

/**
 * Memory in use at a step: bytes in live tensors and bytes the backend holds (live plus
 * pooled for reuse: GPU buffers on WebGPU, arrays on the CPU), engine/src/tensor.ts's
 * counters; and the training process's resident set size where it has one (the extension
 * host's child; a browser worker cannot tell).
 */
export interface MemoryUsage {
  tensorBytes: number;
  backendBytes: number;
  /** True when backendBytes are GPU buffers. */
  gpu: boolean;
  rssBytes?: number;
}

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
  | { type: 'step'; runId: string; event: StepEvent; earlier?: StepPoint[]; memory?: MemoryUsage }
  | { type: 'epoch'; runId: string; event: EpochEvent }
  /** Weights to save (safetensors bytes), after each epoch and at the end. */
  | { type: 'weights'; runId: string; epoch: number; final: boolean; bytes: Uint8Array }
  | { type: 'finished'; runId: string; stopped: 'completed' | 'early-stopping' | 'cancelled'; snapshot: RunSnapshot }
  | { type: 'failed'; runId: string; error: TrainError | { code: string; message: string } }
  /** A `gpu-hardware` run found no hardware adapter: nothing trained, the extension tries elsewhere. */
  | { type: 'declined'; runId: string; reason: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** User actions inside the panel that the extension carries out. */
  | { type: 'request-stop' }
  | { type: 'request-pause' }
  | { type: 'request-resume' }
  /** The Export button, after a run: the extension runs Export Model for the run's model and weights. */
  | { type: 'request-export'; runId: string }
  /** Predict on a file, after a run: the extension asks for a data file and runs the run's weights on it. */
  | { type: 'request-predict'; runId: string }
  /** The Change… button beside the device: the extension offers the values of `netspec.backend`. */
  | { type: 'request-backend' }
  /** Train again: the extension runs Train Model for the run's model. */
  | { type: 'request-train-again'; runId: string }
  /** The runs list: its curves for the runs picked, renaming (the extension asks the name) and deleting (it confirms). */
  | { type: 'request-curves'; ids: string[] }
  | { type: 'request-rename-run'; id: string }
  | { type: 'request-delete-run'; id: string }
  /** Export Model with a recorded run's weights. */
  | { type: 'request-export-run'; id: string }
  /** Predict on a file with a recorded run's weights. */
  | { type: 'request-predict-run'; id: string }
  /** Re-run: train the model as it is now with the recorded run's settings, as a new run. */
  | { type: 'request-rerun-run'; id: string };
