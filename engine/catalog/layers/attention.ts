// Multi-head attention as Keras's MultiHeadAttention: self-attention over one [T, D]
// sequence, or cross-attention from a query [Tq, D] to a key/value sequence [Tk, Dk]. The
// value size equals key_dim and the output projects back to D, which is how spec §4 counts
// parameters: D·h·k + h·k + 2·(Dk·h·k + h·k) + h·k·D + D.
// FLOPs (2 per multiply-add, softmax not counted): query projection 2·Tq·D·h·k, key and
// value projections 2·2·Tk·Dk·h·k, scores and weighted sum 2·2·Tq·Tk·h·k, output 2·Tq·h·k·D.

import { formatShape } from '../shape';
import { argBool, bias, computed, expectKnown, expectRank, fail, kernel, lastDim, ok, optional, product, required } from './common';
import { defineLayer } from './define';

const SELF_INPUT = '[time, features]';

export const MultiHeadAttention = defineLayer({
  name: 'MultiHeadAttention',
  aliases: ['SelfAttention'],
  category: 'attention',
  arity: 'one-or-two',
  args: [
    required('heads', 'int', 'The number of attention heads.', { min: 1 }),
    computed('key_dim', 'int', 'D/heads', 'The size of each head\'s query, key and value; defaults to D / heads.', { min: 1 }),
    optional('causal', 'bool', false, 'Let each position attend only to itself and earlier positions (self-attention only).'),
  ],
  inputDoc: '[time, features] (self), or (query, key_value): [Tq, D], [Tk, Dk]',
  outputDoc: '[time, features] / [Tq, D]',
  paramsDoc: 'D*h*k + h*k + 2*(Dk*h*k + h*k) + h*k*D + D (self: Dk = D)',
  summary:
    'Scaled dot-product attention with several heads (Keras MultiHeadAttention); one input attends to itself, a pair (query, key_value) attends from the query to the other sequence. FLOPs: 2·Tq·D·h·k + 4·Tk·Dk·h·k + 4·Tq·Tk·h·k + 2·Tq·h·k·D.',
  rule(inputs, args) {
    const name = 'MultiHeadAttention';
    const cross = inputs.length === 2;
    const q = inputs[0];
    const kv = cross ? inputs[1] : inputs[0];
    const qDoc = cross ? 'query [Tq, D]' : SELF_INPUT;
    const bad =
      expectRank(name, qDoc, q, 2, 0) ??
      expectKnown(name, q, -1, 'feature size', 0) ??
      (cross ? expectRank(name, 'key_value [Tk, Dk]', kv, 2, 1) ?? expectKnown(name, kv, -1, 'feature size', 1) : null);
    if (bad) return bad;
    const h = typeof args.heads === 'number' ? args.heads : 1;
    if (cross && argBool(args, 'causal', false)) {
      return fail('bad-argument', `${name}'s causal=true applies to self-attention only, but it is given a pair (${q.name}, ${kv.name})`, { arg: 'causal' });
    }
    const d = lastDim(q);
    const dk = lastDim(kv);
    let k: number;
    if (typeof args.key_dim === 'number') {
      k = args.key_dim;
    } else {
      if (d % h !== 0) {
        return fail(
          'bad-argument',
          `${name} cannot split the ${d} features of ${q.name} ${formatShape(q.shape)} into ${h} heads: ${d} is not a multiple of ${h}; choose other heads or give key_dim`,
          { arg: 'heads', input: 0 },
        );
      }
      k = d / h;
    }
    const hk = h * k;
    const weights = [
      kernel([d, h, k], 'query/kernel'),
      bias([h, k], 'query/bias'),
      kernel([dk, h, k], 'key/kernel'),
      bias([h, k], 'key/bias'),
      kernel([dk, h, k], 'value/kernel'),
      bias([h, k], 'value/bias'),
      kernel([h, k, d], 'attention_output/kernel'),
      bias([d], 'attention_output/bias'),
    ];
    const tq = q.shape[0];
    const tk = kv.shape[0];
    const parts = [product(2, tq, d, hk), product(4, tk, dk, hk), product(4, tq, tk, hk), product(2, tq, hk, d)];
    const flops = parts.some((p) => p === null) ? null : parts.reduce((a: number, p) => a + (p ?? 0), 0);
    return ok([tq, d], 'float32', weights, flops);
  },
});

export const ATTENTION_LAYERS = [MultiHeadAttention] as const;
