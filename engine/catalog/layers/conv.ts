// Convolutions over images (Conv2D, input [height, width, channels]) and sequences (Conv1D,
// input [length, channels]). The kernel shapes follow Keras: [kh, kw, C, filters] and
// [k, C, filters]; FLOPs count 2 per multiply-add of every output position.

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
import { isIssue, windowSizes } from './window';

const CONV2D_INPUT = '[height, width, channels]';
const CONV1D_INPUT = '[length, channels]';

export const Conv2D = defineLayer({
  name: 'Conv2D',
  category: 'conv',
  imageInput: true,
  arity: 'one',
  args: [
    required('filters', 'int', 'The number of output channels.', { min: 1 }),
    required('kernel', 'size2', 'The window size: k for k×k, or (height, width).', { min: 1 }),
    optional('stride', 'size2', [1, 1], 'The step between windows: s, or (height, width).', { min: 1 }),
    paddingArg(),
    activationArg(),
    biasArg(),
  ],
  inputDoc: CONV2D_INPUT,
  outputDoc: '[height\', width\', filters]',
  paramsDoc: 'kh*kw*C*filters + filters',
  summary:
    'A 2D convolution over an image. FLOPs: 2·H\'·W\'·kh·kw·C·filters (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('Conv2D', CONV2D_INPUT, x, 3) ?? expectKnown('Conv2D', x, -1, 'channel count');
    if (bad) return bad;
    const filters = argInt(args, 'filters', 1);
    const k = argPair(args, 'kernel') ?? [1, 1];
    const s = argPair(args, 'stride') ?? [1, 1];
    const padding = argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
    const sizes = windowSizes('Conv2D', x, ['height', 'width'], k, s, padding, 'kernel', 'kernel');
    if (isIssue(sizes)) return sizes;
    const c = lastDim(x);
    const weights = [kernel([k[0], k[1], c, filters])];
    if (argBool(args, 'bias', true)) weights.push(bias([filters]));
    const flops = product(2, sizes[0], sizes[1], k[0], k[1], c, filters);
    return ok([sizes[0], sizes[1], filters], 'float32', weights, flops);
  },
});

export const Conv1D = defineLayer({
  name: 'Conv1D',
  category: 'conv',
  arity: 'one',
  args: [
    required('filters', 'int', 'The number of output channels.', { min: 1 }),
    required('kernel', 'int', 'The window length.', { min: 1 }),
    optional('stride', 'int', 1, 'The step between windows.', { min: 1 }),
    paddingArg(),
    activationArg(),
    biasArg(),
  ],
  inputDoc: CONV1D_INPUT,
  outputDoc: '[length\', filters]',
  paramsDoc: 'k*C*filters + filters',
  summary:
    'A 1D convolution over a sequence. FLOPs: 2·L\'·k·C·filters (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('Conv1D', CONV1D_INPUT, x, 2) ?? expectKnown('Conv1D', x, -1, 'channel count');
    if (bad) return bad;
    const filters = argInt(args, 'filters', 1);
    const k = argInt(args, 'kernel', 1);
    const s = argInt(args, 'stride', 1);
    const padding = argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
    const sizes = windowSizes('Conv1D', x, ['length'], [k], [s], padding, 'kernel', 'kernel');
    if (isIssue(sizes)) return sizes;
    const c = lastDim(x);
    const weights = [kernel([k, c, filters])];
    if (argBool(args, 'bias', true)) weights.push(bias([filters]));
    return ok([sizes[0], filters], 'float32', weights, product(2, sizes[0], k, c, filters));
  },
});

export const CONV_LAYERS = [Conv2D, Conv1D] as const;
