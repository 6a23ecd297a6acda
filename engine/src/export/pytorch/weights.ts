// The engine's weights (Keras names and layouts, "node_id/kernel") as the PyTorch module's
// state_dict ("node__id.weight", PyTorch layouts): Dense kernels transposed, convolution
// kernels [kh, kw, in, out] -> [out, in, kh, kw], LSTM gates kept (i, f, c, o = i, f, g, o)
// with a zero bias_hh_l0, GRU gates (z, r, h) reordered to (r, z, n), attention kernels
// [D, h, k] flattened to nn.Linear weights. Also which state entries are kernels (the
// regularizer's), and the inverse mapping, so train.py can write netspec weights back.

import type { IRNode, ModelIR } from '../../../catalog/ir';
import type { NamedArray } from '../../train/types';
import type { ExportError } from '../types';
import { isLayerCall } from '../../../catalog/types';
import { directionNode, moduleNames } from './model_py';

/** [r, c] row-major -> [c, r]. */
function transpose2(a: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

/** Rows [a, b) of a [rows, cols] matrix. */
function rows(a: Float32Array, cols: number, from: number, to: number): Float32Array {
  return a.slice(from * cols, to * cols);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Keras GRU gate blocks (z, r, h) of a [3u, cols] matrix -> PyTorch's (r, z, n). */
function gruOrder(a: Float32Array, u: number, cols: number): Float32Array {
  return concat([rows(a, cols, u, 2 * u), rows(a, cols, 0, u), rows(a, cols, 2 * u, 3 * u)]);
}

/** [kh, kw, cin, cout] -> [cout, cin, kh, kw]; [k, cin, cout] -> [cout, cin, k]. */
function convKernel(a: Float32Array, shape: number[]): { data: Float32Array; shape: number[] } {
  const spatial = shape.slice(0, -2);
  const [cin, cout] = shape.slice(-2);
  const s = spatial.reduce((x, y) => x * y, 1);
  const out = new Float32Array(a.length);
  for (let p = 0; p < s; p++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[(o * cin + i) * s + p] = a[(p * cin + i) * cout + o];
  return { data: out, shape: [cout, cin, ...spatial] };
}

export interface StateEntry {
  /** The state_dict key. */
  key: string;
  shape: number[];
  data: Float32Array;
  /** The engine weight it comes from (null for PyTorch-only entries such as LSTM's bias_hh_l0). */
  engine: string | null;
  /** How to turn the PyTorch value back into the engine's layout (read by train.py). */
  back: { op: 'copy' | 'transpose' | 'conv' | 'gru' | 'gru_bias' | 'reshape'; shape: number[]; part?: number } | null;
  /** A kernel: the train block's regularizer applies. */
  regularized: boolean;
  trainable: boolean;
}

/** The state_dict of the exported module, or the error naming the node whose weights do not fit. */
export function stateDict(ir: ModelIR, weights: readonly NamedArray[]): StateEntry[] | ExportError {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const names = moduleNames(ir);
  const out: StateEntry[] = [];
  for (const n of ir.nodes) {
    const prefix = names.get(n.id)!;
    const get = (w: string): NamedArray | ExportError => byName.get(`${n.id}/${w}`) ?? { message: `the weights have no ${n.id}/${w}`, node: n.id, line: n.line };
    for (const spec of n.weights) {
      const w = get(spec.name);
      if ('message' in w) return w;
      const entries = convert(n, prefix, spec.name, w);
      if ('message' in entries) return entries;
      for (const e of entries) out.push({ ...e, engine: e.engine === null ? null : w.name, regularized: e.engine !== null && spec.regularized, trainable: e.engine !== null && spec.trainable });
    }
  }
  return out;
}

type Partial = Omit<StateEntry, 'regularized' | 'trainable'>;

function convert(n: IRNode, prefix: string, weight: string, w: NamedArray): Partial[] | ExportError {
  const key = (k: string) => `${prefix}.${k}`;
  const copy = (k: string): Partial => ({ key: key(k), shape: [...w.shape], data: w.data, engine: w.name, back: { op: 'copy', shape: [...w.shape] } });
  const transposed = (k: string): Partial => {
    const [r, c] = w.shape;
    return { key: key(k), shape: [c, r], data: transpose2(w.data, r, c), engine: w.name, back: { op: 'transpose', shape: [...w.shape] } };
  };
  switch (n.op) {
    case 'Dense':
      return [weight === 'kernel' ? transposed('weight') : copy('bias')];
    case 'Conv2D':
    case 'Conv1D':
    case 'Conv2DTranspose': // [kh, kw, out, in] -> [in, out, kh, kw]: ConvTranspose's layout
    case 'Conv1DTranspose':
      if (weight === 'kernel') {
        const c = convKernel(w.data, w.shape);
        return [{ key: key('weight'), shape: c.shape, data: c.data, engine: w.name, back: { op: 'conv', shape: [...w.shape] } }];
      }
      return [copy('bias')];
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      if (weight === 'bias') return [copy(n.op === 'SeparableConv2D' ? 'pointwise.bias' : 'bias')];
      // The depthwise kernel [kh, kw, C, dm] is a [kh, kw, 1, C*dm] kernel of a grouped conv.
      const depth = weight === 'depthwise_kernel';
      const [kh, kw, ci, co] = w.shape;
      const c = convKernel(w.data, depth ? [kh, kw, 1, ci * co] : w.shape);
      const k = n.op === 'DepthwiseConv2D' ? 'weight' : depth ? 'depthwise.weight' : 'pointwise.weight';
      return [{ key: key(k), shape: c.shape, data: c.data, engine: w.name, back: { op: 'conv', shape: [...w.shape] } }];
    }
    case 'BatchNorm':
      return [copy({ gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' }[weight] ?? weight)];
    case 'LayerNorm':
      return [copy(weight === 'gamma' ? 'weight' : 'bias')];
    case 'Embedding':
    case 'PositionEmbedding':
      return [copy('weight')];
    case 'SimpleRNN':
      if (weight === 'kernel') return [transposed('weight_ih')];
      if (weight === 'recurrent_kernel') return [transposed('weight_hh')];
      return [copy('bias')];
    case 'LSTM':
      if (weight === 'kernel') return [transposed('weight_ih_l0')];
      if (weight === 'recurrent_kernel') return [transposed('weight_hh_l0')];
      return [copy('bias_ih_l0'), { key: key('bias_hh_l0'), shape: [...w.shape], data: new Float32Array(w.data.length), engine: null, back: null }];
    case 'GRU': {
      if (weight === 'bias') {
        const u3 = w.shape[1];
        return [0, 1].map((part) => ({
          key: key(part === 0 ? 'bias_ih_l0' : 'bias_hh_l0'),
          shape: [u3],
          data: gruOrder(w.data.slice(part * u3, (part + 1) * u3), u3 / 3, 1),
          engine: w.name,
          back: { op: 'gru_bias' as const, shape: [...w.shape], part },
        }));
      }
      const [r, c] = w.shape;
      const t = transpose2(w.data, r, c);
      return [{ key: key(weight === 'kernel' ? 'weight_ih_l0' : 'weight_hh_l0'), shape: [c, r], data: gruOrder(t, c / 3, r), engine: w.name, back: { op: 'gru', shape: [...w.shape] } }];
    }
    case 'Bidirectional': {
      // "forward_lstm/kernel": the wrapped layer's weight, in the module's forward_layer.
      const inner = n.args.layer;
      const slash = weight.indexOf('/');
      if (!isLayerCall(inner) || slash < 0) break;
      const direction = weight.startsWith('forward_') ? 'forward' : 'backward';
      return convert(directionNode(n, inner, direction), `${prefix}.${direction}_layer`, weight.slice(slash + 1), w);
    }
    case 'MultiHeadAttention': {
      const [part, kind] = weight.split('/');
      const mod = part === 'attention_output' ? 'output' : part;
      if (kind === 'bias') {
        const size = w.data.length;
        return [{ key: key(`${mod}.bias`), shape: [size], data: w.data, engine: w.name, back: { op: 'reshape', shape: [...w.shape] } }];
      }
      // query/key/value [Din, h, k] -> [h*k, Din]; attention_output [h, k, D] -> [D, h*k].
      const r = part === 'attention_output' ? w.shape[0] * w.shape[1] : w.shape[0];
      const c = w.data.length / r;
      return [{ key: key(`${mod}.weight`), shape: [c, r], data: transpose2(w.data, r, c), engine: w.name, back: { op: 'transpose', shape: [...w.shape] } }];
    }
  }
  return { message: `${n.op} has no PyTorch mapping for its weight ${weight}`, node: n.id, line: n.line };
}
