// One training run inside the panel's worker, with everything that touches the outside
// passed in (posting messages, the WebGPU backend, gunzip, the clock), so the same code runs
// in a browser worker, in the extension host's training process (cli/src/train_child.ts,
// which picks the backend itself) and in a Node test on the CPU backend. It picks the
// backend (or declines a `gpu-hardware` run without a hardware adapter), prepares
// the data from the bytes the client read, trains, posts throttled step events (with the
// memory in use), each
// epoch's metrics and weights (safetensors bytes, transferred), and at the end the class
// report and sample predictions. Nothing throws out of `start`: every failure is posted as
// `failed` with a message.

import type { ModelIR } from '../../engine/catalog/ir';
import type { TrainIR } from '../../engine/catalog/train_ir';
import { weightsMetadata } from '../../engine/catalog/weights_file';
import type { Backend } from '../../engine/src/backend';
import { CpuBackend } from '../../engine/src/cpu/backend';
import { formatDataError } from '../../engine/src/data/data_error';
import { memoryFiles, type DataFiles } from '../../engine/src/data/files';
import { loadTrainingData } from '../../engine/src/data/load';
import { encodeSafetensors } from '../../engine/src/io/safetensors';
import { memory, setBackend } from '../../engine/src/tensor';
import { predict } from '../../engine/src/train/predict';
import { train } from '../../engine/src/train/run';
import { createWasmBackend } from '../../engine/src/wasm/backend';
import type { Dataset } from '../../engine/src/data/dataset';
import type { EpochEvent, NamedArray, StepEvent } from '../../engine/src/train/types';
import type { BackendInfo, ClassReport, FromPanel, MemoryUsage, RunnerBackend, RunPlace, RunSnapshot, SamplePrediction, StepPoint, ToPanel } from '../protocol';
import { PauseGate } from './pause_gate';
import { classReport, samplePredictions } from './report';

export type StartMessage = Extract<ToPanel, { type: 'start' }>;

