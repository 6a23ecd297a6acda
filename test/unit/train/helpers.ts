// Small models and datasets for the training-loop tests. Models are built straight from the
// catalog's shape rules (as the checker would lower them) so these tests depend on the
// engine and the catalog only; data comes from a fixed-seed generator independent of the
// engine's own randomness.

import { findLayer, IR_VERSION } from '../../../engine/catalog';
import type { IRNode, ModelIR } from '../../../engine/catalog/ir';
import type { DType, Shape } from '../../../engine/catalog/shape';
import type { ResolvedArgs } from '../../../engine/catalog/types';
import { defaultTrainIR } from '../../../engine/catalog/train/index';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import type { Dataset } from '../../../engine/src/data/dataset';
import { lcg } from '../engine/helpers';

export interface LayerCall {
  id: string;
  op: string;
  args?: ResolvedArgs;
  inputs: string[];
  line?: number;
}

/** A Model IR from input shapes and layer calls, with shapes and weights from the catalog. */
export function buildIR(
  inputs: { name: string; shape: Shape; dtype?: DType }[],
  calls: LayerCall[],
  outputs: { name: string; tensor: string }[],
): ModelIR {
  const shapes = new Map<string, { shape: Shape; dtype: DType }>();
  for (const i of inputs) shapes.set(i.name, { shape: i.shape, dtype: i.dtype ?? 'float32' });
  const nodes: IRNode[] = [];
  calls.forEach((c, index) => {
    const spec = findLayer(c.op);
    if (!spec) throw new Error(`no layer ${c.op}`);
    const args: ResolvedArgs = {};
    for (const a of spec.args) {
      const v = c.args?.[a.name] ?? a.default;
      args[a.name] = a.type === 'size2' && typeof v === 'number' ? [v, v] : v;
    }
    const ins = c.inputs.map((name) => ({ name, ...shapes.get(name)! }));
    const r = spec.infer(ins, args);
    if (!r.ok) throw new Error(`${c.op}: ${r.issue.message}`);
    shapes.set(c.id, { shape: r.shape, dtype: r.dtype });
    nodes.push({ id: c.id, op: spec.name, args, inputs: c.inputs, shape: r.shape, dtype: r.dtype, weights: r.weights, line: c.line ?? index + 1 });
  });
  const count = (ws: { shape: number[] }[]) => ws.reduce((s, w) => s + w.shape.reduce((p, d) => p * d, 1), 0);
  return {
    version: IR_VERSION,
    name: 'm',
    inputs: inputs.map((i) => ({ name: i.name, shape: i.shape, dtype: i.dtype ?? 'float32' })),
    nodes,
    outputs,
    params: count(nodes.flatMap((n) => n.weights)),
    trainableParams: count(nodes.flatMap((n) => n.weights.filter((w) => w.trainable))),
  };
}

/** x[4] → Dense(16, relu) → Dense(classes[, softmax]). */
export function mlp(classes = 3, softmax = false): ModelIR {
  return buildIR(
    [{ name: 'x', shape: [4] }],
    [
      { id: 'dense', op: 'Dense', args: { units: 16, activation: 'relu' }, inputs: ['x'] },
      { id: 'dense_1', op: 'Dense', args: { units: classes, activation: softmax ? 'softmax' : 'linear' }, inputs: ['dense'] },
    ],
    [{ name: 'y', tensor: 'dense_1' }],
  );
}

/** Train settings with spec defaults, overridden by `over`. */
export function config(over: Partial<TrainIR> = {}): TrainIR {
  return {
    model: 'm',
    data: null,
    validation: null,
    loss: 'cross_entropy',
    lossWeights: null,
    optimizer: { name: 'adam', args: { lr: 0.01 } },
    regularizer: null,
    epochs: defaultTrainIR('m').epochs,
    batchSize: 16,
    metrics: [],
    seed: 7,
    earlyStopping: null,
    ...over,
  };
}

/**
 * Three Gaussian blobs in 4-D: class k centred at +2 on axis k (class 2 at -2 on axis 0),
 * unit-ish noise; separable enough that a small MLP reaches high accuracy.
 */
export function blobs(count: number, seed: number): Dataset {
  const r = lcg(seed);
  const x = new Float32Array(count * 4);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % 3;
    y[i] = k;
    for (let d = 0; d < 4; d++) x[i * 4 + d] = (r() - 0.5) * 1.6;
    if (k === 0) x[i * 4] += 2;
    else if (k === 1) x[i * 4 + 1] += 2;
    else x[i * 4] -= 2;
  }
  return { count, inputs: { x: { data: x, sampleShape: [4] } }, targets: { y: { data: y, sampleShape: [] } } };
}
