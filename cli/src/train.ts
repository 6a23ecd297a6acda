// `netspec train FILE [--model NAME] [--epochs N] [--backend webgpu|cpu] [--out W] [--json]`
// (spec §7): checks the file, loads the data the train block names, trains on the chosen
// backend, and saves safetensors weights. After each epoch the checkpoint is written
// atomically (weights_file.ts), so W is always a whole file. Ctrl-C, SIGTERM and SIGHUP
// stop after the current step and keep the last finished epoch's checkpoint; a second
// signal quits at once (stop_signals.ts). Either way the temporary files are removed.

import { resolve } from 'node:path';
import type { TrainIR } from '../../engine/catalog/train_ir';
import { defaultWeightsPath, weightsMetadata } from '../../engine/catalog/weights_file';
import { encodeSafetensors } from '../../engine/src/io/safetensors';
import { train } from '../../engine/src/train/run';
import type { BatchSource } from '../../engine/src/data/batch_source';
import type { Dataset } from '../../engine/src/data/dataset';
import type { EpochEvent, NamedArray, TrainError } from '../../engine/src/train/types';
import { parseArgs } from './args';
import { loadTrainingSources } from '../../engine/src/data/load';
import { deleteRowStoresSync, nodeFiles } from './data/node_files';
import type { CliIO } from './io';
import { checkMemory } from './memory';
import { chooseBackend, displayPath, EXIT, pickModel, printDataError } from './model_pick';
import { Progress } from './progress';
import { onStopSignals, STOP_SIGNALS, type StopSignal } from './stop_signals';
import { outputProblem, removeStaleTemps, writeWeightsFile } from './weights_file';
import { CliRunRecord } from './train_record';

export const TRAIN_USAGE = `usage: netspec train FILE [--model NAME] [--epochs N] [--backend webgpu|wasm|cpu] [--out W] [--json] [--runs DIR | --no-runs]

Trains a model as its train block says and writes its weights (safetensors) to W,
by default MODEL.safetensors beside FILE. A checkpoint is saved after every epoch.
  --model NAME      the model to train when FILE has several train blocks
  --epochs N        override the train block's epochs
  --backend B       webgpu, wasm (WebAssembly SIMD on the CPU) or cpu (the TypeScript
                    reference: exact, slow); default webgpu when an adapter exists,
                    else wasm
  --out W           where to write the weights
  --json            one JSON object per epoch on stdout: epoch, loss, metrics,
                    val_ versions, lr, samples_per_s
  --runs DIR        record the run in DIR/MODEL/DATE-TIME-ID (settings, metrics,
                    weights; docs/runs.md); by default netspec-runs beside FILE,
                    where the editor lists runs too
  --no-runs         do not record the run
Progress goes to stderr (a bar on a terminal, one line per epoch otherwise).
Ctrl-C, SIGTERM or SIGHUP stops after the current step and keeps the last
epoch's checkpoint; a second one quits at once. Temporary files are removed.

Exit status: 0 trained; 1 the model has errors; 2 bad usage, bad data, weights
that cannot be written, or the backend is unavailable; 3 training failed (NaN
loss, out of memory, device lost); 130 interrupted (Ctrl-C), 143 stopped by
SIGTERM, 129 stopped by SIGHUP.
`;

/** Encodes the weights with the metadata predict reads back and writes them atomically. */
async function saveWeights(path: string, arrays: NamedArray[], model: string, data: Pick<Dataset, 'labels' | 'vocab'>, epoch: number): Promise<void> {
  await writeWeightsFile(path, encodeSafetensors(arrays, weightsMetadata(model, data.labels, epoch, data.vocab)));
}

/** A write error as the user should read it: the path and the system's code. */
function writeFailure(shown: string, e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return `netspec train: cannot write the weights to ${shown} (${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)})\n`;
}

/**
 * One line of `--json` (spec §7): the epoch, every metric by name, the learning rate of
 * the epoch's last step (`lr`, Netspec's addition), samples per second.
 */
export function epochJson(e: EpochEvent): string {
  return JSON.stringify({ epoch: e.epoch, ...e.metrics, lr: e.lr, samples_per_s: Math.round(e.samplesPerSecond * 10) / 10 });
}

/** The memory budget (bytes) for the data's arrays: NETSPEC_DATA_BUDGET_MB, default 1024 MB. */
export function dataBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.NETSPEC_DATA_BUDGET_MB);
  return (env.NETSPEC_DATA_BUDGET_MB && mb > 0 ? mb : 1024) * 1024 * 1024;
}

