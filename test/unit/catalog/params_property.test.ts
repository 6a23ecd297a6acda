// A property test: over many random configurations, the sizes of the weights each layer
// declares add up to spec §4's parameter formula, and trainable counts match Keras.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, input, params, trainable } from './helpers';

/** A small seeded generator (mulberry32) so a failure is reproducible. */
function rng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(r * (hi - lo + 1));
  };
}

const RUNS = 200;

test('weights sum to the spec §4 formula for every weighted layer', () => {
  const r = rng(20240601);
  for (let i = 0; i < RUNS; i++) {
    const F = r(1, 300);
    const u = r(1, 64);
    const bias = r(0, 1) === 1;
    const ctx = `run ${i}: F=${F} u=${u}`;

    const dense = apply('Dense', input([r(1, 5), F]), { units: u, bias });
    assert.equal(params(dense), F * u + (bias ? u : 0), ctx);

    const [kh, kw, C] = [r(1, 5), r(1, 5), r(1, 16)];
    const conv2 = apply('Conv2D', input([r(5, 40), r(5, 40), C]), { filters: u, kernel: [kh, kw], padding: 'same' });
    assert.equal(params(conv2), kh * kw * C * u + u, ctx);

    const k = r(1, 7);
    const conv1 = apply('Conv1D', input([r(7, 50), C]), { filters: u, kernel: k });
    assert.equal(params(conv1), k * C * u + u, ctx);

    const bn = apply('BatchNorm', input([r(1, 9), F]));
    assert.equal(params(bn), 4 * F, ctx);
    assert.equal(trainable(bn), 2 * F, ctx);
    assert.equal(params(apply('LayerNorm', input([F]))), 2 * F, ctx);

    const [vocab, dim] = [r(1, 5000), r(1, 128)];
    assert.equal(params(apply('Embedding', input([r(1, 20)], 'ids', 'int32'), { vocab, dim })), vocab * dim, ctx);
    const maxLen = r(1, 512);
    assert.equal(params(apply('PositionEmbedding', input([r(1, maxLen), F]), { max_len: maxLen })), maxLen * F, ctx);

    const T = r(1, 30);
    assert.equal(params(apply('SimpleRNN', input([T, F]), { units: u })), F * u + u * u + u, ctx);
    assert.equal(params(apply('LSTM', input([T, F]), { units: u })), 4 * (F * u + u * u + u), ctx);
    assert.equal(params(apply('GRU', input([T, F]), { units: u })), 3 * (F * u + u * u + 2 * u), ctx);
    const wrapped = apply('Bidirectional', input([T, F]), { layer: { op: 'GRU', args: { units: u, return_sequences: false } }, merge: 'concat' });
    assert.equal(params(wrapped), 2 * 3 * (F * u + u * u + 2 * u), ctx);

    const h = r(1, 8);
    const kd = r(1, 32);
    const D = h * r(1, 16);
    const Dk = r(1, 100);
    const self = apply('MultiHeadAttention', input([T, D]), { heads: h, key_dim: kd });
    assert.equal(params(self), D * h * kd + h * kd + 2 * (D * h * kd + h * kd) + h * kd * D + D, ctx);
    const cross = apply('MultiHeadAttention', [input([T, D], 'q'), input([r(1, 30), Dk], 'kv')], { heads: h });
    const kDefault = D / h;
    assert.equal(params(cross), D * h * kDefault + h * kDefault + 2 * (Dk * h * kDefault + h * kDefault) + h * kDefault * D + D, ctx);
    assert.equal(trainable(cross), params(cross), ctx);
  }
});

test('weight shapes are positive integers for every random configuration', () => {
  const r = rng(7);
  for (let i = 0; i < RUNS; i++) {
    const out = apply('Conv2D', input([r(3, 30), r(3, 30), r(1, 8)]), { filters: r(1, 8), kernel: [r(1, 3), r(1, 3)], stride: [r(1, 3), r(1, 3)] });
    for (const w of out.weights) assert.ok(w.shape.every((d) => Number.isInteger(d) && d >= 1), JSON.stringify(w));
    for (const d of out.shape) assert.ok(typeof d === 'number' && d >= 1);
  }
});
