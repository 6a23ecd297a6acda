// Forwards of the transposed convolutions (Conv2DTranspose, Conv1DTranspose).

import type { Padding } from '../backend';
import * as o from '../ops';
import type { LayerForward } from './context';
import { num, pairOf, str } from './context';

const padding = (args: Parameters<LayerForward>[2]): Padding => (str(args, 'padding') === 'same' ? 'same' : 'valid');

const Conv2DTranspose: LayerForward = ([x], w, args) =>
  o.conv2dTranspose(x, w.kernel, { stride: pairOf(args, 'stride'), padding: padding(args), bias: w.bias, activation: str(args, 'activation') });

const Conv1DTranspose: LayerForward = ([x], w, args) =>
  o.conv1dTranspose(x, w.kernel, { stride: num(args, 'stride'), padding: padding(args), bias: w.bias, activation: str(args, 'activation') });

export const CONV_TRANSPOSE_FORWARDS = { Conv2DTranspose, Conv1DTranspose };
