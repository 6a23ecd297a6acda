// Depthwise convolution as a composite: the depthwise kernel [kh, kw, C, dm] is expanded to
// the block-diagonal full kernel [kh, kw, C, C*dm] (a broadcast multiply with an identity
// mask puts input channel c's filters at output channels c*dm .. c*dm + dm - 1 and zeros
// elsewhere), then the ordinary conv2d runs it. Every backend runs it and gradients come from
// the existing rules; the price is C times the multiply-adds and kernel memory of a
// dedicated depthwise kernel (the zeros are multiplied too).

import type { Padding } from '../backend';
import { tensor, type Tensor } from '../tensor';
import { activation, add, mul, reshape } from './math';
import { conv2d } from './nn';

/** dk [kh, kw, C, dm] -> the equivalent conv2d kernel [kh, kw, C, C*dm]. */
export function blockDiagonalKernel(dk: Tensor): Tensor {
  const [kh, kw, c, dm] = dk.shape;
  const eye = new Float32Array(c * c);
  for (let i = 0; i < c; i++) eye[i * c + i] = 1;
  const full = mul(reshape(dk, [kh, kw, c, 1, dm]), tensor(eye, [c, c, 1]));
  return reshape(full, [kh, kw, c, c * dm]);
}

export interface DepthwiseOptions {
  stride?: [number, number];
  padding?: Padding;
  bias?: Tensor;
  activation?: string;
}

/** x [N, H, W, C] with depthwise kernel dk [kh, kw, C, dm] -> [N, H', W', C*dm]. */
export function depthwiseConv2d(x: Tensor, dk: Tensor, o: DepthwiseOptions = {}): Tensor {
  let y = conv2d(x, blockDiagonalKernel(dk), { stride: o.stride ?? [1, 1], padding: o.padding ?? 'valid' });
  if (o.bias) y = add(y, o.bias);
  return o.activation ? activation(y, o.activation) : y;
}
