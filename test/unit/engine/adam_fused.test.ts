// The fused Adam step (Backend.adamStep, on the CPU and WebAssembly backends) gives bit for
// bit the weights and moments of the optimizer's composite ops on the same backend, over
// several steps, for lengths that end in a partial SIMD vector, with signed zeros, tiny and
// large gradients; and the training step actually takes the fused path.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend } from '../../../engine/src/backend';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { Optimizer } from '../../../engine/src/optimizers';
import type { OptimizerConfig } from '../../../engine/src/optimizers';
import { setBackend, tensor } from '../../../engine/src/tensor';
import { WasmBackend } from '../../../engine/src/wasm/backend';
import { randomValues } from './helpers';

const SIZES = [1, 16, 37];

function gradient(n: number, step: number): Float32Array {
  const g = Float32Array.from(randomValues(n, 100 + step), (x) => x * (step % 2 ? 3 : 0.01));
  g[0] = step === 2 ? -0 : g[0];
  if (n > 3) {
    g[1] = 0;
    g[2] = 1e-30 * (step + 1);
    g[3] = -1e6;
  }
  return g;
}

/** Weights after `steps` steps of `config` on `backend` (adamStep removed when `fused` is false). */
async function run(backend: Backend, fused: boolean, config: OptimizerConfig, epsilon: number | undefined, steps: number): Promise<Uint32Array[]> {
  // An own property hides the prototype's method; deleting it brings the method back.
  const b = backend as { adamStep?: unknown };
  if (!fused) b.adamStep = undefined;
  try {
    setBackend(backend);
    const params = SIZES.map((n, i) => {
      const w = Float32Array.from(randomValues(n, 10 + i));
      w[0] = -0;
      return tensor(w, [n]);
    });
    const opt = new Optimizer({ ...config }, epsilon);
    for (let s = 0; s < steps; s++) {
      const grads = SIZES.map((n) => tensor(gradient(n, s), [n]));
      opt.step(params, grads);
      for (const g of grads) g.dispose();
    }
    const out = await Promise.all(params.map(async (p) => new Uint32Array((await p.data()).slice().buffer)));
    opt.dispose();
    for (const p of params) p.dispose();
    return out;
  } finally {
    if (!fused) delete b.adamStep;
  }
}

const BACKENDS: [string, () => Backend][] = [
  ['cpu', () => new CpuBackend()],
  ['wasm', () => new WasmBackend()],
];

describe('fused Adam', () => {
  for (const [name, make] of BACKENDS) {
    for (const [config, epsilon] of [
      [{ name: 'adam', args: { lr: 0.001 } }, undefined],
      [{ name: 'adam', args: { lr: 0.05, beta1: 0.8, beta2: 0.99 } }, 1e-4],
      [{ name: 'adamw', args: { lr: 0.01, weight_decay: 0.1 } }, undefined],
    ] as [OptimizerConfig, number | undefined][]) {
      it(`${name}: ${JSON.stringify(config)}${epsilon ? ` epsilon ${epsilon}` : ''} matches the composite ops bit for bit`, async () => {
        const backend = make();
        const composite = await run(backend, false, config, epsilon, 6);
        const fused = await run(backend, true, config, epsilon, 6);
        assert.deepEqual(fused, composite);
      });
    }
  }

  it('wasm: a step runs one adam kernel per parameter and no elementwise op', () => {
    const backend = new WasmBackend();
    setBackend(backend);
    const params = SIZES.map((n, i) => tensor(randomValues(n, 20 + i), [n]));
    const grads = SIZES.map((n) => tensor(gradient(n, 1), [n]));
    const opt = new Optimizer({ name: 'adam', args: { lr: 0.001 } });
    opt.step(params, grads);
    backend.counts.wasm.clear();
    backend.counts.reference.clear();
    opt.step(params, grads);
    assert.equal(backend.counts.wasm.get('adam'), SIZES.length);
    assert.equal(backend.counts.wasm.size, 1);
    assert.equal(backend.counts.reference.size, 0);
    opt.dispose();
  });
});
