// Every catalog layer trains, on every backend: a tiny model around it (a Dense before each
// float input, the layer, Flatten where needed, a Dense head) takes Adam steps on a fixed
// regression target. The loss must go down, every gradient must be finite, the gradient
// must reach the layer's inputs (the Dense before it gets a non-zero gradient), and the
// layer's own trainable weights must receive a non-zero gradient and change.

import assert from 'node:assert/strict';
import { allLayers } from '../../../engine/catalog';
import type { IRInput, IRNode } from '../../../engine/catalog/ir';
import type { Shape } from '../../../engine/catalog/shape';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { meanSquaredError } from '../../../engine/src/losses';
import { Model } from '../../../engine/src/model';
import { Optimizer } from '../../../engine/src/optimizers';
import { tensor, tidy } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import { inferNode, modelIR, SAMPLES } from './catalog_ir';
import { describeBackends, randomValues, readAll, sizeOf } from './helpers';

const BATCH = 4;
const STEPS = 8;
const HEAD_UNITS = 2;

/** input -> Dense (keeps the last size) -> layer -> [Flatten] -> Dense(HEAD_UNITS). */
function wrappedIR(op: string) {
  const sample = SAMPLES[op];
  const inputs: IRInput[] = sample.inputs.map((s, i) => ({ name: `x${i}`, shape: s.shape as Shape, dtype: s.dtype ?? 'float32' }));
  const nodes: IRNode[] = [];
  const add = (n: IRNode | string): IRNode => {
    if (typeof n === 'string') throw new Error(n);
    nodes.push(n);
    return n;
  };
  const layerInputs = inputs.map((x, i) => {
    const shape = x.shape as number[];
    if (x.dtype === 'int32') return { id: x.name, shape, dtype: x.dtype };
    const pre = add(inferNode(`pre${i}`, 'Dense', { units: shape[shape.length - 1], activation: 'tanh' }, [{ id: x.name, shape, dtype: x.dtype }]));
    return { id: pre.id, shape: pre.shape as number[], dtype: pre.dtype };
  });
  let last = add(inferNode('layer', op, sample.args, layerInputs));
  if (last.shape.length > 1) last = add(inferNode('flat', 'Flatten', {}, [{ id: last.id, shape: last.shape as number[], dtype: last.dtype }]));
  add(inferNode('head', 'Dense', { units: HEAD_UNITS }, [{ id: last.id, shape: last.shape as number[], dtype: last.dtype }]));
  return { ir: modelIR(`train ${op}`, inputs, nodes, 'head'), sample };
}

const sumAbs = (v: ArrayLike<number>) => Array.from(v).reduce((s, q) => s + Math.abs(q), 0);

describeBackends('every layer trains', (test) => {
  for (const spec of allLayers()) {
    test(`${spec.name}: loss decreases with Adam; gradients reach the layer and its weights`, async () => {
      const { ir, sample } = wrappedIR(spec.name);
      const built = Model.build(ir, 21);
      assert.ok(built.ok);
      const model = built.model;
      const xs: Record<string, Tensor> = {};
      sample.inputs.forEach((s, i) => {
        const n = BATCH * sizeOf(s.shape);
        const v = s.dtype === 'int32' ? randomValues(n, 30 + i, 0, 10).map(Math.floor) : randomValues(n, 30 + i);
        xs[`x${i}`] = tensor(v, [BATCH, ...s.shape], s.dtype ?? 'float32');
      });
      const target = tensor(randomValues(BATCH * HEAD_UNITS, 77, -0.8, 0.8), [BATCH, HEAD_UNITS]);
      const trainable = model.weights.filter((w) => w.spec.trainable);
      const layerWeights = trainable.map((w, i) => (w.node === 'layer' ? i : -1)).filter((i) => i >= 0);
      const before = await readAll(layerWeights.map((i) => tidy(() => trainable[i].tensor.view(trainable[i].tensor.shape))));
      const opt = new Optimizer({ name: 'adam', args: { lr: 0.01 } });
      const losses: number[] = [];
      let firstGrads: Float32Array[] = [];
      for (let step = 0; step < STEPS; step++) {
        // The same step number each time keeps dropout's mask fixed, so the objective is too.
        const { value, grads } = tidy(() => {
          const r = valueAndGrads(() => {
            const out = model.forward(xs, { training: true, step: 0 });
            if (!out.ok) throw new Error(out.error.message);
            return meanSquaredError(out.outputs.y, target);
          }, model.trainable());
          model.applyUpdates();
          opt.step(model.trainable(), r.grads);
          return r;
        });
        const [v, ...g] = await readAll(step === 0 ? [value, ...grads] : [value]);
        for (const t of grads) t.dispose();
        losses.push(v[0]);
        if (step === 0) firstGrads = g as Float32Array[];
      }
      assert.ok(losses.every(Number.isFinite), `losses finite: ${losses}`);
      assert.ok(losses[STEPS - 1] < losses[0], `loss did not decrease: ${losses.join(', ')}`);
      firstGrads.forEach((g, i) => assert.ok(g.every(Number.isFinite), `gradient of ${trainable[i].name} finite`));
      const pre = trainable.map((w, i) => (w.node.startsWith('pre') ? i : -1)).filter((i) => i >= 0);
      for (const i of pre) assert.ok(sumAbs(firstGrads[i]) > 0, `no gradient reaches ${trainable[i].name} through ${spec.name}`);
      if (layerWeights.length > 0) {
        assert.ok(layerWeights.some((i) => sumAbs(firstGrads[i]) > 0), `${spec.name}'s weights get no gradient`);
        const after = await readAll(layerWeights.map((i) => tidy(() => trainable[i].tensor.view(trainable[i].tensor.shape))));
        assert.ok(after.some((a, k) => a.some((v, j) => v !== before[k][j])), `${spec.name}'s weights did not change`);
      }
      opt.dispose();
      model.dispose();
      for (const t of [...Object.values(xs), target]) t.dispose();
    });
  }
});