export interface WorkerDeps {
  post(msg: FromPanel, transfer?: ArrayBuffer[]): void;
  /** WebGPU from the worker's navigator: a backend with its adapter, or why there is none. */
  webgpu(): Promise<{ ok: true; backend: GpuBackend } | { ok: false; reason: string }>;
  /** Where the runner lives: the panel's worker (default) or the extension host's child. */
  place?: RunPlace;
  /** Replaces pickBackend (the extension host's child picks with the CLI's rule). */
  pick?(choice: RunnerBackend): Promise<Picked>;
  gunzip(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** PNG or JPEG to RGBA for images(DIR) data; absent where the host has no decoder. */
  decodeImage?: DataFiles['decodeImage'];
  now(): number;
  /** The process's resident set size in bytes, where the host can tell (Node). */
  rss?(): number;
}

/** A WebGPU backend with what pickBackend reads of its adapter. */
export type GpuBackend = Backend & { description?: string; software?: boolean; dispose?(): void };

/** The backend a runner trains on, or why it declined (a `gpu-hardware` run without a hardware adapter). */
export type Picked = { backend: Backend; info: BackendInfo } | { declined: string };

/** The engine's memory counters and the process's RSS, for the panel's memory line. */
export function memoryUsage(gpu: boolean, rss?: () => number): MemoryUsage {
  const m = memory();
  const usage: MemoryUsage = { tensorBytes: m.liveBytes, backendBytes: m.allocatedBytes, gpu };
  if (rss) usage.rssBytes = rss();
  return usage;
}

/** At most one step event per this many ms (about 20 a second), plus each epoch's last. */
export const STEP_POST_MS = 50;
/** The report predicts on at most this many samples, so a large validation set stays quick. */
const REPORT_SAMPLES = 2000;

/**
 * The backend for `choice`: WebGPU when asked (or auto) and an adapter exists, else the CPU
 * with why: the WebAssembly SIMD kernels (one thread) when they load, else the JavaScript
 * reference. Asking for `cpu` gives the JavaScript reference, as `--backend cpu` does.
 */
export async function pickBackend(choice: Exclude<RunnerBackend, 'gpu-hardware'>, deps: Pick<WorkerDeps, 'webgpu'>): Promise<{ backend: Backend; info: BackendInfo }> {
  const cpu = (fallbackReason?: string) => ({
    backend: new CpuBackend() as Backend,
    info: { name: 'cpu', detail: fallbackReason ? `CPU (JavaScript); ${fallbackReason}` : 'CPU (JavaScript)', fallbackReason } as BackendInfo,
  });
  if (choice === 'cpu') return cpu();
  if (choice === 'wasm') {
    const wasm = createWasmBackend();
    return wasm.ok ? { backend: wasm.backend, info: { name: 'cpu', detail: 'CPU (WebAssembly SIMD)' } } : cpu(`no WebAssembly SIMD: ${wasm.reason}`);
  }
  const gpu = await tryWebGpu(deps);
  if (gpu.ok) return { backend: gpu.backend, info: { name: 'webgpu', detail: gpu.backend.description ?? 'WebGPU' } };
  const wasm = createWasmBackend();
  if (wasm.ok) return { backend: wasm.backend, info: { name: 'cpu', detail: `CPU (WebAssembly SIMD); ${gpu.reason}`, fallbackReason: gpu.reason } };
  return cpu(gpu.reason);
}

async function tryWebGpu(deps: Pick<WorkerDeps, 'webgpu'>): ReturnType<WorkerDeps['webgpu']> {
  try {
    return await deps.webgpu();
  } catch (e) {
    return { ok: false, reason: `WebGPU failed to start: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * `gpu-hardware`, the automatic choice's second try: the panel's WebGPU on a hardware
 * adapter, or a decline saying why (a software adapter counts as none, as in the CLI).
 */
export async function pickHardwareGpu(deps: Pick<WorkerDeps, 'webgpu'>): Promise<Picked> {
  const gpu = await tryWebGpu(deps);
  if (!gpu.ok) return { declined: gpu.reason };
  if (gpu.backend.software) {
    gpu.backend.dispose?.();
    return { declined: `its only WebGPU adapter (${gpu.backend.description ?? 'unknown'}) is a software renderer, slower than the CPU` };
  }
  return { backend: gpu.backend, info: { name: 'webgpu', detail: gpu.backend.description ?? 'WebGPU' } };
}

/** The weights as safetensors bytes with the metadata `netspec predict` reads back (engine/catalog/weights_file.ts). */
function safetensors(arrays: NamedArray[], model: string, data: Dataset, epoch: number): Uint8Array {
  return encodeSafetensors(arrays, weightsMetadata(model, data.labels, epoch, data.vocab));
}

/** The first `n` samples of a dataset (views, no copies). */
export function headOf(data: Dataset, n: number): Dataset {
  if (data.count <= n) return data;
  const cut = (set: Dataset['inputs']) =>
    Object.fromEntries(
      Object.entries(set).map(([k, v]) => {
        const per = v.sampleShape.reduce((a, b) => a * b, 1);
        return [k, { sampleShape: v.sampleShape, data: v.data.subarray(0, n * per) }];
      }),
    );
  return { count: n, inputs: cut(data.inputs), targets: cut(data.targets), labels: data.labels, vocab: data.vocab };
}

/** Class reports and sample predictions for every classifier output of `ir` on `data`. */
export async function buildReport(ir: ModelIR, weights: NamedArray[], data: Dataset, batchSize: number): Promise<{ classes: ClassReport[]; samples: SamplePrediction[] } | string> {
  const subset = headOf(data, REPORT_SAMPLES);
  const out = await predict(ir, weights, { count: subset.count, inputs: subset.inputs }, Math.max(batchSize, 64));
  if (!out.ok) return out.message;
  const classes: ClassReport[] = [];
  let samples: SamplePrediction[] = [];
  const only = ir.inputs.length === 1 ? subset.inputs[ir.inputs[0].name] : undefined;
  for (const o of ir.outputs) {
    const target = subset.targets[o.name];
    const rows = out.outputs[o.name]?.rows;
    if (!target || !rows || target.sampleShape.reduce((a, b) => a * b, 1) !== 1) continue;
    const p = { output: o.name, rows, targets: target.data, labels: data.labels?.[o.name] ?? null };
    const report = classReport(p);
    if (!report) continue;
    classes.push(report);
    if (samples.length === 0) samples = samplePredictions(p, only ?? null);
  }
  return { classes, samples };
}

/**
 * The epoch's event with the time it spent paused taken out: the loop times an epoch from
 * its first step to its end, pauses included, so samples/s would otherwise fall while paused.
 */
export function withoutPause(e: EpochEvent, pausedMs: number): EpochEvent {
  if (!(pausedMs > 0)) return e;
  const seconds = Math.max(e.seconds - pausedMs / 1000, 1e-9);
  return { ...e, seconds, samplesPerSecond: (e.samplesPerSecond * e.seconds) / seconds };
}

/** Runs one training run per `start`; `stop`, `pause` and `resume` steer it. */
export class WorkerRun {
  private readonly gate = new PauseGate();
  private stopRequested = false;
  private running = false;
  /** Milliseconds held at the pause gate since the last epoch ended. */
  private pausedMs = 0;

  constructor(private readonly deps: WorkerDeps) {}

  /** Handles a message from the page; unknown messages are ignored. */
  handle(msg: { type: string }): void {
    switch (msg.type) {
      case 'start':
        void this.start(msg as StartMessage);
        break;
      case 'stop':
        this.stopRequested = true;
        this.gate.open();
        break;
      case 'pause':
        if (this.running) this.gate.close();
        break;
      case 'resume':
        this.gate.open();
        break;
    }
  }

  async start(msg: StartMessage): Promise<void> {
    const { deps } = this;
    const fail = (code: string, message: string) => deps.post({ type: 'failed', runId: msg.runId, error: { code, message } });
    if (this.running) {
      fail('busy', 'a run is already going in this worker');
      return;
    }
    this.running = true;
    this.stopRequested = false;
    this.gate.open();
    try {
      await this.run(msg);
    } catch (e) {
      fail('internal', `the training worker failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
    }
  }

  private async holdWhilePaused(): Promise<void> {
    if (!this.gate.paused) return;
    const t0 = this.deps.now();
    await this.gate.pass();
    this.pausedMs += this.deps.now() - t0;
  }

  private async run(msg: StartMessage): Promise<void> {
    const { deps } = this;
    const runId = msg.runId;
    const ir: ModelIR = msg.ir;
    const config: TrainIR = msg.train;
    const choice = msg.backend;
    const chosen: Picked = deps.pick ? await deps.pick(choice) : choice === 'gpu-hardware' ? await pickHardwareGpu(deps) : await pickBackend(choice, deps);
    if ('declined' in chosen) {
      deps.post({ type: 'declined', runId, reason: chosen.declined });
      return;
    }
    const picked = { backend: chosen.backend, info: { ...chosen.info, place: deps.place ?? 'panel' } };
    setBackend(picked.backend);
    deps.post({ type: 'backend', runId, info: picked.info });
    if (picked.info.fallbackReason) deps.post({ type: 'log', level: 'warn', message: `training on the CPU: ${picked.info.fallbackReason}` });

    const files = new Map(msg.files.map((f) => [f.path, f.bytes] as [string, Uint8Array]));
    // The bytes the extension read, loaded exactly as `netspec train` loads them from disk.
    const prepared = await loadTrainingData(config, ir, memoryFiles(files, (b) => deps.gunzip(b), deps.decodeImage));
    if (!prepared.ok) {
      deps.post({ type: 'failed', runId, error: { code: prepared.error.code, message: formatDataError(prepared.error) } });
      return;
    }
    const { train: data, validation } = prepared.value;

    let lastPost = -Infinity;
    // Steps not posted yet: their losses go with the next post, so the chart misses none.
    let earlier: StepPoint[] = [];
    const onStep = (e: StepEvent) => {
      const t = deps.now();
      if (t - lastPost < STEP_POST_MS && e.step !== e.stepsPerEpoch && !(e.epoch === 1 && e.step === 1)) {
        earlier.push({ epoch: e.epoch, step: e.step, loss: e.loss });
        return;
      }
      lastPost = t;
      const usage = memoryUsage(picked.info.name === 'webgpu', deps.rss);
      deps.post(earlier.length ? { type: 'step', runId, event: e, earlier, memory: usage } : { type: 'step', runId, event: e, memory: usage });
      earlier = [];
    };
    // The epochs as posted (paused time taken out), for the final snapshot.
    const epochs: EpochEvent[] = [];
    this.pausedMs = 0;
    const outcome = await train(ir, config, data, validation, {
      onStep,
      onEpoch: async (raw, weights) => {
        const e = withoutPause(raw, this.pausedMs);
        this.pausedMs = 0;
        epochs.push(e);
        deps.post({ type: 'epoch', runId, event: e });
        const bytes = safetensors(await weights(), ir.name, data, e.epoch);
        deps.post({ type: 'weights', runId, epoch: e.epoch, final: false, bytes }, [bytes.buffer as ArrayBuffer]);
      },
      shouldStop: () => this.stopRequested,
      beforeStep: () => this.holdWhilePaused(),
    });
    if (!outcome.ok) {
      deps.post({ type: 'failed', runId, error: outcome.error });
      return;
    }
    const result = outcome.result;
    const snapshot: RunSnapshot = {
      runId, model: msg.model, sourceUri: msg.sourceUri, backend: picked.info, steps: [], epochs: epochs.length === result.epochs.length ? epochs : result.epochs,
      status: result.stopped === 'cancelled' ? 'stopped' : 'finished',
    };
    if (result.epochs.length > 0) {
      const epoch = result.stopped === 'cancelled' ? result.epochs.length : result.bestEpoch;
      const bytes = safetensors(result.weights, ir.name, data, epoch);
      deps.post({ type: 'weights', runId, epoch, final: true, bytes }, [bytes.buffer as ArrayBuffer]);
      const report = await buildReport(ir, result.weights, validation ?? data, config.batchSize);
      if (typeof report === 'string') deps.post({ type: 'log', level: 'warn', message: `no class report: ${report}` });
      else Object.assign(snapshot, report);
    }
    deps.post({ type: 'finished', runId, stopped: result.stopped, snapshot });
  }
}
