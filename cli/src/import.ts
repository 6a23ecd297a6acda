// `netspec import FILE [--out FILE.netspec] [--weights W] [--json]`: reads a Keras model
// (to_json() output, a .keras file or its config.json, or a TF.js model.json with the weight
// files its manifest names), has engine/src/import/keras write the .netspec text and the
// weights, checks the text with the checker and loads the weights into the checked model
// before anything is written, then writes both (each atomically). A model with a layer
// Netspec cannot express is refused with every such layer named, and nothing is written.

import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { defaultWeightsPath, weightsMetadata } from '../../engine/catalog/weights_file';
import { CpuBackend } from '../../engine/src/cpu/backend';
import { formatProblem, importKeras, manifestPaths, type ImportedModel } from '../../engine/src/import/keras';
import type { Json } from '../../engine/src/import/keras/graph';
import { encodeSafetensors } from '../../engine/src/io/safetensors';
import { Model } from '../../engine/src/model';
import { setBackend } from '../../engine/src/tensor';
import { loadWeights } from '../../engine/src/train/weights';
import { checkText } from '../../server/src/sema/check';
import { parseArgs } from './args';
import type { CliIO } from './io';
import { displayPath, EXIT } from './model_pick';
import { writeWeightsFile } from './weights_file';
import { isZip, zipEntry } from './zip_entry';

export const IMPORT_USAGE = `usage: netspec import FILE [--out FILE.netspec] [--weights W] [--json]

Writes a Keras model as a Netspec model. FILE is Keras's model.to_json() output, a .keras
file (or the config.json inside it), or a TensorFlow.js model.json, whose weight files
(weights.bin) are read from its folder and written as W (safetensors; default
MODEL.safetensors beside the .netspec file). The default --out is FILE with the extension
.netspec. docs/import.md lists the layers and settings that import.

Exit status: 0 done; 2 bad usage, an unreadable file, or a layer Netspec cannot express
(each such layer is named, and nothing is written).
`;

interface Source {
  json: Json;
  shards: Map<string, Uint8Array>;
  notes: string[];
}

type Read = { ok: true; value: Source } | { ok: false; message: string };

const code = (e: unknown) => (e as { code?: string }).code ?? 'EIO';

/** The model JSON in `path` (a .keras archive's config.json) and the weight files it names. */
async function readSource(path: string): Promise<Read> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    return { ok: false, message: `cannot read the file (${code(e)})` };
  }
  const notes: string[] = [];
  if (isZip(bytes)) {
    const config = zipEntry(bytes, 'config.json');
    if (!config.ok) return { ok: false, message: `a .keras archive should hold config.json: ${config.message}` };
    bytes = config.data;
    // Keras keeps the weights in HDF5 (model.weights.h5), which Netspec does not read.
    notes.push('the weights in a .keras file (model.weights.h5, HDF5) are not imported; the model starts from fresh weights');
  }
  let json: Json;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as Json;
  } catch (e) {
    return { ok: false, message: `not JSON (${(e as Error).message})` };
  }
  const shards = new Map<string, Uint8Array>();
  for (const p of manifestPaths(json)) {
    try {
      shards.set(p, new Uint8Array(await readFile(resolve(dirname(path), p))));
    } catch (e) {
      return { ok: false, message: `cannot read the weights file ${p} that the manifest names (${code(e)})` };
    }
  }
  return { ok: true, value: { json, shards, notes } };
}

/** The imported text checked and its weights loaded into the checked model: the parameter count, or what failed. */
function verify(imported: ImportedModel, out: string): { ok: true; params: number } | { ok: false; message: string } {
  const checked = checkText(imported.text, { path: out });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  const ir = checked.models[0]?.ir;
  if (errors.length || !ir) return { ok: false, message: `the written model would not check: ${errors.map((d) => d.message).join('; ')}` };
  if (imported.weights) {
    setBackend(new CpuBackend());
    const built = Model.build(ir, 1);
    if (!built.ok) return { ok: false, message: built.error.message };
    const loaded = loadWeights(built.model, imported.weights);
    built.model.dispose();
    if (!loaded.ok) return { ok: false, message: loaded.message };
  }
  return { ok: true, params: ir.params };
}

export async function runImport(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['json', 'help'], values: ['out', 'weights'] });
  if (!parsed.ok) {
    io.err(`netspec import: ${parsed.message}\n${IMPORT_USAGE}`);
    return EXIT.usage;
  }
  const { positional, booleans, values } = parsed.args;
  if (booleans.has('help')) {
    io.out(IMPORT_USAGE);
    return EXIT.ok;
  }
  if (positional.length !== 1) {
    io.err(`netspec import: give one Keras model file\n${IMPORT_USAGE}`);
    return EXIT.usage;
  }
  const file = positional[0];
  const path = resolve(io.cwd, file);
  const read = await readSource(path);
  if (!read.ok) {
    io.err(`${file}: error: ${read.message}\n`);
    return EXIT.usage;
  }
  const result = importKeras({ json: read.value.json, shards: read.value.shards, fileName: basename(path) });
  if (!result.ok) {
    for (const p of result.problems) io.err(`${file}: error: ${formatProblem(p)}\n`);
    io.err(`netspec import: nothing written (${result.problems.length} problem(s))\n`);
    return EXIT.usage;
  }
  const imported = result.value;
  const out = values.get('out') ? resolve(io.cwd, values.get('out')!) : resolve(dirname(path), `${basename(path, extname(path))}.netspec`);
  const verified = verify(imported, out);
  if (!verified.ok) {
    io.err(`${file}: error: ${verified.message}\n`);
    return EXIT.usage;
  }
  const weightsPath = imported.weights ? (values.get('weights') ? resolve(io.cwd, values.get('weights')!) : defaultWeightsPath(out, imported.model)) : null;
  try {
    await writeWeightsFile(out, new TextEncoder().encode(imported.text));
    if (imported.weights && weightsPath) await writeWeightsFile(weightsPath, encodeSafetensors(imported.weights, weightsMetadata(imported.model, undefined, 0)));
  } catch (e) {
    io.err(`netspec import: error: cannot write ${displayPath(out, io.cwd)} (${code(e)})\n`);
    return EXIT.usage;
  }
  const notes = [...read.value.notes, ...imported.notes];
  if (booleans.has('json')) {
    io.out(`${JSON.stringify({ model: imported.model, out, weights: weightsPath, params: verified.params, layers: imported.layers, outputs: imported.outputs, notes })}\n`);
  } else {
    for (const n of notes) io.err(`note: ${n}\n`);
    const w = weightsPath ? ` and its weights to ${displayPath(weightsPath, io.cwd)}` : ' (the file has no weights)';
    io.out(`imported ${imported.model} (${imported.layers} Keras layers, ${verified.params} parameters) to ${displayPath(out, io.cwd)}${w}\n`);
  }
  return EXIT.ok;
}
