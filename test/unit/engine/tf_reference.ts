// Layer equations written in TensorFlow.js ops, the oracle side of the layer tests: Dense,
// moments, Keras SimpleRNN/LSTM, GRU with reset_after=True and MultiHeadAttention (the last
// two have no tfjs layer), built from tfjs primitives only, with no engine code.

import * as tf from '@tensorflow/tfjs';

export const erfGelu = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));

/** x [..., F] @ w [F, U] + b over the last axis. */
export function denseTf(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const f = x.shape[x.rank - 1];
  const y = tf.matMul(x.reshape([-1, f]), w).reshape([...x.shape.slice(0, -1), w.shape[1]!]);
  return b ? tf.add(y, b) : y;
}

export function moments(x: tf.Tensor, axes: number[]) {
  return tf.moments(x, axes, true);
}

/** Keras SimpleRNN and LSTM (sigmoid recurrent activation) in tfjs ops. */
export function rnnTf(kind: 'rnn' | 'lstm', returnSequences: boolean) {
  return ([x]: tf.Tensor[], [kernel, rk, bias]: tf.Tensor[]) => {
    const [n, t] = x.shape;
    const u = rk.shape[0];
    let h: tf.Tensor = tf.zeros([n, u]);
    let c: tf.Tensor = tf.zeros([n, u]);
    const hs: tf.Tensor[] = [];
    for (let s = 0; s < t; s++) {
      const xt = x.slice([0, s, 0], [n, 1, -1]).reshape([n, -1]);
      const z = tf.add(tf.add(tf.matMul(xt, kernel), tf.matMul(h, rk)), bias);
      if (kind === 'rnn') h = tf.tanh(z);
      else {
        const part = (g: number) => z.slice([0, g * u], [n, u]);
        c = tf.add(tf.mul(tf.sigmoid(part(1)), c), tf.mul(tf.sigmoid(part(0)), tf.tanh(part(2))));
        h = tf.mul(tf.sigmoid(part(3)), tf.tanh(c));
      }
      hs.push(h);
    }
    return returnSequences ? tf.stack(hs, 1) : h;
  };
}

/** Keras GRU (reset_after=True) in tfjs ops. */
export function gru(returnSequences: boolean) {
  return ([x]: tf.Tensor[], [kernel, rk, bias]: tf.Tensor[]) => {
    const [n, t] = x.shape;
    const u = rk.shape[0];
    const bIn = bias.slice([0, 0], [1, 3 * u]).reshape([3 * u]);
    const bRec = bias.slice([1, 0], [1, 3 * u]).reshape([3 * u]);
    let h: tf.Tensor = tf.zeros([n, u]);
    const hs: tf.Tensor[] = [];
    for (let s = 0; s < t; s++) {
      const xt = x.slice([0, s, 0], [n, 1, -1]).reshape([n, -1]);
      const xw = tf.add(tf.matMul(xt, kernel), bIn);
      const inner = tf.add(tf.matMul(h, rk), bRec);
      const part = (m: tf.Tensor, g: number) => m.slice([0, g * u], [n, u]);
      const z = tf.sigmoid(tf.add(part(xw, 0), part(inner, 0)));
      const r = tf.sigmoid(tf.add(part(xw, 1), part(inner, 1)));
      const hh = tf.tanh(tf.add(part(xw, 2), tf.mul(r, part(inner, 2))));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      hs.push(h);
    }
    return returnSequences ? tf.stack(hs, 1) : h;
  };
}

/** Keras MultiHeadAttention in tfjs ops (kernels [D, h, k], output [h, k, D]). */
export function attention(causal: boolean) {
  return (xs: tf.Tensor[], [wq, bq, wk, bk, wv, bv, wo, bo]: tf.Tensor[]) => {
    const q = xs[0];
    const kv = xs[1] ?? xs[0];
    const [, h, k] = wq.shape;
    const n = q.shape[0];
    // [B, T, D] -> [B, h, T, k].
    const proj = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      denseTf(x, w.reshape([w.shape[0], h * k]), b.reshape([h * k])).reshape([n, x.shape[1]!, h, k]).transpose([0, 2, 1, 3]);
    const query = tf.mul(proj(q, wq, bq), 1 / Math.sqrt(k));
    let scores = tf.matMul(query, proj(kv, wk, bk), false, true);
    if (causal) {
      const tq = q.shape[1]!;
      const tk = kv.shape[1]!;
      const mask = tf.linalg.bandPart(tf.ones([tq, tk]), -1, 0);
      scores = tf.add(scores, tf.mul(tf.sub(1, mask), -1e9));
    }
    const out = tf.matMul(tf.softmax(scores), proj(kv, wv, bv)).transpose([0, 2, 1, 3]).reshape([n, q.shape[1]!, h * k]);
    return tf.add(denseTf(out, wo.reshape([h * k, wo.shape[2]!])), bo);
  };
}
