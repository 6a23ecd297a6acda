// Shared steps of the Keras import tests: save a TF.js model in memory as model.json +
// weights.bin (TF.js is the independent producer of the format), import it, check the text
// with the real checker, and run the imported model on the engine's CPU backend.

import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ModelIR } from '../../../engine/catalog/ir';
import { importKeras, type ImportedModel, type ImportResult } from '../../../engine/src/import/keras';
import type { Json } from '../../../engine/src/import/keras/graph';
import { Model } from '../../../engine/src/model';
import { tensor, type Tensor } from '../../../engine/src/tensor';
import { loadWeights } from '../../../engine/src/train/weights';
import { checkText } from '../../../server/src/sema/check';
import { randomValues, readAll, relError, sizeOf } from '../engine/helpers';

export interface SavedTfjs {
  json: Json;
  shards: Map<string, Uint8Array>;
}

/** model.json and weights.bin as tf.io.browserFiles or a file:// handler would write them. */
export async function saveTfjs(model: tf.LayersModel): Promise<SavedTfjs> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved! as tf.io.ModelArtifacts;
  const json = {
    format: 'layers-model',
    generatedBy: a.generatedBy ?? null,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  };
  // A round trip through text, as a file would make it.
  const data = a.weightData instanceof ArrayBuffer ? a.weightData : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[]);
  return { json: JSON.parse(JSON.stringify(json)) as Json, shards: new Map([['weights.bin', new Uint8Array(data)]]) };
}

/**
 * The weights cut into `n` shard files at byte offsets that fall inside weights, as
 * tensorflowjs_converter cuts large models (group1-shard1ofN.bin, ...).
 */
export function splitShards(saved: SavedTfjs, n: number): SavedTfjs {
  if (n === 1) return saved;
  const bin = saved.shards.get('weights.bin')!;
  const cuts = Array.from({ length: n + 1 }, (_v, k) => (k === n ? bin.length : Math.floor((bin.length * k) / n) + (k > 0 ? 1 : 0)));
  const paths = cuts.slice(0, n).map((_c, k) => `group1-shard${k + 1}of${n}.bin`);
  const json = structuredClone(saved.json) as { weightsManifest: { paths: string[] }[] };
  json.weightsManifest[0].paths = paths;
  return { json: json as unknown as Json, shards: new Map(paths.map((p, k) => [p, bin.slice(cuts[k], cuts[k + 1])])) };
}

/** Replaces every weight with random values (positive moving variances), so no weight is at its initial value. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const values = model.weights.map((w, k) => {
    const variance = w.name.endsWith('moving_variance');
    const data = randomValues(sizeOf(w.shape as number[]), seed + k, variance ? 0.5 : -0.6, variance ? 2 : 0.6);
    return tf.tensor(data, w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/** Imports and asserts success. */
export function importOk(saved: SavedTfjs, fileName = 'model.json'): ImportedModel {
  const result: ImportResult = importKeras({ json: saved.json, shards: saved.shards, fileName });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
  return result.value;
}

/** The text checked by the real checker: no diagnostics at all, and its one model's IR. */
export function checkImported(text: string): ModelIR {
  const checked = checkText(text, { path: '/tmp/imported.netspec' });
  assert.deepEqual(checked.diagnostics.map((d) => `${d.code}: ${d.message}`), [], text);
  assert.equal(checked.models.length, 1);
  const ir = checked.models[0].ir;
  assert.ok(ir, 'the model has an IR');
  return ir;
}

export interface FeedSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}

/** Random batched inputs for a TF.js model's inputs (ids below `vocab` for int inputs; 5 steps where the size is open). */
export function randomFeeds(model: tf.LayersModel, batch: number, seed: number, vocab = 0): FeedSpec[] {
  return model.inputs.map((input, k) => {
    const shape = [batch, ...input.shape.slice(1).map((d) => d ?? 5)];
    if (vocab > 0) return { shape, dtype: 'int32', data: randomValues(sizeOf(shape), seed + k, 0, vocab).map(Math.floor) };
    return { shape, dtype: 'float32', data: randomValues(sizeOf(shape), seed + k, -1.5, 1.5) };
  });
}

/** The imported model's outputs on the engine (CPU backend, inference), in the IR's output order. */
export async function engineOutputs(ir: ModelIR, imported: ImportedModel, feeds: FeedSpec[]): Promise<{ shape: number[]; data: ArrayLike<number> }[]> {
  const built = Model.build(ir, 1);
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  const model = built.model;
  assert.ok(imported.weights, 'the import has weights');
  const loaded = loadWeights(model, imported.weights);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
  const xs: Record<string, Tensor> = {};
  ir.inputs.forEach((input, k) => (xs[input.name] = tensor(feeds[k].data, feeds[k].shape, feeds[k].dtype)));
  const fwd = model.forward(xs, { training: false });
  assert.ok(fwd.ok, fwd.ok ? '' : fwd.error.message);
  const data = await readAll(ir.outputs.map((o) => fwd.outputs[o.name]));
  const shapes = ir.outputs.map((o) => [...fwd.outputs[o.name].shape]);
  for (const t of Object.values(xs)) t.dispose();
  model.dispose();
  return data.map((d, i) => ({ shape: shapes[i], data: d }));
}

/** TF.js's predictions, one per output. */
export function tfjsOutputs(model: tf.LayersModel, feeds: FeedSpec[]): { shape: number[]; data: Float32Array }[] {
  const xs = feeds.map((f) => tf.tensor(f.data, f.shape, f.dtype));
  const pred = model.predict(xs.length === 1 ? xs[0] : xs);
  const preds = Array.isArray(pred) ? pred : [pred];
  const out = preds.map((p) => ({ shape: p.shape as number[], data: p.dataSync() as Float32Array }));
  tf.dispose([...xs, ...preds]);
  return out;
}

export const TOL = 1e-5;

/** Asserts each output's shape and values (relative difference at most TOL, floor 1e-2) and returns the worst difference. */
export function assertClose(ours: { shape: number[]; data: ArrayLike<number> }[], theirs: { shape: number[]; data: ArrayLike<number> }[]): number {
  assert.equal(ours.length, theirs.length, 'output count');
  let worst = 0;
  ours.forEach((o, i) => {
    assert.deepEqual(o.shape, theirs[i].shape, `output ${i} shape`);
    const d = relError(o.data, theirs[i].data, 1e-2);
    assert.ok(d <= TOL, `output ${i}: relative difference ${d} > ${TOL}`);
    worst = Math.max(worst, d);
  });
  return worst;
}

/**
 * The whole check for one TF.js model: random weights, save, import, check (no
 * diagnostics, TF.js's parameter count), and outputs equal to TF.js's predict.
 */
export async function importMatches(model: tf.LayersModel, seed: number, vocab = 0, shards = 1): Promise<{ imported: ImportedModel; ir: ModelIR; worst: number }> {
  randomizeWeights(model, seed);
  const imported = importOk(splitShards(await saveTfjs(model), shards));
  const ir = checkImported(imported.text);
  assert.equal(ir.params, model.countParams(), 'parameter count');
  const feeds = randomFeeds(model, 3, seed + 50, vocab);
  const worst = assertClose(await engineOutputs(ir, imported, feeds), tfjsOutputs(model, feeds));
  return { imported, ir, worst };
}
