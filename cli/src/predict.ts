// `netspec predict FILE --weights W --data SOURCE_FILE [--json]` (spec §7): rebuilds the
// model from FILE, loads the safetensors weights that `netspec train` wrote, reads the
// features of SOURCE_FILE the way the train block reads its data (targets, if present, are
// ignored; a text column becomes word ids under the vocabulary saved with the weights), and
// prints one prediction per sample. A classifier output (cross_entropy) also
// gets "class": the label string when training saw string labels, else the class index.
// With --report it prints one JSON object instead (predict_report.ts): the first rows and,
// when the file holds the targets, the metrics and confusion matrices (Predict on a file).
// Weights with a NaN or infinite value, or labels metadata that does not fit the model, are
// refused (exit 2) before any data is read, with a message that names the weights file.

import { resolve } from 'node:path';
import type { ModelIR } from '../../engine/catalog/ir';
import { predict, type OutputRows } from '../../engine/src/train/predict';
import { parseArgs } from './args';
import { loadDataset, predictionSource } from '../../engine/src/data/load';
import { nodeFiles } from './data/node_files';
import { outputSlots } from '../../engine/src/data/model_fit';
import type { CliIO } from './io';
import { chooseBackend, EXIT, pickModel, printDataError } from './model_pick';
import { parseLabelsMetadata, parseVocabMetadata } from './weights_labels';
import { readWeightsArg } from './weights_read';
import { predictionReport } from './predict_report';

export const PREDICT_USAGE = `usage: netspec predict FILE --weights W --data SOURCE_FILE [--model NAME] [--backend webgpu|wasm|cpu] [--json | --report]

Runs a trained model on the features of SOURCE_FILE (.csv, .json, .npy or an IDX images
file), read the way the model's train block reads its data; target columns are ignored.
With --json, prints one object per sample and line:
  {"index": i, "outputs": {"NAME": [values...]}, "class": LABEL_OR_INDEX}
("class" only for a classifier output; an object by output name when there are several).
With --report, prints one object: {"model", "data", "count", "rows": the first 20 samples,
"metrics" and "classes" (confusion matrices)}; metrics and classes when SOURCE_FILE holds
the targets too.
The backend defaults to cpu here.

Exit status: 0 done; 1 the model has errors; 2 bad usage, bad weights or bad data.
`;

const BATCH = 256;

function argmax(v: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (v[start + i] > v[start + best]) best = i;
  return best;
}

/** The lines of output: JSON objects or plain text, one per sample. */
export function formatPredictions(
  ir: ModelIR,
  outputs: Record<string, OutputRows>,
  count: number,
  classifiers: Set<string>,
  labels: Record<string, string[] | null>,
  json: boolean,
): string[] {
  const lines: string[] = [];
  const round = (x: number) => Number(x.toPrecision(7));
  for (let i = 0; i < count; i++) {
    const outs: Record<string, number[]> = {};
    const classes: Record<string, string | number> = {};
    for (const o of ir.outputs) {
      const row = outputs[o.name].rows[i];
      outs[o.name] = Array.from(row, round);
      if (classifiers.has(o.name)) {
        const k = argmax(row, 0, row.length);
        classes[o.name] = labels[o.name]?.[k] ?? k;
      }
    }
    const names = Object.keys(classes);
    const cls = names.length === 0 ? undefined : names.length === 1 ? classes[names[0]] : classes;
    if (json) {
      lines.push(JSON.stringify(cls === undefined ? { index: i, outputs: outs } : { index: i, outputs: outs, class: cls }));
    } else {
      const text = Object.entries(outs).map(([k, v]) => `${k}=[${v.map((x) => Number(x.toPrecision(4))).join(', ')}]`);
      const c = names.map((n) => `${names.length > 1 ? `${n} ` : ''}class ${classes[n]}`);
      lines.push(`${i}: ${[...c, ...text].join('  ')}`);
    }
  }
  return lines;
}

export async function runPredict(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['json', 'report', 'help'], values: ['weights', 'data', 'model', 'backend'] });
  if (!parsed.ok) {
    io.err(`netspec predict: ${parsed.message}\n${PREDICT_USAGE}`);
    return EXIT.usage;
  }
  const { positional, booleans, values } = parsed.args;
  if (booleans.has('help')) {
    io.out(PREDICT_USAGE);
    return EXIT.ok;
  }
  const weightsArg = values.get('weights');
  const dataArg = values.get('data');
  if (positional.length !== 1 || !weightsArg || !dataArg) {
    const missing = positional.length !== 1 ? 'give one model file' : !weightsArg ? '--weights W is required' : '--data SOURCE_FILE is required';
    io.err(`netspec predict: ${missing}\n${PREDICT_USAGE}`);
    return EXIT.usage;
  }
  // The weights first: they name the model when the file has several.
  const weights = await readWeightsArg(weightsArg, io);
  if (!weights.ok) return weights.status;
  const { path: weightsPath, arrays, metadata } = weights.value;
  const picked = await pickModel(positional[0], io, 'predict', values.get('model') ?? metadata.model);
  if (!picked.ok) return picked.status;
  const { ir, train } = picked.value;

  const config = train ?? { loss: 'mse' };
  const slots = outputSlots(ir, config, weightsPath);
  const labels = parseLabelsMetadata(metadata.labels, ir, slots.ok ? slots.value : []);
  if (!labels.ok) {
    io.err(`${weightsArg}: error: ${labels.message}\n`);
    return EXIT.usage;
  }
  const vocab = parseVocabMetadata(metadata.vocab, train?.data ?? null);
  if (!vocab.ok) {
    io.err(`${weightsArg}: error: ${vocab.message}\n`);
    return EXIT.usage;
  }
  const source = predictionSource(resolve(io.cwd, dataArg), train?.data ?? null);
  if (!source.ok) {
    printDataError(source.error, io, 'predict');
    return EXIT.usage;
  }
  // A report scores the predictions when the file has the targets: read them if it does.
  const labelled = booleans.has('report') ? await loadDataset(source.value, ir, { config, targets: 'required', labels: labels.value, vocab: vocab.value, files: nodeFiles }) : undefined;
  const data = labelled?.ok ? labelled : await loadDataset(source.value, ir, { config, targets: 'ignore', labels: labels.value, vocab: vocab.value, files: nodeFiles });
  if (!data.ok) {
    printDataError(data.error, io, 'predict');
    return EXIT.usage;
  }
  const backend = await chooseBackend(values.get('backend') ?? 'cpu', io, 'predict');
  if (!backend.ok) return backend.status;
  const result = await predict(ir, arrays, data.value, BATCH);
  if (!result.ok) {
    io.err(`netspec predict: error: ${result.message}\n`);
    return EXIT.usage;
  }
  const classifiers = new Set(slots.ok ? slots.value.filter((s) => s.kind === 'class' && s.targetSize === 1).map((s) => s.name) : []);
  if (booleans.has('report')) {
    const targets = labelled?.ok ? labelled.value.targets : undefined;
    const report = predictionReport({ model: ir.name, data: dataArg, ir, outputs: result.outputs, count: data.value.count, classifiers, labels: labels.value, targets });
    io.out(JSON.stringify(report) + '\n');
    return EXIT.ok;
  }
  const lines = formatPredictions(ir, result.outputs, data.value.count, classifiers, labels.value, booleans.has('json'));
  if (lines.length) io.out(lines.join('\n') + '\n');
  return EXIT.ok;
}
