// `netspec train`'s run record (engine/catalog/run_record.ts, docs/runs.md), the same
// folder the editor writes, so the editor's runs list shows command-line runs too. The
// folder appears with the run's first step: a run refused for its data leaves nothing.
// A record that cannot be written is said once on stderr; training goes on.

import type { TrainIR } from '../../engine/catalog/train_ir';
import { newRunRecord, RunWriter, type RunDevice, type RunRecord } from '../../engine/catalog/run_record';
import { getBackend } from '../../engine/src/tensor';
import type { EpochEvent, StepEvent, TrainError } from '../../engine/src/train/types';
import type { CliIO } from './io';
import { cliRunFolder, runFs } from './run_record_fs';

/** The device as the runs list shows it, from the backend chooseBackend set. */
function device(kind: 'cpu' | 'wasm' | 'webgpu'): RunDevice {
  const b = getBackend() as { description?: string; threads?: number };
  if (kind === 'webgpu') return { name: 'webgpu', detail: b.description ?? 'WebGPU', place: 'cli' };
  if (kind === 'wasm') return { name: 'cpu', detail: `CPU (WebAssembly SIMD, ${b.threads ?? 1} thread${b.threads === 1 ? '' : 's'})`, place: 'cli' };
  return { name: 'cpu', detail: 'CPU (JavaScript)', place: 'cli' };
}

export class CliRunRecord {
  private writer: RunWriter | null = null;
  private readonly started = Date.now();
  private firstPointMs: number | null = null;

  constructor(
    private readonly modelFile: string,
    private readonly model: string,
    private readonly config: TrainIR,
    private readonly runsOption: string | undefined,
    private readonly kind: 'cpu' | 'wasm' | 'webgpu',
    private readonly io: CliIO,
  ) {}

  private open(): RunWriter {
    if (this.writer) return this.writer;
    const date = new Date(this.started);
    const folder = cliRunFolder(this.modelFile, this.model, this.runsOption, date);
    const record = newRunRecord({ id: folder.split(/[\\/]/).pop()!, model: this.model, source: this.modelFile, tool: 'cli', train: this.config, date });
    record.device = device(this.kind);
    this.writer = new RunWriter(runFs, folder, record, (message) => this.io.err(`netspec train: ${message}\n`), Date.now);
    return this.writer;
  }

  step(e: StepEvent): void {
    if (this.firstPointMs === null) this.firstPointMs = Date.now() - this.started;
    this.open().step(e.epoch, e.step, e.loss);
  }

  epoch(e: EpochEvent, weights: Uint8Array): void {
    const w = this.open();
    w.epoch(e);
    w.weights(weights);
  }

  weights(bytes: Uint8Array): void {
    this.writer?.weights(bytes);
  }

  /** The outcome; nothing when the run never took a step. */
  async end(error: TrainError | { code: string; message: string } | null, stopped: 'completed' | 'early-stopping' | 'cancelled' | null): Promise<void> {
    const w = this.writer;
    if (!w) return;
    if (this.firstPointMs !== null) w.firstPoint(this.firstPointMs);
    const status: RunRecord['status'] = error ? 'failed' : stopped === 'cancelled' ? 'stopped' : 'finished';
    await w.end(status, error ? { code: error.code, message: error.message } : null);
    this.io.err(`netspec train: run recorded in ${w.folder}\n`);
  }
}
