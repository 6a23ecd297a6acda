// Each layer's forward and gradients (input and every trainable weight) against
// TensorFlow.js on identical inputs and weights, on every backend, for every catalog layer
// (the cases are in layer_cases.ts): relative error at most 1e-4 (values under 1e-2 in
// size are compared against 1e-2, so a gradient that is zero in exact arithmetic, like
// attention's key bias, may carry float32 noise up to 1e-6). tfjs has no GRU with
// reset_after=True and no MultiHeadAttention layer, so those two are compared with the
// Keras equations written in tfjs ops (tf_reference.ts).

import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { allLayers, findLayer, resolveArgs } from '../../../engine/catalog';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { findForward } from '../../../engine/src/layers';
import type { LayerContext } from '../../../engine/src/layers';
import * as o from '../../../engine/src/ops';
import { tensor, tidy } from '../../../engine/src/tensor';
import { describeBackends, randomValues, readAll, relError, sizeOf } from './helpers';
import { LAYER_CASES } from './layer_cases';

const TOL = 1e-4;

function check(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const e = relError(actual, expected, 1e-2);
  assert.ok(e <= TOL, `${what}: relative error ${e} > ${TOL}`);
}

/**
 * A tfjs layer's forward with the given weights: applied once to build, then weighted and
 * applied again. Layers own their variables, so this checks forwards only; gradients come
 * from the functional forms below, which the same forward check ties to the layer.
 */
function layerForward(make: () => tf.layers.Layer, xs: tf.Tensor[], ws: tf.Tensor[], training: boolean): tf.Tensor {
  const layer = make();
  const input = xs.length === 1 ? xs[0] : xs;
  tf.dispose(layer.apply(input) as tf.Tensor);
  layer.setWeights(ws);
  return layer.apply(input, { training }) as tf.Tensor;
}

describeBackends('layers vs tfjs', (test) => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  test('has a case for every catalog layer', () => {
    const covered = new Set(LAYER_CASES.map((c) => c.op));
    assert.deepEqual(allLayers().map((l) => l.name).filter((n) => !covered.has(n)), []);
  });

  LAYER_CASES.forEach((c, ci) => {
    test(`${c.op} ${JSON.stringify(c.args)}${c.training ? ' training' : ''}`, async () => {
      const seed = 500 + ci * 13;
      const xv = c.inputs.map((s, k) =>
        c.ids && k === 0 ? randomValues(sizeOf(s), seed, 0, c.ids).map(Math.floor) : randomValues(sizeOf(s), seed + k, -1.5, 1.5),
      );
      const dtypeOf = (k: number) => (c.ids && k === 0 ? 'int32' : 'float32');
      const firstFloat = c.ids ? 1 : 0;
      const wv = c.weights.map((w, k) => randomValues(sizeOf(w.shape), seed + 20 + k, w.lo ?? -0.8, w.hi ?? 0.8));
      const trainable = c.weights.map((w, k) => (w.trainable === false ? -1 : k)).filter((k) => k >= 0);

      // tfjs: forward and gradients of sum(y * r) w.r.t. inputs and trainable weights.
      const tfXs = xv.map((v, k) => tf.tensor(v, c.inputs[k], dtypeOf(k)));
      const tfWs = wv.map((v, k) => tf.tensor(v, c.weights[k].shape));
      const tfY = c.tfForward(tfXs, tfWs);
      if (c.tfLayer) {
        const viaLayer = layerForward(c.tfLayer, tfXs, tfWs, c.training ?? false);
        check('tfjs layer vs tfjs ops (the oracle itself)', tfY.dataSync(), viaLayer.dataSync());
        viaLayer.dispose();
      }
      const r = randomValues(tfY.size, seed + 40);
      const tfR = tf.tensor(r, tfY.shape);
      const diffIdx = [...[...tfXs.keys()].slice(firstFloat), ...trainable.map((k) => tfXs.length + k)];
      const tfGrads = tf.grads((...vs: tf.Tensor[]) => {
        const all = [...tfXs, ...tfWs];
        diffIdx.forEach((idx, j) => (all[idx] = vs[j]));
        return tf.sum(tf.mul(c.tfForward(all.slice(0, tfXs.length), all.slice(tfXs.length)), tfR));
      })(diffIdx.map((idx) => [...tfXs, ...tfWs][idx]));

      const { y, grads } = tidy(() => {
        const xs = xv.map((v, k) => tensor(v, c.inputs[k], dtypeOf(k)));
        const ws = wv.map((v, k) => tensor(v, c.weights[k].shape));
        const record: Record<string, (typeof ws)[number]> = {};
        c.weights.forEach((w, k) => (record[w.name] = ws[k]));
        const ctx = (): LayerContext => ({ training: c.training ?? false, seed: 1, step: 0, salt: 0, updates: [] });
        const forward = findForward(c.op)!;
        // Forwards take arguments as the model hands them: resolved by the catalog.
        const resolved = resolveArgs(findLayer(c.op)!, c.args);
        assert.ok('args' in resolved, `${c.op} arguments`);
        const args = resolved.args;
        const y = forward(xs, record, args, ctx());
        const rT = tensor(r, tfY.shape);
        const wrt = [...xs.slice(firstFloat), ...trainable.map((k) => ws[k])];
        return { y, grads: valueAndGrads(() => o.sum(o.mul(forward(xs, record, args, ctx()), rT)), wrt).grads };
      });
      assert.deepEqual([...y.shape], tfY.shape, 'output shape');
      const [yv, ...gv] = await readAll([y, ...grads]);
      check('forward', yv, tfY.dataSync());
      const nx = xv.length - firstFloat;
      gv.forEach((g, j) => check(`gradient ${j < nx ? `of input ${j + firstFloat}` : c.weights[trainable[j - nx]].name}`, g, tfGrads[j].dataSync()));
      tf.dispose([...tfXs, ...tfWs, tfY, tfR, ...tfGrads]);
    });
  });
});
