// ONNX for the weightless rearranging layers: ZeroPadding is Pad (constant zeros) and
// Cropping is Slice on the spatial axes (1 and, for 2D, 2; NHWC). Cropping's ends count
// from the end of each axis, so a symbolic size stays a dynamic axis. UpSampling is Resize
// by scales: nearest reads floor(j / s) (asymmetric, floor), bilinear uses half-pixel
// centres as Keras does. RepeatVector is Unsqueeze then Expand; Permute is Transpose.

import { edgeAmounts } from '../../../catalog/layers/padding';
import type { LayerCtx, LayerMapping } from './layer_context';

/** Past any axis's end: Slice clamps it, so "to the end" needs no size. */
const TO_END = 2 ** 31 - 1;

function zeroPad(c: LayerCtx): string {
  const { b, node } = c;
  const ends = edgeAmounts(node.args, node.op);
  // Pads lists every axis's begin amount, then every axis's end amount (batch and channels 0).
  const pads = [0, ...ends.map(([before]) => before), 0, 0, ...ends.map(([, after]) => after), 0];
  return b.op1('Pad', [c.inputs[0], b.int64s(`${node.id}/pads`, pads)], node.id); // mode defaults to constant zeros
}

function crop(c: LayerCtx): string {
  const { b, node } = c;
  const ends = edgeAmounts(node.args, node.op);
  const starts = ends.map(([before]) => before);
  const stops = ends.map(([, after]) => (after > 0 ? -after : TO_END));
  const axes = ends.map((_e, i) => i + 1);
  return b.op1('Slice', [c.inputs[0], b.int64s(`${node.id}/starts`, starts), b.int64s(`${node.id}/ends`, stops), b.int64s(`${node.id}/axes`, axes)], node.id);
}

function upSample(c: LayerCtx): string {
  const { b, node } = c;
  const a = node.args;
  const factors = node.op === 'UpSampling2D' ? (Array.isArray(a.size) ? a.size : [2, 2]) : [typeof a.size === 'number' ? a.size : 2];
  const scales = b.floats(`${node.id}/scales`, [factors.length + 2], [1, ...factors, 1]);
  const attrs =
    a.interpolation === 'bilinear'
      ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }
      : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
  return b.op1('Resize', [c.inputs[0], '', scales], node.id, attrs);
}

const repeatVector: LayerMapping = (c) => {
  const { b, node } = c;
  const n = typeof node.args.n === 'number' ? node.args.n : 1;
  const opened = b.op1('Unsqueeze', [c.inputs[0], b.int64s(`${node.id}/axis`, [1])], node.id);
  return b.op1('Expand', [opened, b.int64s(`${node.id}/repeats`, [1, n, 1])], node.id);
};

const permute: LayerMapping = (c) => c.b.op1('Transpose', [c.inputs[0]], c.node.id, { perm: [0, ...(c.node.args.axes as number[])] });

export const REARRANGE_MAPPINGS: Record<string, LayerMapping> = {
  ZeroPadding2D: zeroPad,
  ZeroPadding1D: zeroPad,
  Cropping2D: crop,
  Cropping1D: crop,
  UpSampling2D: upSample,
  UpSampling1D: upSample,
  RepeatVector: repeatVector,
  Permute: permute,
};
