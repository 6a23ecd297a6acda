// The run-record contract (docs/runs.md): every training run, from the editor or from
// `netspec train`, leaves a small folder beside the model — its settings and outcome
// (run.json), every step's loss (steps.jsonl), every epoch's metrics (epochs.jsonl), the
// class report (report.json) and its weights (weights.safetensors) — so runs can be listed,
// compared and overlaid later. Here: the names, the JSON shapes, and a writer over an
// injected file system (Node's fs in the CLI and the extension host). It imports only the
// train settings' types, so the client uses it without reaching the engine.

import type { TrainIR } from './train_ir';

export const RUN_FORMAT = 'netspec-run/1';
/** The default runs folder's name, beside the model file. */
export const RUNS_FOLDER = 'netspec-runs';
export const RUN_FILES = { run: 'run.json', steps: 'steps.jsonl', epochs: 'epochs.jsonl', report: 'report.json', weights: 'weights.safetensors' } as const;

/** The settings a run trained with, as people compare them (the train block, lowered). */
export interface RunSettings {
  epochs: number;
  batchSize: number;
  optimizer: string;
  lr: number | null;
  optimizerArgs: Record<string, number | boolean>;
  loss: string | Record<string, string>;
  validation: number | string | null;
  seed: number | null;
  earlyStopping: number | null;
  schedule: string | null;
  regularizer: string | null;
  data: string | null;
}

/** What a run ran on: the device and where (the panel, the extension host, or the command line). */
export interface RunDevice {
  name: string;
  detail: string;
  place?: 'panel' | 'host' | 'cli';
}

export interface RunEpochLine {
  epoch: number;
  metrics: Record<string, number>;
  lr: number;
  samplesPerSecond: number;
  seconds: number;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  /** The folder's name, unique among the model's runs. */
  id: string;
  /** What the run is called in lists (the date until renamed). */
  name: string;
  model: string;
  /** The model file, absolute. */
  source: string;
  /** Where the run started: the editor or `netspec train`. */
  tool: 'editor' | 'cli';
  createdAt: string;
  endedAt: string | null;
  durationMs: number | null;
  status: 'running' | 'finished' | 'stopped' | 'failed';
  device: RunDevice | null;
  settings: RunSettings;
  epochsDone: number;
  /** The best epoch (lowest validation loss, else training loss) and its metrics. */
  best: { epoch: number; metrics: Record<string, number> } | null;
  firstPointMs: number | null;
  error: { code: string; message: string } | null;
  /** The id of the run this one re-ran with the same settings (the runs list's Re-run); absent otherwise. */
  rerunOf?: string;
}

/** The file operations a writer needs (absolute paths, '/' separated joins). */
export interface RunFs {
  mkdir(path: string): Promise<void>;
  /** Writes the whole file through a temporary file and a rename. */
  writeAtomic(path: string, data: Uint8Array | string): Promise<void>;
  append(path: string, text: string): Promise<void>;
}

