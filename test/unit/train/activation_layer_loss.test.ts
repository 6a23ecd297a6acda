// An output made by Activation(softmax) holds probabilities, as one made by Softmax() or by
// Dense(activation=softmax) does: cross_entropy reads it as probabilities, so a model ending
// in Dense -> Activation(softmax) trains exactly as the same model with the activation fused.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { objectiveOf } from '../../../engine/src/train/objective';
import { train } from '../../../engine/src/train/run';
import type { TrainOutcome } from '../../../engine/src/train/types';
import { blobs, buildIR, config, mlp } from './helpers';

/** mlp(3, softmax=true) with the softmax as a separate Activation layer. */
function separateSoftmax(activation = 'softmax') {
  return buildIR(
    [{ name: 'x', shape: [4] }],
    [
      { id: 'dense', op: 'Dense', args: { units: 16, activation: 'relu' }, inputs: ['x'] },
      { id: 'dense_1', op: 'Dense', args: { units: 3, activation: 'linear' }, inputs: ['dense'] },
      { id: 'activation', op: 'Activation', args: { activation }, inputs: ['dense_1'] },
    ],
    [{ name: 'y', tensor: 'activation' }],
  );
}

function losses(r: TrainOutcome): number[] {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.result.epochs.map((e) => e.metrics.loss);
}

describe('Activation(softmax) as a model output', () => {
  before(() => setBackend(new CpuBackend()));

  it('is read as probabilities by cross_entropy (a linear Activation is not)', () => {
    const probs = objectiveOf(separateSoftmax(), config());
    assert.ok(probs.ok);
    assert.equal(probs.outputs[0].probabilities, true);
    const logits = objectiveOf(separateSoftmax('linear'), config());
    assert.ok(logits.ok);
    assert.equal(logits.outputs[0].probabilities, false);
  });

  it('trains with the losses of Dense(activation=softmax)', async () => {
    const settings = config({ epochs: 3 });
    const fused = losses(await train(mlp(3, true), settings, blobs(120, 1), null));
    const separate = losses(await train(separateSoftmax(), settings, blobs(120, 1), null));
    assert.equal(separate.length, 3);
    separate.forEach((l, i) => assert.ok(Math.abs(l - fused[i]) <= 1e-6 * Math.abs(fused[i]), `epoch ${i}: ${l} vs ${fused[i]}`));
  });
});
