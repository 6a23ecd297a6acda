// Forwards of the recurrent layers and of multi-head attention, with Keras' equations and
// weight layouts: SimpleRNN; LSTM with gates (i, f, c, o) in the kernel's columns and a
// sigmoid recurrent activation; GRU with reset_after=True, gates (z, r, h) and a bias of
// [input bias; recurrent bias]; MultiHeadAttention with [D, h, k] projection kernels.

import * as o from '../ops';
import type { Tensor } from '../tensor';
import { tensor } from '../tensor';
import type { LayerName, ResolvedArgs } from '../../catalog/index';
import type { LayerForward } from './context';
import { bool, str } from './context';

/** The columns [g*u, (g+1)*u) of a [N, G*u] tensor. */
function gate(z: Tensor, g: number, u: number): Tensor {
  return o.slice(z, [0, g * u], [z.shape[0], u]);
}

/**
 * Set (only by Bidirectional, for its backward direction) to run the recurrence from the
 * last step to the first, as Keras's go_backwards does. The sequence it returns is put back
 * in input time order, which is how Bidirectional merges it with the forward direction.
 */
export const GO_BACKWARDS = 'go_backwards';

function backwards(args: ResolvedArgs): boolean {
  return args[GO_BACKWARDS] === true;
}

/** x [N, T, F] -> x·kernel (+ bias) per step, as T tensors [N, G*u], in the order the steps run. */
function inputProjections(x: Tensor, kernel: Tensor, bias: Tensor | undefined, reverse: boolean): Tensor[] {
  const [n, t] = x.shape;
  const xw = o.matmul(x, kernel, { bias });
  const cols = xw.shape[2];
  const out: Tensor[] = [];
  for (let s = 0; s < t; s++) out.push(o.reshape(o.slice(xw, [0, reverse ? t - 1 - s : s, 0], [n, 1, cols]), [n, cols]));
  return out;
}

/** The last state, or every state in input time order ([N, T, u]). */
function finish(states: Tensor[], returnSequences: boolean, reverse: boolean): Tensor {
  if (!returnSequences) return states[states.length - 1];
  const [n, u] = states[0].shape;
  const ordered = reverse ? [...states].reverse() : states;
  return o.concat(ordered.map((h) => o.reshape(h, [n, 1, u])), 1);
}

const SimpleRNN: LayerForward = ([x], w, args) => {
  const u = w.recurrent_kernel.shape[0];
  const act = str(args, 'activation');
  let h = o.fill([x.shape[0], u], 0);
  const states: Tensor[] = [];
  for (const xw of inputProjections(x, w.kernel, w.bias, backwards(args))) {
    h = o.activation(o.add(xw, o.matmul(h, w.recurrent_kernel)), act);
    states.push(h);
  }
  return finish(states, bool(args, 'return_sequences'), backwards(args));
};

const LSTM: LayerForward = ([x], w, args) => {
  const u = w.recurrent_kernel.shape[0];
  let h = o.fill([x.shape[0], u], 0);
  let c = h;
  const states: Tensor[] = [];
  for (const xw of inputProjections(x, w.kernel, w.bias, backwards(args))) {
    const z = o.add(xw, o.matmul(h, w.recurrent_kernel));
    const i = o.sigmoid(gate(z, 0, u));
    const f = o.sigmoid(gate(z, 1, u));
    const g = o.tanh(gate(z, 2, u));
    const og = o.sigmoid(gate(z, 3, u));
    c = o.add(o.mul(f, c), o.mul(i, g));
    h = o.mul(og, o.tanh(c));
    states.push(h);
  }
  return finish(states, bool(args, 'return_sequences'), backwards(args));
};

const GRU: LayerForward = ([x], w, args) => {
  const u = w.recurrent_kernel.shape[0];
  const inputBias = o.reshape(o.slice(w.bias, [0, 0], [1, 3 * u]), [3 * u]);
  const recurrentBias = o.reshape(o.slice(w.bias, [1, 0], [1, 3 * u]), [3 * u]);
  let h = o.fill([x.shape[0], u], 0);
  const states: Tensor[] = [];
  for (const xw of inputProjections(x, w.kernel, inputBias, backwards(args))) {
    const inner = o.matmul(h, w.recurrent_kernel, { bias: recurrentBias });
    const z = o.sigmoid(o.add(gate(xw, 0, u), gate(inner, 0, u)));
    const r = o.sigmoid(o.add(gate(xw, 1, u), gate(inner, 1, u)));
    const hh = o.tanh(o.add(gate(xw, 2, u), o.mul(r, gate(inner, 2, u))));
    // h = z * h_prev + (1 - z) * hh.
    h = o.add(o.mul(z, h), o.mul(o.affine(z, -1, 1), hh));
    states.push(h);
  }
  return finish(states, bool(args, 'return_sequences'), backwards(args));
};

/** [N, T, Din] · kernel [Din, h, k] + bias [h, k] -> [N, h, T, k]. */
function project(x: Tensor, kernel: Tensor, bias: Tensor): Tensor {
  const [din, h, k] = kernel.shape;
  const [n, t] = x.shape;
  const y = o.matmul(x, o.reshape(kernel, [din, h * k]), { bias: o.reshape(bias, [h * k]) });
  return o.transpose(o.reshape(y, [n, t, h, k]), [0, 2, 1, 3]);
}

/** Keras' large negative for masked scores in float32. */
const MASKED = -1e9;

const MultiHeadAttention: LayerForward = (inputs, w, args) => {
  const q = inputs[0];
  const kv = inputs[1] ?? inputs[0];
  const [n, tq, d] = q.shape;
  const tk = kv.shape[1];
  const [, h, k] = w['query/kernel'].shape;
  const query = o.affine(project(q, w['query/kernel'], w['query/bias']), 1 / Math.sqrt(k));
  const key = project(kv, w['key/kernel'], w['key/bias']);
  const value = project(kv, w['value/kernel'], w['value/bias']);
  let scores = o.matmul(query, key, { transB: true });
  if (bool(args, 'causal')) {
    const mask = new Float32Array(tq * tk);
    for (let i = 0; i < tq; i++) for (let j = i + 1; j < tk; j++) mask[i * tk + j] = MASKED;
    scores = o.add(scores, tensor(mask, [tq, tk]));
  }
  const attended = o.matmul(o.softmax(scores), value);
  const merged = o.reshape(o.transpose(attended, [0, 2, 1, 3]), [n, tq, h * k]);
  return o.matmul(merged, o.reshape(w['attention_output/kernel'], [h * k, d]), { bias: w['attention_output/bias'] });
};

export const SEQUENCE_LAYERS = { SimpleRNN, LSTM, GRU, MultiHeadAttention } satisfies Partial<Record<LayerName, LayerForward>>;

