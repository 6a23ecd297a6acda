// ONNX mappings of the recurrent layers and of multi-head attention.
// - LSTM and GRU are ONNX's own operators on time-major data: Keras' LSTM gates (i, f, c, o)
//   are reordered to ONNX's (i, o, f, c); Keras' GRU gates (z, r, h) are ONNX's order, and
//   reset_after=True is linear_before_reset=1 with the input and recurrent biases as ONNX's
//   Wb and Rb. Kernels [F, G*u] become W [1, G*u, F].
// - SimpleRNN is a Scan whose body is h = activation(x·kernel + bias + h·recurrent_kernel),
//   so every activation the layer accepts is exact (ONNX's RNN knows only some of them).
// - MultiHeadAttention is built from MatMul, Softmax and Trilu (the causal mask, with the
//   engine's -1e9 above the diagonal), with Keras' [D, h, k] kernels as [D, h*k] matrices.

import { FLOAT, valueInfo } from './graph_builder';
import { quantPlan } from './quantize';
import type { LayerCtx, LayerMapping } from './layer_context';
import { activation, str } from './layer_context';
import { batchDim, matmulBias } from './layers_basic';

/** A recurrent kernel [rows, G*u] as ONNX's [1, G*u, rows], gates reordered by `groups`. */
function gateWeight(c: LayerCtx, local: string, groups: number[]): string {
  const k = c.weight(local);
  const [rows, cols] = k.shape;
  return c.b.weight(k.name, {
    data: k.data, shape: k.shape, quant: quantPlan(local, k.shape), groups, perm: [1, 0], dims: [1, cols, rows], axis: 1,
  });
}

function returnSequences(c: LayerCtx): boolean {
  return c.node.args.return_sequences === true;
}

/** Runs an ONNX LSTM or GRU node over x [N, T, F] and shapes its result as the engine does. */
function onnxRecurrent(c: LayerCtx, op: 'LSTM' | 'GRU', groups: number[], bias: Float32Array, extra: Record<string, number>): string {
  const { b, node } = c;
  const u = c.weight('recurrent_kernel').shape[0];
  const x = b.op1('Transpose', [c.inputs[0]], node.id, { perm: [1, 0, 2] });
  const w = gateWeight(c, 'kernel', groups);
  const r = gateWeight(c, 'recurrent_kernel', groups);
  const bName = b.floats(`${node.id}/B`, [1, bias.length], bias);
  const [y, yh] = b.op(op, [x, w, r, bName], node.id, { hidden_size: u, ...extra }, 2);
  if (!returnSequences(c)) return b.op1('Squeeze', [yh, b.int64s(`${node.id}/axis0`, [0])], node.id);
  const seq = b.op1('Squeeze', [y, b.int64s(`${node.id}/axis1`, [1])], node.id);
  return b.op1('Transpose', [seq], node.id, { perm: [1, 0, 2] });
}

const LSTM_GATES = [0, 3, 1, 2]; // ONNX (i, o, f, c) from Keras (i, f, c, o)

const LSTM: LayerMapping = (c) => {
  const bias = c.weight('bias').data;
  const u = bias.length / 4;
  const b = new Float32Array(8 * u); // Wb (reordered), then Rb = 0
  for (let g = 0; g < 4; g++) b.set(bias.subarray(LSTM_GATES[g] * u, (LSTM_GATES[g] + 1) * u), g * u);
  return onnxRecurrent(c, 'LSTM', LSTM_GATES, b, {});
};

const GRU: LayerMapping = (c) => {
  // The engine's bias [2, 3u] is [input bias; recurrent bias] = ONNX's [Wb, Rb] flattened.
  return onnxRecurrent(c, 'GRU', [0, 1, 2], c.weight('bias').data, { linear_before_reset: 1 });
};

