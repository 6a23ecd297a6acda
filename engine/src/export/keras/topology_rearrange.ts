// Keras layers for Netspec's padding, cropping and up-sampling layers. Keras has them all;
// TF.js 4.22 has only the 2D ones, so there a 1D layer runs as its 2D twin on a
// [length, 1, channels] view (Reshape before and after), which computes the same values.
// TF.js's bilinear UpSampling2D aligns pixels the legacy way (no half-pixel centres), so it
// computes other values than Keras and Netspec: refused.

import { edgeAmounts } from '../../../catalog/layers/padding';
import type { IRNode } from '../../../catalog/ir';
import type { KerasTarget, Mapped } from './topology';

const KERAS_CLASS: Record<string, { className: string; arg: string }> = {
  ZeroPadding2D: { className: 'ZeroPadding2D', arg: 'padding' },
  ZeroPadding1D: { className: 'ZeroPadding1D', arg: 'padding' },
  Cropping2D: { className: 'Cropping2D', arg: 'cropping' },
  Cropping1D: { className: 'Cropping1D', arg: 'cropping' },
};

/** Runs a 2D layer on a [length, 1, channels] view of a sequence (TF.js has no 1D twin). */
function asSequence(node: IRNode, mapped: Mapped): Mapped {
  const channels = node.shape[node.shape.length - 1];
  return {
    ...mapped,
    before: [{ suffix: 'as_image', className: 'Reshape', config: { target_shape: [-1, 1, channels] } }],
    after: [{ suffix: 'as_sequence', className: 'Reshape', config: { target_shape: [-1, channels] } }],
  };
}

/** The Keras layer of an up-sampling node, or why TF.js cannot have it. */
export function upSamplingLayer(node: IRNode, target: KerasTarget): Mapped | string {
  const a = node.args;
  if (node.op === 'UpSampling1D') {
    const size = typeof a.size === 'number' ? a.size : 2;
    if (target === 'keras') return { className: 'UpSampling1D', config: { size } };
    return asSequence(node, { className: 'UpSampling2D', config: { size: [size, 1], data_format: 'channels_last', interpolation: 'nearest' } });
  }
  const interpolation = a.interpolation === 'bilinear' ? 'bilinear' : 'nearest';
  if (target === 'tfjs' && interpolation === 'bilinear') {
    return "TensorFlow.js's bilinear UpSampling2D has no half-pixel centres (Keras's and Netspec's), so it would compute other values; the keras and onnx formats can express it";
  }
  return { className: 'UpSampling2D', config: { size: Array.isArray(a.size) ? a.size : [2, 2], data_format: 'channels_last', interpolation } };
}

/** The Keras layer of a padding or cropping node. */
export function edgeLayer(node: IRNode, target: KerasTarget): Mapped {
  const { className, arg } = KERAS_CLASS[node.op];
  const ends = edgeAmounts(node.args, node.op);
  if (ends.length === 2) return { className, config: { [arg]: ends, data_format: 'channels_last' } };
  if (target === 'keras') return { className, config: { [arg]: ends[0] } };
  return asSequence(node, { className: className.replace('1D', '2D'), config: { [arg]: [ends[0], [0, 0]], data_format: 'channels_last' } });
}
