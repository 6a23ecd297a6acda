// Bidirectional's shape rule: the inner layer's output with the features doubled by concat,
// Keras's weight names for each direction, twice the inner FLOPs, and the refusals of a
// wrapped layer that is not recurrent or not a layer call at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, input, issue } from './helpers';

const lstm = (units: number, returnSequences = false) => ({ op: 'LSTM', args: { units, return_sequences: returnSequences } });

test('concat doubles the features; the other merges keep them', () => {
  assert.deepEqual(apply('Bidirectional', input([10, 8]), { layer: lstm(16, true) }).shape, [10, 32]);
  assert.deepEqual(apply('Bidirectional', input(['seq', 8]), { layer: lstm(16), merge: 'ave' }).shape, [16]);
  assert.deepEqual(apply('Bidirectional', input([10, 8]), { layer: { op: 'SimpleRNN', args: { units: 4 } }, merge: 'mul' }).shape, [4]);
});

test('each direction has its own weights, named as Keras names them, and twice the FLOPs', () => {
  const out = apply('Bidirectional', input([10, 8]), { layer: lstm(16) });
  assert.deepEqual(out.weights.map((w) => w.name), [
    'forward_lstm/kernel', 'forward_lstm/recurrent_kernel', 'forward_lstm/bias',
    'backward_lstm/kernel', 'backward_lstm/recurrent_kernel', 'backward_lstm/bias',
  ]);
  assert.equal(out.weights[2].init, 'unit_forget_bias');
  const inner = apply('LSTM', input([10, 8]), { units: 16 });
  assert.equal(out.flops, 2 * inner.flops!);
  const simple = apply('Bidirectional', input([10, 8]), { layer: { op: 'SimpleRNN', args: { units: 4 } } });
  assert.equal(simple.weights[0].name, 'forward_simple_rnn/kernel');
});

test('only a call of a recurrent layer is accepted, with its own arguments checked', () => {
  const dense = issue('Bidirectional', input([10, 8]), { layer: { op: 'Dense', args: { units: 4 } } });
  assert.equal(dense.code, 'bad-argument');
  assert.match(dense.message, /must be a call of SimpleRNN, LSTM, GRU, but is Dense/);
  assert.equal(issue('Bidirectional', input([10, 8]), { layer: 16 }).arg, 'layer');
  const bad = issue('Bidirectional', input([10, 8]), { layer: { op: 'LSTM', args: { units: 0 } } });
  assert.match(bad.message, /LSTM's `units` must be at least 1/);
  assert.equal(bad.arg, 'layer');
  assert.equal(issue('Bidirectional', input([10, 8, 2]), { layer: lstm(4) }).code, 'rank-mismatch');
});