/** The input shapes of a source as checkMemory reads them (it looks at nothing else). */
function shapesOnly(data: Dataset | BatchSource): Dataset {
  const inputs = Object.fromEntries(Object.entries(data.inputs).map(([k, s]) => [k, { data: new Float32Array(0), sampleShape: s.sampleShape }]));
  return { count: data.count, inputs, targets: {} };
}

function trainErrorStatus(e: TrainError): number {
  return e.code === 'data-mismatch' || e.code === 'build-error' ? EXIT.usage : EXIT.trainingFailed;
}

function parseEpochs(text: string | undefined, io: CliIO): number | null | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    io.err(`netspec train: --epochs must be a whole number ≥ 1, not '${text}'\n${TRAIN_USAGE}`);
    return null;
  }
  return n;
}

export async function runTrain(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['json', 'help', 'no-runs'], values: ['model', 'epochs', 'backend', 'out', 'runs'] });
  if (!parsed.ok) {
    io.err(`netspec train: ${parsed.message}\n${TRAIN_USAGE}`);
    return EXIT.usage;
  }
  const { positional, booleans, values } = parsed.args;
  if (booleans.has('help')) {
    io.out(TRAIN_USAGE);
    return EXIT.ok;
  }
  if (positional.length !== 1) {
    io.err(`netspec train: ${positional.length === 0 ? 'no model file given' : 'give one model file'}\n${TRAIN_USAGE}`);
    return EXIT.usage;
  }
  const epochs = parseEpochs(values.get('epochs'), io);
  if (epochs === null) return EXIT.usage;

  const picked = await pickModel(positional[0], io, 'train', values.get('model'));
  if (!picked.ok) return picked.status;
  const { ir, path } = picked.value;
  const config: TrainIR = { ...picked.value.train!, epochs: epochs ?? picked.value.train!.epochs };
  // An output that cannot be written fails now, not after the first epoch.
  const out = values.has('out') ? resolve(io.cwd, values.get('out')!) : defaultWeightsPath(path, ir.name);
  const unwritable = await outputProblem(out);
  if (unwritable) {
    io.err(writeFailure(displayPath(out, io.cwd), unwritable));
    return EXIT.usage;
  }

  // A stop signal while the data loads quits at once (the exit hooks delete any temporary
  // row file); once training runs, the first one stops it after the current step.
  const stop: StopState = { signal: null, training: false, onFirst: () => undefined };
  const unlisten = onStopSignals((signal, count) => {
    if (!stop.training || count > 1) process.exit(STOP_SIGNALS[signal]);
    stop.signal = signal;
    stop.onFirst(signal);
  });
  try {
    const data = await loadTrainingSources(config, ir, nodeFiles, dataBudgetBytes());
    if (!data.ok) {
      printDataError(data.error, io, 'train');
      return EXIT.usage;
    }
    if ('kind' in data.value.train && !data.value.train.dataset) {
      io.err(`netspec train: the data's arrays exceed NETSPEC_DATA_BUDGET_MB (${dataBudgetBytes() / 1024 / 1024} MB); training from rows read from disk\n`);
    }
    stop.training = true;
    try {
      return await trainLoaded(ir, config, path, out, data.value, booleans, values, io, stop);
    } finally {
      await data.value.release();
      deleteRowStoresSync();
    }
  } finally {
    unlisten();
  }
}

/** What a stop signal asked for: the first signal seen while training, and what to do then. */
interface StopState {
  signal: StopSignal | null;
  /** False while the data loads (a signal quits at once), true once training may stop gracefully. */
  training: boolean;
  onFirst(signal: StopSignal): void;
}

