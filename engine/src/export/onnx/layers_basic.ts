// ONNX mappings of the layers without recurrence or attention. Data stays NHWC at the
// model's boundary: convolutions and pools transpose to NCHW around the ONNX node, whose
// 'same' padding is SAME_UPPER (the smaller half before, as TensorFlow and the engine pad)
// and whose average pool divides by the in-bounds count (count_include_pad=0), as the
// engine does at the borders. BatchNorm is its inference form with the moving statistics.

import { outputKey } from './calibrate';
import { quantPlan } from './quantize';
import type { LayerCtx, LayerMapping } from './layer_context';
import { activation, num, pair, str } from './layer_context';

/** x @ W (+ b) over the last axis; W [F, units] in the engine's layout. */
export function matmulBias(c: LayerCtx, x: string, kernelLocal: string, biasLocal: string | null, base: string, dims?: number[]): string {
  const { b, node } = c;
  const k = c.weight(kernelLocal);
  const kdims = dims ?? k.shape;
  const w = b.weight(k.name, { data: k.data, shape: k.shape, quant: quantPlan(kernelLocal, k.shape), dims: kdims, axis: kdims.length - 1 });
  let y = b.op1('MatMul', [x, w], base);
  if (biasLocal && node.weights.some((s) => s.name === biasLocal)) {
    const bias = c.weight(biasLocal);
    y = b.op1('Add', [y, b.floats(bias.name, [bias.data.length], bias.data)], base);
  }
  return y;
}

const Dense: LayerMapping = (c) => {
  const y = matmulBias(c, c.b.quantizable(c.inputs[0], c.node.id), 'kernel', 'bias', c.node.id);
  return activation(c.b, y, str(c.node.args, 'activation', 'linear'), c.node.id);
};

const Identity: LayerMapping = (c) => c.b.op1('Identity', [c.inputs[0]], c.node.id);

/** NHWC <-> NCHW around a spatial ONNX op of `rank` spatial axes. */
export function channelsFirst(c: LayerCtx, rank: number, body: (x: string) => string): string {
  const { b, node } = c;
  const toFirst = rank === 2 ? [0, 3, 1, 2] : [0, 2, 1];
  const toLast = rank === 2 ? [0, 2, 3, 1] : [0, 2, 1];
  const x = b.op1('Transpose', [c.inputs[0]], node.id, { perm: toFirst });
  return b.op1('Transpose', [body(x)], node.id, { perm: toLast });
}

function conv(rank: 1 | 2): LayerMapping {
  return (c) => {
    const { b, node } = c;
    const args = node.args;
    const k = c.weight('kernel');
    // [kh, kw, cin, cout] -> [cout, cin, kh, kw]; [k, cin, cout] -> [cout, cin, k].
    const perm = rank === 2 ? [3, 2, 0, 1] : [2, 1, 0];
    const dims = perm.map((p) => k.shape[p]);
    const w = b.weight(k.name, { data: k.data, shape: k.shape, quant: quantPlan('kernel', k.shape), perm, dims, axis: 0 });
    const strides = rank === 2 ? pair(args, 'stride', [1, 1]) : [num(args, 'stride', 1)];
    const same = str(args, 'padding', 'valid') === 'same';
    // An elementwise activation runs before the transpose back, so the output's QDQ (int8)
    // sits right after Conv (and its Relu) and onnxruntime can make a QLinearConv of it.
    const act = str(args, 'activation', 'linear');
    const inside = act !== 'softmax';
    const out = outputKey(node.id);
    const y = channelsFirst(c, rank, (x) => {
      const inputs = [b.quantizable(x, node.id), w];
      if (node.weights.some((s) => s.name === 'bias')) {
        const bias = c.weight('bias');
        inputs.push(b.floats(bias.name, [bias.data.length], bias.data));
      }
      const z = b.op1('Conv', inputs, node.id, {
        kernel_shape: dims.slice(2),
        strides,
        auto_pad: same ? 'SAME_UPPER' : 'VALID',
      });
      return inside ? b.quantizable(activation(b, z, act, node.id), out) : z;
    });
    return inside ? y : b.quantizable(activation(b, y, act, node.id), out);
  };
}

function pool(rank: 1 | 2, fn: 'max' | 'avg'): LayerMapping {
  return (c) => {
    const args = c.node.args;
    const window = rank === 2 ? pair(args, 'pool', [2, 2]) : [num(args, 'pool', 2)];
    const strides = rank === 2 ? pair(args, 'stride', window as [number, number]) : [num(args, 'stride', window[0])];
    const same = str(args, 'padding', 'valid') === 'same';
    return channelsFirst(c, rank, (x) =>
      c.b.op1(fn === 'max' ? 'MaxPool' : 'AveragePool', [x], c.node.id, {
        kernel_shape: window,
        strides,
        auto_pad: same ? 'SAME_UPPER' : 'VALID',
        count_include_pad: fn === 'avg' ? 0 : undefined,
      }),
    );
  };
}

function globalPool(fn: 'max' | 'avg'): LayerMapping {
  return (c) => {
    const axes = c.shapes[0].slice(0, -1).map((_d, i) => i + 1);
    return c.b.op1(fn === 'max' ? 'ReduceMax' : 'ReduceMean', [c.inputs[0]], c.node.id, { axes, keepdims: 0 });
  };
}

const Flatten: LayerMapping = (c) => c.b.op1('Flatten', [c.inputs[0]], c.node.id, { axis: 1 });

