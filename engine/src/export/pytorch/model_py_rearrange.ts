// PyTorch expressions of the weightless rearranging layers on channels-last tensors:
// zero padding is F.pad (whose amounts list the last axis first, channels unpadded) and
// cropping is a slice that counts the end amounts from each axis's end; nearest
// up-sampling repeats along each axis, bilinear is F.interpolate on a channels-first view
// (align_corners=False: half-pixel centres with edges clamped, as Keras); RepeatVector
// and Permute are repeat and permute with the batch axis kept first.

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
    case 'RepeatVector':
      return `${x}.unsqueeze(1).repeat(1, ${typeof n.args.n === 'number' ? n.args.n : 1}, 1)`;
    case 'Permute':
      return `${x}.permute(0, ${(Array.isArray(n.args.axes) ? n.args.axes : []).join(', ')})`;
    case 'UpSampling1D':
      return `${x}.repeat_interleave(${typeof n.args.size === 'number' ? n.args.size : 2}, dim=1)`;
    case 'UpSampling2D': {
      const [sh, sw] = Array.isArray(n.args.size) ? n.args.size : [2, 2];
      if (n.args.interpolation !== 'bilinear') return `${x}.repeat_interleave(${sh}, dim=1).repeat_interleave(${sw}, dim=2)`;
      const size = `(${x}.shape[1] * ${sh}, ${x}.shape[2] * ${sw})`;
      return `F.interpolate(${x}.permute(0, 3, 1, 2), size=${size}, mode="bilinear", align_corners=False).permute(0, 2, 3, 1)`;
    }
  }
  return null;
}
