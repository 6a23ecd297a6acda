// PyTorch expressions of the weightless rearranging layers on channels-last tensors:
// zero padding is F.pad (whose amounts list the last axis first, channels unpadded) and
// cropping is a slice that counts the end amounts from each axis's end.

import { edgeAmounts } from '../../../catalog/layers/padding';
import type { IRNode } from '../../../catalog/ir';

/** `a:-b` (to the end when b is 0). */
function span(before: number, after: number): string {
  return `${before}:${after > 0 ? -after : ''}`;
}

/** The expression of a padding or cropping node over `x`, or null for another layer. */
export function rearrangeExpression(n: IRNode, x: string): string | null {
  switch (n.op) {
    case 'ZeroPadding2D':
    case 'ZeroPadding1D': {
      const amounts = [...edgeAmounts(n.args, n.op)].reverse().flat();
      return `F.pad(${x}, (0, 0, ${amounts.join(', ')}))`;
    }
    case 'Cropping2D':
    case 'Cropping1D':
      return `${x}[:, ${edgeAmounts(n.args, n.op).map(([a, b]) => span(a, b)).join(', ')}]`;
  }
  return null;
}
