// Forwards of DepthwiseConv2D and SeparableConv2D (depthwise, then a 1x1 pointwise conv2d).
// The depth multiplier is the depthwise kernel's last axis, so the forwards read it there.

import type { Padding } from '../backend';
import * as o from '../ops';
import type { LayerForward } from './context';
import { pairOf, str } from './context';

const padding = (args: Parameters<LayerForward>[2]): Padding => (str(args, 'padding') === 'same' ? 'same' : 'valid');

const DepthwiseConv2D: LayerForward = ([x], w, args) =>
  o.depthwiseConv2d(x, w.depthwise_kernel, { stride: pairOf(args, 'stride'), padding: padding(args), bias: w.bias, activation: str(args, 'activation') });

const SeparableConv2D: LayerForward = ([x], w, args) => {
  const depthwise = o.depthwiseConv2d(x, w.depthwise_kernel, { stride: pairOf(args, 'stride'), padding: padding(args) });
  return o.conv2d(depthwise, w.pointwise_kernel, { bias: w.bias, activation: str(args, 'activation') });
};

export const DEPTHWISE_FORWARDS = { DepthwiseConv2D, SeparableConv2D };
