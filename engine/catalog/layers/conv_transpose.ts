// Transposed convolutions (Keras's Conv2DTranspose and Conv1DTranspose): the gradient of a
// convolution with respect to its input, used to upsample. Output sizes follow Keras's
// deconv_output_length: `same` gives n*s, `valid` n*s + max(k - s, 0) (= (n-1)*s + k when
// k >= s). The kernel is Keras's [kh, kw, filters, C] ([k, filters, C] in 1-D): the
// forward convolution's kernel read backwards, so its last axis is the input's channels.

import { dimProduct, dimAdd, type Dim } from '../shape';
import {
  activationArg,
  argBool,
  argEnum,
  argInt,
  argPair,
  bias,
  biasArg,
  expectKnown,
  expectRank,
  kernel,
  lastDim,
  ok,
  optional,
  paddingArg,
  product,
  required,
} from './common';
import { defineLayer } from './define';

/** Keras's output length of a transposed convolution along one axis. */
export function transposedLength(n: Dim, k: number, s: number, padding: 'valid' | 'same'): Dim {
  const scaled = dimProduct([n], s);
  return padding === 'same' ? scaled : dimAdd(scaled, Math.max(k - s, 0));
}

function paddingOf(args: Parameters<typeof argEnum>[0]): 'valid' | 'same' {
  return argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
}

const INPUT_2D = '[height, width, channels]';
const INPUT_1D = '[length, channels]';

export const Conv2DTranspose = defineLayer({
  name: 'Conv2DTranspose',
  category: 'conv',
  imageInput: true,
  arity: 'one',
  args: [
    required('filters', 'int', 'The number of output channels.', { min: 1 }),
    required('kernel', 'size2', 'The window size: k for k×k, or (height, width).', { min: 1 }),
    optional('stride', 'size2', [1, 1], 'The upsampling step: s, or (height, width).', { min: 1 }),
    paddingArg(),
    activationArg(),
    biasArg(),
  ],
  inputDoc: INPUT_2D,
  outputDoc: '[height*s (+ max(k-s, 0) if valid), width*s (...), filters]',
  paramsDoc: 'kh*kw*filters*C + filters',
  summary:
    'A transposed 2D convolution (upsampling by the stride). Output: H·s with padding=same, H·s + max(kh−s, 0) with valid. ' +
    'FLOPs: 2·H·W·kh·kw·C·filters (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('Conv2DTranspose', INPUT_2D, x, 3) ?? expectKnown('Conv2DTranspose', x, -1, 'channel count');
    if (bad) return bad;
    const filters = argInt(args, 'filters', 1);
    const k = argPair(args, 'kernel') ?? [1, 1];
    const s = argPair(args, 'stride') ?? [1, 1];
    const padding = paddingOf(args);
    const c = lastDim(x);
    const weights = [kernel([k[0], k[1], filters, c])];
    if (argBool(args, 'bias', true)) weights.push(bias([filters]));
    const shape = [transposedLength(x.shape[0], k[0], s[0], padding), transposedLength(x.shape[1], k[1], s[1], padding), filters];
    return ok(shape, 'float32', weights, product(2, x.shape[0], x.shape[1], k[0], k[1], c, filters));
  },
});

export const Conv1DTranspose = defineLayer({
  name: 'Conv1DTranspose',
  category: 'conv',
  arity: 'one',
  args: [
    required('filters', 'int', 'The number of output channels.', { min: 1 }),
    required('kernel', 'int', 'The window length.', { min: 1 }),
    optional('stride', 'int', 1, 'The upsampling step.', { min: 1 }),
    paddingArg(),
    activationArg(),
    biasArg(),
  ],
  inputDoc: INPUT_1D,
  outputDoc: '[length*s (+ max(k-s, 0) if valid), filters]',
  paramsDoc: 'k*filters*C + filters',
  summary:
    'A transposed 1D convolution (upsampling by the stride). Output: L·s with padding=same, L·s + max(k−s, 0) with valid. ' +
    'FLOPs: 2·L·k·C·filters (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('Conv1DTranspose', INPUT_1D, x, 2) ?? expectKnown('Conv1DTranspose', x, -1, 'channel count');
    if (bad) return bad;
    const filters = argInt(args, 'filters', 1);
    const k = argInt(args, 'kernel', 1);
    const s = argInt(args, 'stride', 1);
    const c = lastDim(x);
    const weights = [kernel([k, filters, c])];
    if (argBool(args, 'bias', true)) weights.push(bias([filters]));
    const shape = [transposedLength(x.shape[0], k, s, paddingOf(args)), filters];
    return ok(shape, 'float32', weights, product(2, x.shape[0], k, c, filters));
  },
});

export const CONV_TRANSPOSE_LAYERS = [Conv2DTranspose, Conv1DTranspose] as const;
