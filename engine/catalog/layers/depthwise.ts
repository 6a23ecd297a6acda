// Depthwise and separable convolutions (Keras's DepthwiseConv2D and SeparableConv2D): each
// input channel convolved with its own depth_multiplier filters, output channel c*dm + m,
// and for SeparableConv2D a 1x1 pointwise convolution after. Weights in Keras's order and
// names: depthwise_kernel [kh, kw, C, dm], pointwise_kernel [1, 1, C*dm, filters], bias.
// Sizes follow Conv2D's window rule (the stride applies in the depthwise step).

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

const INPUT = '[height, width, channels]';

const kernelArg = () => required('kernel', 'size2', 'The window size: k for k×k, or (height, width).', { min: 1 });
const strideArg = () => optional('stride', 'size2', [1, 1], 'The step between windows: s, or (height, width).', { min: 1 });
const multiplierArg = () => optional('depth_multiplier', 'int', 1, 'How many filters each input channel gets.', { min: 1 });

export const DepthwiseConv2D = defineLayer({
  name: 'DepthwiseConv2D',
  category: 'conv',
  imageInput: true,
  arity: 'one',
  args: [kernelArg(), strideArg(), paddingArg(), multiplierArg(), activationArg(), biasArg()],
  inputDoc: INPUT,
  outputDoc: '[height\', width\', channels*depth_multiplier]',
  paramsDoc: 'kh*kw*C*dm + C*dm',
  summary:
    'A depthwise 2D convolution: each channel convolved with its own depth_multiplier filters. ' +
    'FLOPs: 2·H\'·W\'·kh·kw·C·dm (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('DepthwiseConv2D', INPUT, x, 3) ?? expectKnown('DepthwiseConv2D', x, -1, 'channel count');
    if (bad) return bad;
    const k = argPair(args, 'kernel') ?? [1, 1];
    const s = argPair(args, 'stride') ?? [1, 1];
    const dm = argInt(args, 'depth_multiplier', 1);
    const padding = argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
    const sizes = windowSizes('DepthwiseConv2D', x, ['height', 'width'], k, s, padding, 'kernel', 'kernel');
    if (isIssue(sizes)) return sizes;
    const c = lastDim(x);
    const weights = [kernel([k[0], k[1], c, dm], 'depthwise_kernel')];
    if (argBool(args, 'bias', true)) weights.push(bias([c * dm]));
    return ok([sizes[0], sizes[1], c * dm], 'float32', weights, product(2, sizes[0], sizes[1], k[0], k[1], c, dm));
  },
});

export const SeparableConv2D = defineLayer({
  name: 'SeparableConv2D',
  category: 'conv',
  imageInput: true,
  arity: 'one',
  args: [
    required('filters', 'int', 'The number of output channels.', { min: 1 }),
    kernelArg(),
    strideArg(),
    paddingArg(),
    multiplierArg(),
    activationArg(),
    biasArg(),
  ],
  inputDoc: INPUT,
  outputDoc: '[height\', width\', filters]',
  paramsDoc: 'kh*kw*C*dm + C*dm*filters + filters',
  summary:
    'A depthwise 2D convolution then a 1×1 pointwise convolution to `filters` channels. ' +
    'FLOPs: 2·H\'·W\'·C·dm·(kh·kw + filters) (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('SeparableConv2D', INPUT, x, 3) ?? expectKnown('SeparableConv2D', x, -1, 'channel count');
    if (bad) return bad;
    const filters = argInt(args, 'filters', 1);
    const k = argPair(args, 'kernel') ?? [1, 1];
    const s = argPair(args, 'stride') ?? [1, 1];
    const dm = argInt(args, 'depth_multiplier', 1);
    const padding = argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
    const sizes = windowSizes('SeparableConv2D', x, ['height', 'width'], k, s, padding, 'kernel', 'kernel');
    if (isIssue(sizes)) return sizes;
    const c = lastDim(x);
    const weights = [kernel([k[0], k[1], c, dm], 'depthwise_kernel'), kernel([1, 1, c * dm, filters], 'pointwise_kernel')];
    if (argBool(args, 'bias', true)) weights.push(bias([filters]));
    const flops = product(2, sizes[0], sizes[1], c, dm, k[0] * k[1] + filters);
    return ok([sizes[0], sizes[1], filters], 'float32', weights, flops);
  },
});

export const DEPTHWISE_LAYERS = [DepthwiseConv2D, SeparableConv2D] as const;
