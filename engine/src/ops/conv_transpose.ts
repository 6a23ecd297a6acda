// Transposed convolution: the gradient of a convolution with respect to its input, run
// forwards. The output shape is Keras's (n*s, plus max(k - s, 0) with valid padding); a
// convolution with the same kernel, stride and padding maps that shape back to the input's,
// so the existing conv2d_grad_input primitive computes it on every backend, and the op
// table's rule for that primitive gives it gradients.

import type { Padding } from '../backend';
import { apply } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { activation, add, reshape } from './math';

export interface ConvTransposeOptions {
  stride?: [number, number];
  padding?: Padding;
  bias?: Tensor;
  activation?: string;
}

function outputLength(n: number, k: number, s: number, padding: Padding): number {
  return padding === 'same' ? n * s : n * s + Math.max(k - s, 0);
}

/** x [N, H, W, C] with Keras's kernel w [kh, kw, F, C] -> [N, H', W', F]. */
export function conv2dTranspose(x: Tensor, w: Tensor, o: ConvTransposeOptions = {}): Tensor {
  const stride = o.stride ?? [1, 1];
  const padding = o.padding ?? 'valid';
  const [n, h, wd] = x.shape;
  const [kh, kw, f] = w.shape;
  const inputShape = [n, outputLength(h, kh, stride[0], padding), outputLength(wd, kw, stride[1], padding), f];
  let y = apply('conv2d_grad_input', [x, w], { stride, padding, inputShape });
  if (o.bias) y = add(y, o.bias);
  return o.activation ? activation(y, o.activation) : y;
}

/** x [N, L, C] with kernel w [k, F, C] -> [N, L', F]: run as 2-D with a height of 1. */
export function conv1dTranspose(x: Tensor, w: Tensor, o: Omit<ConvTransposeOptions, 'stride'> & { stride?: number } = {}): Tensor {
  const [n, l, c] = x.shape;
  const [k, f] = w.shape;
  const y = conv2dTranspose(reshape(x, [n, 1, l, c]), reshape(w, [1, k, f, c]), { ...o, stride: [1, o.stride ?? 1] });
  return reshape(y, [n, y.shape[2], f]);
}
