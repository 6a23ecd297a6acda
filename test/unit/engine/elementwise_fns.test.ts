// The expression tables are the one definition of every elementwise function: the CPU
// reference is generated from them (and must be current), each unary derivative must be the
// derivative of its value, and the activations matmul fuses must be differentiable from
// their output, since matmul's gradient rule hands the output in place of the input.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { UNARY_DERIVATIVE, UNARY_VALUE } from '../../../engine/src/cpu/elementwise_generated';
import { GRAD_FROM_OUTPUT, UNARY_FN_NAMES } from '../../../engine/src/primitives/unary_fns';
import { ELEMENTWISE_GENERATED_PATH, elementwiseJsSource } from '../../../engine/src/primitives/elementwise_js_source';

/** alpha, beta and sample points away from kinks, in the function's domain. */
const ARGS: Record<string, { alpha?: number; beta?: number; at: number[] }> = {
  log: { at: [0.3, 1.7, 4] },
  sqrt: { at: [0.3, 1.7, 4] },
  pow: { alpha: 2.5, at: [0.3, 1.7, 4] },
  elu: { alpha: 0.7, at: [-1.3, -0.2, 0.4, 2] },
  leaky_relu: { alpha: 0.1, at: [-1.3, -0.2, 0.4, 2] },
  affine: { alpha: 1.5, beta: -2, at: [-1.3, 0.4, 2] },
  clip: { alpha: -1, beta: 1, at: [-1.5, -0.5, 0.5, 1.5] },
};

describe('elementwise expression tables', () => {
  it('the generated CPU reference is current (run `npx tsx scripts/gen_elementwise.ts` after editing a table)', () => {
    assert.equal(readFileSync(ELEMENTWISE_GENERATED_PATH, 'utf8'), elementwiseJsSource());
  });

  it('each derivative agrees with a central difference of its value', () => {
    const h = 1e-6;
    for (const fn of UNARY_FN_NAMES) {
      const { alpha = 0, beta = 0, at = [-1.3, -0.2, 0.4, 2] } = ARGS[fn] ?? {};
      for (const x of at) {
        const f = (v: number) => UNARY_VALUE[fn](v, alpha, beta);
        const numeric = (f(x + h) - f(x - h)) / (2 * h);
        const analytic = UNARY_DERIVATIVE[fn](x, f(x), alpha, beta);
        assert.ok(Math.abs(numeric - analytic) <= 1e-5 * Math.max(1, Math.abs(numeric)), `${fn}'(${x}): ${analytic} vs ${numeric}`);
      }
    }
  });

  it("matmul's fused activations take their derivative from the output", () => {
    for (const fn of ['relu', 'sigmoid', 'tanh'] as const) assert.ok(GRAD_FROM_OUTPUT.has(fn), fn);
    assert.ok(!GRAD_FROM_OUTPUT.has('gelu') && !GRAD_FROM_OUTPUT.has('abs'));
  });
});