const SimpleRNN: LayerMapping = (c) => {
  const { b, node } = c;
  const rk = c.weight('recurrent_kernel');
  const u = rk.shape[0];
  const xw = matmulBias(c, c.inputs[0], 'kernel', 'bias', node.id); // [N, T, u]
  const r = b.weight(rk.name, { data: rk.data, shape: rk.shape, quant: quantPlan('recurrent_kernel', rk.shape), dims: rk.shape, axis: 1 });
  const shape = b.op1('Concat', [batchDim(c, c.inputs[0]), b.int64s(`${node.id}/units`, [u])], node.id, { axis: 0 });
  const h0 = b.op1('Expand', [b.floats(`${node.id}/zero`, [], [0]), shape], node.id);

  const body = b.child();
  const hPrev = body.name(`${node.id}/h_prev`);
  const xt = body.name(`${node.id}/x_t`);
  body.inputs.push(valueInfo(hPrev, FLOAT, [null, u]), valueInfo(xt, FLOAT, [null, u]));
  const pre = body.op1('Add', [xt, body.op1('MatMul', [hPrev, r], node.id)], node.id);
  const h = activation(body, pre, str(node.args, 'activation', 'tanh'), node.id);
  const hOut = h === pre ? body.op1('Identity', [pre], node.id) : h;
  const yt = body.op1('Identity', [hOut], node.id);
  body.outputs.push(valueInfo(hOut, FLOAT, [null, u]), valueInfo(yt, FLOAT, [null, u]));

  const [last, all] = b.op('Scan', [h0, xw], node.id, {
    body: { graph: body.graph(`${node.id}_step`, false) },
    num_scan_inputs: 1,
    scan_input_axes: [1],
    scan_output_axes: [1],
  }, 2);
  return returnSequences(c) ? all : last;
};

/** [N, T, Din] -> [N, h, T, k] (or [N, h, k, T] with `keyLayout`). */
function project(c: LayerCtx, x: string, which: 'query' | 'key' | 'value', h: number, k: number, keyLayout = false): string {
  const { b, node } = c;
  const din = c.weight(`${which}/kernel`).shape[0];
  const y = matmulBias(c, x, `${which}/kernel`, `${which}/bias`, `${node.id}/${which}`, [din, h * k]);
  const split = b.op1('Reshape', [y, b.int64s(`${node.id}/${which}/heads`, [0, 0, h, k])], `${node.id}/${which}`);
  return b.op1('Transpose', [split], `${node.id}/${which}`, { perm: keyLayout ? [0, 2, 3, 1] : [0, 2, 1, 3] });
}

const MultiHeadAttention: LayerMapping = (c) => {
  const { b, node } = c;
  const q = c.inputs[0];
  const kv = c.inputs[1] ?? c.inputs[0];
  const [, h, k] = c.weight('query/kernel').shape;
  const query = b.op1('Mul', [project(c, q, 'query', h, k), b.floats(`${node.id}/scale`, [], [1 / Math.sqrt(k)])], node.id);
  const keyT = project(c, kv, 'key', h, k, true);
  const value = project(c, kv, 'value', h, k);
  let scores = b.op1('MatMul', [query, keyT], node.id); // [N, h, Tq, Tk]
  if (node.args.causal === true) {
    const tq = b.op1('Shape', [q], `${node.id}/tq`, { start: 1, end: 2 });
    const tk = b.op1('Shape', [kv], `${node.id}/tk`, { start: 1, end: 2 });
    const size = b.op1('Concat', [tq, tk], node.id, { axis: 0 });
    const full = b.op1('Expand', [b.floats(`${node.id}/masked`, [], [-1e9]), size], node.id);
    const mask = b.op1('Trilu', [full, b.int64s(`${node.id}/diagonal`, [1], [])], `${node.id}/mask`, { upper: 1 });
    scores = b.op1('Add', [scores, mask], node.id);
  }
  const attended = b.op1('MatMul', [b.op1('Softmax', [scores], node.id, { axis: -1 }), value], node.id);
  const merged = b.op1('Transpose', [attended], node.id, { perm: [0, 2, 1, 3] });
  const flat = b.op1('Reshape', [merged, b.int64s(`${node.id}/merge`, [0, 0, h * k])], node.id);
  const d = c.weight('attention_output/kernel').shape[2];
  return matmulBias(c, flat, 'attention_output/kernel', 'attention_output/bias', `${node.id}/attention_output`, [h * k, d]);
};

export const SEQUENCE_MAPPINGS: Record<string, LayerMapping> = { SimpleRNN, LSTM, GRU, MultiHeadAttention };
