// Shared by the ONNX export tests: a Model IR from netspec text (checked and lowered as the
// CLI does), random weights (every weight random, variances positive), the engine's forward
// (the CPU backend, through predict) and onnxruntime-node's on the same inputs, and the
// comparison: |onnx - engine| <= RTOL * |engine| + ATOL for every value.

import * as ort from 'onnxruntime-node';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { predict } from '../../../engine/src/train/predict';
import { setBackend } from '../../../engine/src/tensor';
import type { NamedArray } from '../../../engine/src/train/types';
import { Rng } from '../../../engine/src/rng';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

export const RTOL = 1e-4;
/** The absolute tolerance for values near zero. */
export const ATOL = 1e-5;

export function modelFrom(text: string, path = '/tmp/onnx_test.netspec'): { ir: ModelIR; train: TrainIR | null } {
  const checked = checkText(text, { path });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`model has errors: ${errors.map((e) => e.message).join('; ')}`);
  const model = checked.models[0];
  if (!model?.ir) throw new Error('no model');
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train' && d.model?.name === model.name);
  return { ir: model.ir, train: decl ? lowerTrain(decl, { path }) : null };
}

/** Every weight of `ir` uniform in [-0.5, 0.5) (moving variances in [0.5, 1.5)). */
export function randomWeights(ir: ModelIR, seed = 1): NamedArray[] {
  const rng = new Rng(seed, 7);
  return ir.nodes.flatMap((n) =>
    n.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const variance = w.name === 'moving_variance';
      const data = Float32Array.from({ length: size }, () => (variance ? 0.5 : -0.5) + rng.next());
      return { name: `${n.id}/${w.name}`, shape: [...w.shape], data };
    }),
  );
}

export interface Feed {
  data: Float32Array | Int32Array;
  /** Batched shape. */
  shape: number[];
}

/** Random inputs for `ir` with batch size `batch`; `sizes` gives each symbolic size. */
export function randomInputs(ir: ModelIR, batch: number, sizes: Record<string, number> = {}, seed = 3, vocab = 5): Record<string, Feed> {
  const rng = new Rng(seed, 11);
  const out: Record<string, Feed> = {};
  for (const input of ir.inputs) {
    const shape = [batch, ...input.shape.map((d) => (typeof d === 'number' ? d : sizes[d]))];
    const size = shape.reduce((a, b) => a * b, 1);
    out[input.name] = input.dtype === 'int32'
      ? { shape, data: Int32Array.from({ length: size }, () => Math.floor(rng.next() * vocab)) }
      : { shape, data: Float32Array.from({ length: size }, () => rng.next() * 4 - 2) };
  }
  return out;
}

/** The engine's outputs (CPU backend, inference mode), flattened per output name. */
export async function engineOutputs(ir: ModelIR, weights: readonly NamedArray[], feeds: Record<string, Feed>): Promise<Record<string, Float32Array>> {
  setBackend(new CpuBackend());
  const count = Object.values(feeds)[0].shape[0];
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, { data: f.data, sampleShape: f.shape.slice(1) }]));
  const r = await predict(ir, weights, { count, inputs }, 64);
  if (!r.ok) throw new Error(r.message);
  const out: Record<string, Float32Array> = {};
  for (const [name, rows] of Object.entries(r.outputs)) {
    const per = rows.rows[0]?.length ?? 0;
    const flat = new Float32Array(per * rows.rows.length);
    rows.rows.forEach((row, i) => flat.set(row, i * per));
    out[name] = flat;
  }
  return out;
}

/**
 * onnxruntime's outputs for the model bytes (int inputs fed as int64), at its default graph
 * optimization level ('all') unless told.
 */
export async function ortOutputs(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
  level: 'disabled' | 'basic' | 'extended' | 'all' = 'all',
): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) {
      ortFeeds[name] = f.data instanceof Int32Array
        ? new ort.Tensor('int64', BigInt64Array.from(Array.from(f.data, (v) => BigInt(v))), f.shape)
        : new ort.Tensor('float32', f.data, f.shape);
    }
    const r = await session.run(ortFeeds);
    const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
    for (const name of session.outputNames) out[name] = { data: r[name].data as Float32Array, dims: r[name].dims };
    return out;
  } finally {
    await session.release();
  }
}

/** The largest |a - b| / max(|b|, 1e-3) and whether every value is within RTOL/ATOL. */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): { worstRel: number; maxAbs: number; ok: boolean } {
  let worstRel = 0;
  let maxAbs = 0;
  let ok = actual.length === expected.length;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    maxAbs = Math.max(maxAbs, d);
    worstRel = Math.max(worstRel, d / Math.max(Math.abs(expected[i]), 1e-3));
    if (!(d <= RTOL * Math.abs(expected[i]) + ATOL)) ok = false;
  }
  return { worstRel, maxAbs, ok };
}
