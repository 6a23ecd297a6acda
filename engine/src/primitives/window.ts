// Sliding windows over NHWC images: convolution and pooling with their gradients.
// Attributes, shapes and gradient rules; the window arithmetic is geometry.ts's.

import { window2d } from './geometry';
import type { GradKit, OpTable } from './spec';
import { firstDType } from './spec';

export type PoolFn = 'max' | 'avg';
export type Padding = 'valid' | 'same';

export interface WindowAttrs {
  /** x [N, H, W, C], w [kh, kw, C, F] -> [N, H', W', F]. */
  conv2d: { stride: [number, number]; padding: Padding };
  /** dy, w -> dx of shape `inputShape`. */
  conv2d_grad_input: { stride: [number, number]; padding: Padding; inputShape: number[] };
  /** x, dy -> dw of shape `filterShape`. */
  conv2d_grad_filter: { stride: [number, number]; padding: Padding; filterShape: number[] };
  /** x [N, H, W, C] -> [N, H', W', C]; average pooling divides by the in-bounds count (TF). */
  pool2d: { fn: PoolFn; pool: [number, number]; stride: [number, number]; padding: Padding };
  /** x, y, dy -> dx; max routes the gradient to the first maximum of each window. */
  pool2d_grad: { fn: PoolFn; pool: [number, number]; stride: [number, number]; padding: Padding };
}

/** [N, H', W'] of a kh x kw window over the NHWC shape x. */
function windowed(x: readonly number[], kh: number, kw: number, stride: [number, number], padding: Padding): number[] {
  const g = window2d(x, kh, kw, stride, padding);
  return [g.n, g.oh, g.ow];
}

export const WINDOW_OPS: OpTable<keyof WindowAttrs> = {
  conv2d: {
    shape: ([x, w], { stride, padding }) => [...windowed(x, w[0], w[1], stride, padding), w[3]],
    dtype: firstDType,
    grad: (node, dy, needs, { apply }) => {
      const [x, w] = node.inputs;
      const { stride, padding } = node.attrs;
      return [
        needs[0] ? apply('conv2d_grad_input', [dy, w], { stride, padding, inputShape: [...x.shape] }) : null,
        needs[1] ? apply('conv2d_grad_filter', [x, dy], { stride, padding, filterShape: [...w.shape] }) : null,
      ];
    },
  },
  conv2d_grad_input: {
    shape: (_inputs, { inputShape }) => [...inputShape],
    dtype: firstDType,
    // Linear in both operands (a transposed convolution runs it forwards): the gradient for
    // dy is the convolution it transposes, and for w the filter gradient with g as the input.
    grad: (node, g, needs, { apply }) => {
      const [dy, w] = node.inputs;
      const { stride, padding } = node.attrs;
      return [
        needs[0] ? apply('conv2d', [g, w], { stride, padding }) : null,
        needs[1] ? apply('conv2d_grad_filter', [g, dy], { stride, padding, filterShape: [...w.shape] }) : null,
      ];
    },
  },
  conv2d_grad_filter: { shape: (_inputs, { filterShape }) => [...filterShape], dtype: firstDType, grad: null },
  pool2d: {
    shape: ([x], { pool, stride, padding }) => [...windowed(x, pool[0], pool[1], stride, padding), x[3]],
    dtype: firstDType,
    grad: (node, dy, _needs, { apply }) => [apply('pool2d_grad', [node.inputs[0], node.output, dy], node.attrs)],
  },
  pool2d_grad: { shape: ([x]) => [...x], dtype: firstDType, grad: null },
};