async function trainLoaded(
  ir: Parameters<typeof train>[0],
  config: TrainIR,
  path: string,
  out: string,
  data: { train: Dataset | BatchSource; validation: Dataset | BatchSource | null },
  booleans: Set<string>,
  values: Map<string, string>,
  io: CliIO,
  stop: StopState,
): Promise<number> {
  const memory = checkMemory(ir, config, shapesOnly(data.train));
  if (memory) {
    io.err(`netspec train: error[out-of-memory]: ${memory}\n`);
    return EXIT.trainingFailed;
  }
  const backend = await chooseBackend(values.get('backend'), io, 'train');
  if (!backend.ok) return backend.status;

  const shown = displayPath(out, io.cwd);
  // Temporary files that killed runs left beside W (a SIGKILL runs no clean-up).
  const stale = await removeStaleTemps(out);
  if (stale.length > 0) io.err(`netspec train: removed ${stale.length} temporary weights file${stale.length === 1 ? '' : 's'} left by stopped runs (${stale.join(', ')})\n`);
  const json = booleans.has('json');
  const progress = new Progress(config.epochs, { tty: process.stderr.isTTY === true, columns: process.stderr.columns, write: (t) => io.err(t) });
  const { train: trainSet, validation } = data;

  // The first stop signal asks the loop to stop after this step; a second quits at once.
  stop.onFirst = (signal) => {
    progress.clear();
    io.err(signal === 'SIGINT' ? 'netspec train: stopping after this step (Ctrl-C again to quit now)\n' : `netspec train: ${signal} received; stopping after this step (send it again to quit now)\n`);
  };
  let savedEpoch = 0;
  let writeError: string | null = null;
  // The run's record starts with its first step, so a run that fails before one leaves no folder.
  const record = booleans.has('no-runs') ? null : new CliRunRecord(path, ir.name, config, values.has('runs') ? resolve(io.cwd, values.get('runs')!) : undefined, backend.value, io);
  const outcome = await train(ir, config, trainSet, validation, {
    onStep: (e) => {
      progress.step(e);
      record?.step(e);
    },
    onEpoch: async (e, weights) => {
      // The checkpoint first, so that a printed epoch always has its weights on disk.
      try {
        const bytes = encodeSafetensors(await weights(), weightsMetadata(ir.name, trainSet.labels, e.epoch, trainSet.vocab));
        await writeWeightsFile(out, bytes);
        record?.epoch(e, bytes);
      } catch (err) {
        writeError = writeFailure(shown, err);
        return;
      }
      savedEpoch = e.epoch;
      progress.epoch(e);
      if (json) io.out(`${epochJson(e)}\n`);
    },
    shouldStop: () => stop.signal !== null || writeError !== null,
  });
  progress.clear();
  // The record keeps the weights the run ends with: the best epoch's when early stopping restored them.
  const writeProblem = writeError as string | null;
  if (outcome.ok && outcome.result.stopped !== 'cancelled' && writeProblem === null) {
    record?.weights(encodeSafetensors(outcome.result.weights, weightsMetadata(ir.name, trainSet.labels, outcome.result.bestEpoch, trainSet.vocab)));
  }
  await record?.end(writeProblem !== null ? { code: 'write-error', message: writeProblem.trim() } : outcome.ok ? null : outcome.error, outcome.ok ? outcome.result.stopped : null);
  if (writeError !== null) {
    io.err(writeError);
    if (savedEpoch > 0) io.err(`netspec train: the checkpoint of epoch ${savedEpoch} is in ${shown}\n`);
    return EXIT.usage;
  }
  if (!outcome.ok) {
    const e = outcome.error;
    const where = e.line !== undefined ? `${displayPath(path, io.cwd)}:${e.line + 1}: ` : '';
    io.err(`${where}error[${e.code}]: ${e.message}\n`);
    if (savedEpoch > 0) io.err(`netspec train: the checkpoint of epoch ${savedEpoch} is in ${shown}\n`);
    return trainErrorStatus(e);
  }
  const result = outcome.result;
  if (result.stopped === 'cancelled') {
    const signal = stop.signal ?? 'SIGINT';
    const what = signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`;
    io.err(savedEpoch > 0 ? `netspec train: ${what}; the checkpoint of epoch ${savedEpoch} is in ${shown}\n` : `netspec train: ${what} before the first epoch ended; no weights were written\n`);
    return STOP_SIGNALS[signal];
  }
  // The final weights: the best epoch's when early stopping restored them.
  try {
    await saveWeights(out, result.weights, ir.name, trainSet, result.bestEpoch);
  } catch (err) {
    io.err(writeFailure(shown, err));
    return EXIT.usage;
  }
  const how = result.stopped === 'early-stopping' ? `early stopping after epoch ${result.epochs.length}, best epoch ${result.bestEpoch}` : `${result.epochs.length} epoch${result.epochs.length === 1 ? '' : 's'}`;
  io.err(`netspec train: trained ${ir.name} (${how}); weights in ${shown}\n`);
  return EXIT.ok;
}