/** The batch size of `x` as a one-element int64 tensor. */
export function batchDim(c: LayerCtx, x: string): string {
  return c.b.op1('Shape', [x], `${c.node.id}/batch`, { start: 0, end: 1 });
}

const Reshape: LayerMapping = (c) => {
  const { b, node } = c;
  const target = Array.isArray(node.args.target) ? (node.args.target as number[]) : [-1];
  // With a -1 in the target the batch size is spelled out; without one the batch is the -1.
  const shape = target.includes(-1)
    ? b.op1('Concat', [batchDim(c, c.inputs[0]), b.int64s(`${node.id}/target`, target)], node.id, { axis: 0 })
    : b.int64s(`${node.id}/shape`, [-1, ...target]);
  return b.op1('Reshape', [c.inputs[0], shape], node.id);
};

const BatchNorm: LayerMapping = (c) => {
  const { b, node } = c;
  const eps = num(node.args, 'eps', 1e-3);
  const gamma = c.weight('gamma');
  const variance = c.weight('moving_variance');
  // scale = gamma / sqrt(moving_variance + eps) in float32, as the engine computes it.
  const scale = new Float32Array(gamma.data.length);
  for (let i = 0; i < scale.length; i++) scale[i] = gamma.data[i] / Math.fround(Math.sqrt(Math.fround(variance.data[i] + eps)));
  const mean = c.weight('moving_mean');
  const beta = c.weight('beta');
  const f = [scale.length];
  const centered = b.op1('Sub', [c.inputs[0], b.floats(mean.name, f, mean.data)], node.id);
  const scaled = b.op1('Mul', [centered, b.floats(`${node.id}/scale`, f, scale)], node.id);
  return b.op1('Add', [scaled, b.floats(beta.name, f, beta.data)], node.id);
};

const LayerNorm: LayerMapping = (c) => {
  const { b, node } = c;
  const gamma = c.weight('gamma');
  const beta = c.weight('beta');
  const f = [gamma.data.length];
  return b.op1('LayerNormalization', [c.inputs[0], b.floats(gamma.name, f, gamma.data), b.floats(beta.name, f, beta.data)], node.id, {
    axis: -1,
    epsilon: { f: num(node.args, 'eps', 1e-3) },
  });
};

function act(name: string): LayerMapping {
  return (c) => {
    const y = activation(c.b, c.inputs[0], name, c.node.id, name === 'leaky_relu' ? num(c.node.args, 'alpha', 0.01) : undefined);
    return y === c.inputs[0] ? Identity(c) : y;
  };
}

/** The axis of one sample shifted past the batch axis. */
function sampleAxis(c: LayerCtx, fallback: number): number {
  const axis = num(c.node.args, 'axis', fallback);
  return axis < 0 ? axis : axis + 1;
}

const Softmax: LayerMapping = (c) => c.b.op1('Softmax', [c.inputs[0]], c.node.id, { axis: sampleAxis(c, -1) });

const Embedding: LayerMapping = (c) => {
  const t = c.weight('embeddings');
  const table = c.b.weight(t.name, { data: t.data, shape: t.shape, quant: quantPlan('embeddings', t.shape), dims: t.shape, axis: 0 });
  return c.b.op1('Gather', [table, c.inputs[0]], c.node.id, { axis: 0 });
};

/** x + the first T rows of the table (T from x's shape at run time, so it may be symbolic). */
const PositionEmbedding: LayerMapping = (c) => {
  const { b, node } = c;
  const t = c.weight('embeddings');
  const table = b.weight(t.name, { data: t.data, shape: t.shape, quant: quantPlan('embeddings', t.shape), dims: t.shape, axis: 0 });
  const steps = b.op1('Shape', [c.inputs[0]], `${node.id}/time`, { start: 1, end: 2 });
  const rows = b.op1('Slice', [table, b.int64s(`${node.id}/zero`, [0]), steps, b.int64s(`${node.id}/axis`, [0])], node.id);
  return b.op1('Add', [c.inputs[0], rows], node.id);
};

function fold(op: 'Add' | 'Mul'): LayerMapping {
  return (c) => c.inputs.slice(1).reduce((acc, x) => c.b.op1(op, [acc, x], c.node.id), c.inputs[0]);
}

const Concat: LayerMapping = (c) => c.b.op1('Concat', c.inputs, c.node.id, { axis: sampleAxis(c, -1) });

export const BASIC_MAPPINGS: Record<string, LayerMapping> = {
  Dense, Dropout: Identity, Conv2D: conv(2), Conv1D: conv(1),
  MaxPool2D: pool(2, 'max'), AvgPool2D: pool(2, 'avg'), MaxPool1D: pool(1, 'max'), AvgPool1D: pool(1, 'avg'),
  GlobalMaxPool2D: globalPool('max'), GlobalAvgPool2D: globalPool('avg'),
  GlobalMaxPool1D: globalPool('max'), GlobalAvgPool1D: globalPool('avg'),
  Flatten, Reshape, BatchNorm, LayerNorm,
  ReLU: act('relu'), Sigmoid: act('sigmoid'), Tanh: act('tanh'), GELU: act('gelu'), SiLU: act('silu'),
  ELU: act('elu'), LeakyReLU: act('leaky_relu'), Softmax,
  Embedding, PositionEmbedding, Add: fold('Add'), Multiply: fold('Mul'), Concat,
};
