// A model runs each layer with its arguments as the catalog resolves them, so an IR that
// leaves out an argument with a default (or one defaulting to another, as pooling's stride
// defaults to its pool) runs with the default, and an argument out of range is an error
// value from Model.build rather than an exception during training.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IR_VERSION } from '../../../engine/catalog';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { ResolvedArgs } from '../../../engine/catalog/types';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { Model } from '../../../engine/src/model';
import { setBackend, tensor } from '../../../engine/src/tensor';

function oneLayer(op: string, args: ResolvedArgs, input: number[], output: number[]): ModelIR {
  return {
    version: IR_VERSION,
    name: op,
    inputs: [{ name: 'x', shape: input, dtype: 'float32' }],
    nodes: [{ id: 'layer', op, args, inputs: ['x'], shape: output, dtype: 'float32', weights: [], line: 0 }],
    outputs: [{ name: 'y', tensor: 'layer' }],
    params: 0,
    trainableParams: 0,
  };
}

describe('model arguments', () => {
  setBackend(new CpuBackend());

  it('fills defaults the IR leaves out, a stride defaulting to the pool included', async () => {
    const built = Model.build(oneLayer('MaxPool2D', { pool: 2 }, [4, 4, 1], [2, 2, 1]), 1);
    assert.ok(built.ok);
    const x = tensor(Array.from({ length: 16 }, (_v, i) => i), [1, 4, 4, 1]);
    const r = built.model.forward({ x }, { training: false });
    assert.ok(r.ok);
    assert.deepEqual([...r.outputs.y.shape], [1, 2, 2, 1]);
    assert.deepEqual([...(await r.outputs.y.data())], [5, 7, 13, 15]);
  });

  it('reports an argument out of range as an error value', () => {
    const built = Model.build(oneLayer('Dropout', { rate: 2 }, [3], [3]), 1);
    assert.ok(!built.ok);
    assert.equal(built.error.code, 'bad-argument');
    assert.match(built.error.message, /rate/);
  });
});
