// Forwards of the element-wise merges beyond Add/Multiply and of the weightless pointwise
// layers. Each folds left to right as TF.js's layers do, so rounding and the gradient at
// ties match: Maximum routes a tie's gradient to the earlier input (the op table's max rule,
// TF.js's greaterEqual), Minimum likewise, and a NaN in either operand wins the value.

import type { LayerName } from '../../catalog/index';
import * as o from '../ops';
import type { Tensor } from '../tensor';
import type { LayerForward } from './context';
import { num, str } from './context';

const fold = (f: (a: Tensor, b: Tensor) => Tensor): LayerForward => (xs) => xs.slice(1).reduce(f, xs[0]);

/** Sum, then one scaling by 1/n, as TF.js's Average computes it. */
const Average: LayerForward = (xs) => o.affine(xs.slice(1).reduce((a, b) => o.add(a, b), xs[0]), 1 / xs.length);

const Rescaling: LayerForward = ([x], _w, args) => o.affine(x, num(args, 'scale'), num(args, 'offset'));

const Activation: LayerForward = ([x], _w, args) => o.activation(x, str(args, 'activation'));

export const POINTWISE_LAYERS = {
  Subtract: fold(o.sub), Average, Maximum: fold(o.maximum), Minimum: fold(o.minimum), Rescaling, Activation,
} satisfies Partial<Record<LayerName, LayerForward>>;
