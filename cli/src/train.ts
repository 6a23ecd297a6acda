// `netspec train FILE [--model NAME] [--epochs N] [--backend webgpu|cpu] [--out W] [--json]`
// (spec §7): checks the file, loads the data the train block names, trains on the chosen
// backend, and saves safetensors weights. After each epoch the checkpoint is written to
// W.tmp and renamed over W, so W is always a whole file. Ctrl-C stops after the current
// step and keeps the last finished epoch's checkpoint; a second Ctrl-C quits at once.

import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TrainIR } from '../../engine/catalog/train_ir';
import { encodeSafetensors } from '../../engine/src/io/safetensors';
import { train } from '../../engine/src/train/run';
import type { BatchSource, Dataset, EpochEvent, NamedArray, TrainError } from '../../engine/src/train/types';
import { parseArgs } from './args';
import { loadTrainingSources } from '../../engine/src/data/load';
import { deleteRowStoresSync, nodeFiles } from './data/node_files';
import type { CliIO } from './io';
import { checkMemory } from './memory';
import { chooseBackend, defaultWeightsPath, displayPath, EXIT, pickModel, printDataError } from './model_pick';
import { Progress } from './progress';

export const TRAIN_USAGE = `usage: netspec train FILE [--model NAME] [--epochs N] [--backend webgpu|wasm|cpu] [--out W] [--json]

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
Progress goes to stderr (a bar on a terminal, one line per epoch otherwise).
Ctrl-C stops after the current step and keeps the last epoch's checkpoint.

Exit status: 0 trained; 1 the model has errors; 2 bad usage, bad data, or the
backend is unavailable; 3 training failed (NaN loss, out of memory, device lost);
130 interrupted (Ctrl-C).
`;

/** The safetensors metadata that predict reads back: the model and each output's labels. */
export function weightsMetadata(model: string, data: Pick<Dataset, 'labels'>, epoch: number): Record<string, string> {
  return { format: 'netspec', model, labels: JSON.stringify(data.labels ?? {}), epoch: String(epoch) };
}

/** Writes W.tmp and renames it over W, so a reader never sees half a file. */
export async function writeWeightsAtomic(path: string, arrays: NamedArray[], metadata: Record<string, string>): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, encodeSafetensors(arrays, metadata));
  await rename(tmp, path);
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
  const parsed = parseArgs(argv, { booleans: ['json', 'help'], values: ['model', 'epochs', 'backend', 'out'] });
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

  // Ctrl-C while the data loads quits at once; the exit hook deletes any temporary row file.
  const onLoadSigint = () => process.exit(EXIT.interrupted);
  process.on('SIGINT', onLoadSigint);
  const data = await loadTrainingSources(config, ir, nodeFiles, dataBudgetBytes());
  process.off('SIGINT', onLoadSigint);
  if (!data.ok) {
    printDataError(data.error, io, 'train');
    return EXIT.usage;
  }
  if ('kind' in data.value.train && !data.value.train.dataset) {
    io.err(`netspec train: the data's arrays exceed NETSPEC_DATA_BUDGET_MB (${dataBudgetBytes() / 1024 / 1024} MB); training from rows read from disk\n`);
  }
  try {
    return await trainLoaded(ir, config, path, data.value, booleans, values, io);
  } finally {
    await data.value.release();
    deleteRowStoresSync();
  }
}

async function trainLoaded(
  ir: Parameters<typeof train>[0],
  config: TrainIR,
  path: string,
  data: { train: Dataset | BatchSource; validation: Dataset | BatchSource | null },
  booleans: Set<string>,
  values: Map<string, string>,
  io: CliIO,
): Promise<number> {
  const memory = checkMemory(ir, config, shapesOnly(data.train));
  if (memory) {
    io.err(`netspec train: error[out-of-memory]: ${memory}\n`);
    return EXIT.trainingFailed;
  }
  const backend = await chooseBackend(values.get('backend'), io, 'train');
  if (!backend.ok) return backend.status;

  const out = values.has('out') ? resolve(io.cwd, values.get('out')!) : defaultWeightsPath(path, ir.name);
  const shown = displayPath(out, io.cwd);
  const json = booleans.has('json');
  const progress = new Progress(config.epochs, { tty: process.stderr.isTTY === true, columns: process.stderr.columns, write: (t) => io.err(t) });
  const { train: trainSet, validation } = data;

  // Ctrl-C: the first asks the loop to stop after this step; the second quits at once.
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      progress.clear();
      io.err('netspec train: stopping after this step (Ctrl-C again to quit now)\n');
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSigint);
  let savedEpoch = 0;
  try {
    const outcome = await train(ir, config, trainSet, validation, {
      onStep: (e) => progress.step(e),
      onEpoch: async (e, weights) => {
        // The checkpoint first, so that a printed epoch always has its weights on disk.
        await writeWeightsAtomic(out, await weights(), weightsMetadata(ir.name, trainSet, e.epoch));
        savedEpoch = e.epoch;
        progress.epoch(e);
        if (json) io.out(`${epochJson(e)}\n`);
      },
      shouldStop: () => interrupts > 0,
    });
    progress.clear();
    if (!outcome.ok) {
      const e = outcome.error;
      const where = e.line !== undefined ? `${displayPath(path, io.cwd)}:${e.line + 1}: ` : '';
      io.err(`${where}error[${e.code}]: ${e.message}\n`);
      if (savedEpoch > 0) io.err(`netspec train: the checkpoint of epoch ${savedEpoch} is in ${shown}\n`);
      return trainErrorStatus(e);
    }
    const result = outcome.result;
    if (result.stopped === 'cancelled') {
      io.err(savedEpoch > 0 ? `netspec train: interrupted; the checkpoint of epoch ${savedEpoch} is in ${shown}\n` : 'netspec train: interrupted before the first epoch ended; no weights were written\n');
      return EXIT.interrupted;
    }
    // The final weights: the best epoch's when early stopping restored them.
    await writeWeightsAtomic(out, result.weights, weightsMetadata(ir.name, trainSet, result.bestEpoch));
    const how = result.stopped === 'early-stopping' ? `early stopping after epoch ${result.epochs.length}, best epoch ${result.bestEpoch}` : `${result.epochs.length} epoch${result.epochs.length === 1 ? '' : 's'}`;
    io.err(`netspec train: trained ${ir.name} (${how}); weights in ${shown}\n`);
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