export function runSettingsOf(train: TrainIR): RunSettings {
  const lr = train.optimizer.args.lr;
  const v = train.validation;
  return {
    epochs: train.epochs,
    batchSize: train.batchSize,
    optimizer: train.optimizer.name,
    lr: typeof lr === 'number' ? lr : null,
    optimizerArgs: { ...train.optimizer.args },
    loss: train.loss,
    validation: v === null || typeof v === 'number' ? v : (v.path ?? v.kind),
    seed: train.seed,
    earlyStopping: train.earlyStopping,
    schedule: train.schedule ? `${train.schedule.name}(${Object.entries(train.schedule.args).map(([k, x]) => `${k}=${x}`).join(', ')})` : null,
    regularizer: train.regularizer ? `${train.regularizer.name}(l1=${train.regularizer.l1}, l2=${train.regularizer.l2})` : null,
    data: train.data?.path ?? (train.data?.files ? Object.values(train.data.files).join(', ') : null),
  };
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** A run folder's name: the start time (local, sortable) and a short unique part: 20261205-221300-a1b2. */
export function runFolderName(date: Date, unique: string): string {
  const d = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  const t = `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `${d}-${t}-${unique.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'run'}`;
}

/** The folder of a model's runs inside a runs folder: one per model name, safe as a file name. */
export function modelRunsFolder(runsFolder: string, model: string): string {
  const safe = model.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+$/, '_') || 'model';
  return `${runsFolder.replace(/[\\/]+$/, '')}/${safe}`;
}

/** The best epoch: the lowest val_loss when there is one, else the lowest loss. */
export function bestEpoch(epochs: readonly RunEpochLine[]): RunRecord['best'] {
  let best: RunEpochLine | null = null;
  const key = epochs.some((e) => Number.isFinite(e.metrics.val_loss)) ? 'val_loss' : 'loss';
  for (const e of epochs) {
    const v = e.metrics[key];
    if (Number.isFinite(v) && (best === null || v < best.metrics[key])) best = e;
  }
  return best ? { epoch: best.epoch, metrics: { ...best.metrics } } : null;
}

/** Steps are kept in memory until this many, then appended to steps.jsonl in one write. */
const STEP_FLUSH = 256;

/**
 * Writes one run's folder as the run goes: run.json at the start and the end (atomically),
 * steps and epochs appended as lines, the report and the weights at the end (the weights
 * after each epoch too, so a crashed run keeps its last finished epoch). A failing write is
 * reported once through `onError` and recording stops; the run itself goes on.
 */
export class RunWriter {
  private steps: string[] = [];
  private readonly epochs: RunEpochLine[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failed = false;
  private readonly started: number;

  constructor(
    private readonly fs: RunFs,
    readonly folder: string,
    readonly record: RunRecord,
    private readonly onError: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.queue(async () => {
      await fs.mkdir(folder);
      await fs.writeAtomic(this.path('run'), json(record));
    });
  }

  private path(file: keyof typeof RUN_FILES): string {
    return `${this.folder}/${RUN_FILES[file]}`;
  }

  private queue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await work();
      } catch (e) {
        this.failed = true;
        this.onError(`the run could not be recorded in ${this.folder}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    return this.chain;
  }

  device(device: RunDevice): void {
    this.record.device = device;
  }

  firstPoint(ms: number): void {
    this.record.firstPointMs = ms;
  }

  step(epoch: number, step: number, loss: number): void {
    this.steps.push(JSON.stringify({ epoch, step, loss: Number.isFinite(loss) ? loss : String(loss) }));
    if (this.steps.length >= STEP_FLUSH) this.flushSteps();
  }

  private flushSteps(): void {
    if (this.steps.length === 0) return;
    const text = this.steps.join('\n') + '\n';
    this.steps = [];
    void this.queue(() => this.fs.append(this.path('steps'), text));
  }

  epoch(e: RunEpochLine): void {
    const line: RunEpochLine = { epoch: e.epoch, metrics: e.metrics, lr: e.lr, samplesPerSecond: e.samplesPerSecond, seconds: e.seconds };
    this.epochs.push(line);
    this.record.epochsDone = this.epochs.length;
    this.record.best = bestEpoch(this.epochs);
    this.flushSteps();
    void this.queue(async () => {
      await this.fs.append(this.path('epochs'), JSON.stringify(line) + '\n');
      await this.fs.writeAtomic(this.path('run'), json(this.record));
    });
  }

  weights(bytes: Uint8Array): void {
    void this.queue(() => this.fs.writeAtomic(this.path('weights'), bytes));
  }

  /** The end: the report (when there is one) and run.json with the outcome; resolves once all is written. */
  end(status: RunRecord['status'], error: RunRecord['error'], report?: unknown): Promise<void> {
    this.flushSteps();
    Object.assign(this.record, { status, error, endedAt: new Date(this.now()).toISOString(), durationMs: Math.round(this.now() - this.started) });
    if (report !== undefined) void this.queue(() => this.fs.writeAtomic(this.path('report'), json(report)));
    return this.queue(() => this.fs.writeAtomic(this.path('run'), json(this.record)));
  }
}

function json(x: unknown): string {
  return JSON.stringify(x, null, 2) + '\n';
}

/** A new record for a run starting now. */
export function newRunRecord(args: { id: string; model: string; source: string; tool: RunRecord['tool']; train: TrainIR; date: Date; rerunOf?: string }): RunRecord {
  const record: RunRecord = {
    format: RUN_FORMAT,
    id: args.id,
    name: args.date.toLocaleString('sv-SE').slice(0, 16),
    model: args.model,
    source: args.source,
    tool: args.tool,
    createdAt: args.date.toISOString(),
    endedAt: null,
    durationMs: null,
    status: 'running',
    device: null,
    settings: runSettingsOf(args.train),
    epochsDone: 0,
    best: null,
    firstPointMs: null,
    error: null,
  };
  if (args.rerunOf !== undefined) record.rerunOf = args.rerunOf;
  return record;
}
