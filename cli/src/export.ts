// `netspec export FILE --format F [--model NAME] [--weights W] [--out DIR] [--quantize int8]
// [--json]`: checks the model, loads its trained weights (or initialises fresh ones from the
// train block's seed, and says so), hands both to the format's exporter
// (engine/src/export/formats.ts) and writes the files it returns into DIR as a whole.

import { dirname, resolve } from 'node:path';
import type { ModelIR } from '../../engine/catalog/ir';
import { DEFAULT_SEED, type TrainIR } from '../../engine/catalog/train_ir';
import { formatDataError } from '../../engine/src/data/data_error';
import { loadTrainingData } from '../../engine/src/data/load';
import { EXPORT_FORMATS, type ExportSource, type ValidationData } from '../../engine/src/export/types';
import { findExporter } from '../../engine/src/export/formats';
import { Model } from '../../engine/src/model';
import { downloadWeights, loadWeights } from '../../engine/src/train/weights';
import type { NamedArray } from '../../engine/src/train/types';
import { CpuBackend } from '../../engine/src/cpu/backend';
import { setBackend } from '../../engine/src/tensor';
import { parseArgs } from './args';
import { nodeFiles } from './data/node_files';
import { writeExportFolder } from './export_write';
import { readWeightsArg } from './weights_read';
import type { CliIO } from './io';
import { displayPath, EXIT, pickModel } from './model_pick';

export const EXPORT_USAGE = `usage: netspec export FILE --format ${EXPORT_FORMATS.join('|')} [--model NAME] [--weights W] [--out DIR] [--quantize int8] [--json]

Writes the model (and its weights) in another framework's format into the folder DIR
(default: MODEL-FORMAT beside the model file), replacing it as a whole. Without --weights,
the weights are freshly initialised from the train block's seed. docs/export.md describes
each format's files and what it cannot express.

Exit status: 0 done; 1 the model has errors; 2 bad usage, bad weights, a layer the format
cannot express, or a folder that cannot be written (nothing is written then).
`;

export async function runExport(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['json', 'help'], values: ['format', 'model', 'weights', 'out', 'quantize'] });
  if (!parsed.ok) {
    io.err(`netspec export: ${parsed.message}\n${EXPORT_USAGE}`);
    return EXIT.usage;
  }
  const { positional, booleans, values } = parsed.args;
  if (booleans.has('help')) {
    io.out(EXPORT_USAGE);
    return EXIT.ok;
  }
  const format = values.get('format');
  if (positional.length !== 1 || !format) {
    io.err(`netspec export: ${positional.length !== 1 ? 'give one model file' : '--format is required'}\n${EXPORT_USAGE}`);
    return EXIT.usage;
  }
  const exporter = findExporter(format);
  if (!exporter) {
    io.err(`netspec export: unknown format '${format}'; the formats are ${EXPORT_FORMATS.join(', ')}\n`);
    return EXIT.usage;
  }
  const quantizeArg = values.get('quantize');
  if (quantizeArg !== undefined && quantizeArg !== 'int8') {
    io.err(`netspec export: --quantize takes int8, not '${quantizeArg}'\n`);
    return EXIT.usage;
  }
  if (quantizeArg && !exporter.quantizes) {
    io.err(`netspec export: --quantize int8 applies to the onnx format, not ${format}\n`);
    return EXIT.usage;
  }

  // The weights first: they name the model when the file has several.
  const weightsArg = values.get('weights');
  let fileArrays: NamedArray[] | null = null;
  let metadata: Record<string, string> = {};
  if (weightsArg) {
    const read = await readWeightsArg(weightsArg, io);
    if (!read.ok) return read.status;
    fileArrays = read.value.arrays;
    metadata = read.value.metadata;
  }
  const picked = await pickModel(positional[0], io, 'export', values.get('model') ?? metadata.model);
  if (!picked.ok) return picked.status;
  const { ir, train, path } = picked.value;

  // Weights in the model's order: the file's, checked against the model, or fresh ones.
  setBackend(new CpuBackend());
  const built = Model.build(ir, train?.seed ?? DEFAULT_SEED);
  if (!built.ok) {
    io.err(`netspec export: error: ${built.error.message}\n`);
    return EXIT.usage;
  }
  if (fileArrays) {
    const loaded = loadWeights(built.model, fileArrays);
    if (!loaded.ok) {
      io.err(`${weightsArg}: error: ${loaded.message}\n`);
      return EXIT.usage;
    }
  }
  const weights = await downloadWeights(built.model);
  const source: ExportSource = { model: ir, train, weights, trained: fileArrays !== null, metadata, modelFile: path };
  const quantize = quantizeArg === 'int8' ? 'int8' : null;
  const validation = quantize && train?.data ? () => validationData(train, ir, path, io) : undefined;
  const outcome = await exporter.run(source, { quantize, validation });
  if (!outcome.ok) {
    const where = outcome.error.line !== undefined ? `${displayPath(path, io.cwd)}:${outcome.error.line + 1}:1: ` : `${displayPath(path, io.cwd)}: `;
    io.err(`${where}error: ${outcome.error.message}\n`);
    return EXIT.usage;
  }
  const out = values.get('out') ? resolve(io.cwd, values.get('out')!) : resolve(dirname(path), `${ir.name}-${format}`);
  const written = await writeExportFolder(out, outcome.files);
  if (!written.ok) {
    io.err(`netspec export: error: ${written.message}\n`);
    return EXIT.usage;
  }
  const notes = fileArrays ? outcome.notes : ['no --weights given: the weights are freshly initialised', ...outcome.notes];
  if (booleans.has('json')) {
    io.out(`${JSON.stringify({ format, model: ir.name, out, trained: fileArrays !== null, bytes: written.bytes, files: outcome.files.map((f) => f.path), notes, ...outcome.report })}\n`);
  } else {
    for (const n of notes) io.err(`note: ${n}\n`);
    io.out(`exported ${ir.name} as ${format} to ${displayPath(out, io.cwd)} (${outcome.files.length} file(s), ${written.bytes} bytes)\n`);
  }
  return EXIT.ok;
}

/** The train block's validation data (its training data when it holds none out) for int8's accuracy change, and its training data for calibration. */
async function validationData(train: TrainIR, ir: ModelIR, path: string, io: CliIO): Promise<ValidationData> {
  const loaded = await loadTrainingData(train, ir, nodeFiles);
  if (!loaded.ok) return { ok: false, message: formatDataError({ ...loaded.error, file: displayPath(loaded.error.file || path, io.cwd) }) };
  const { validation, train: data } = loaded.value;
  return validation
    ? { ok: true, data: validation, what: 'the validation data', calibration: data }
    : { ok: true, data, what: 'the training data (no validation set)', calibration: data };
}
