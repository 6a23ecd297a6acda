// Keras layers for Netspec's padding and cropping layers. Keras has all four; TF.js 4.22 has
// only the 2D ones, so there a 1D layer runs as its 2D twin on a [length, 1, channels] view
// (Reshape before and after), which computes the same values.

import { edgeAmounts } from '../../../catalog/layers/padding';
import type { IRNode } from '../../../catalog/ir';
import type { KerasTarget, Mapped } from './topology';

const KERAS_CLASS: Record<string, { className: string; arg: string }> = {
  ZeroPadding2D: { className: 'ZeroPadding2D', arg: 'padding' },
  ZeroPadding1D: { className: 'ZeroPadding1D', arg: 'padding' },
  Cropping2D: { className: 'Cropping2D', arg: 'cropping' },
  Cropping1D: { className: 'Cropping1D', arg: 'cropping' },
};

/** The Keras layer of a padding or cropping node. */
export function edgeLayer(node: IRNode, target: KerasTarget): Mapped {
  const { className, arg } = KERAS_CLASS[node.op];
  const ends = edgeAmounts(node.args, node.op);
  if (ends.length === 2) return { className, config: { [arg]: ends, data_format: 'channels_last' } };
  if (target === 'keras') return { className, config: { [arg]: ends[0] } };
  const channels = node.shape[node.shape.length - 1];
  return {
    className: className.replace('1D', '2D'),
    config: { [arg]: [ends[0], [0, 0]], data_format: 'channels_last' },
    before: [{ suffix: 'as_image', className: 'Reshape', config: { target_shape: [-1, 1, channels] } }],
    after: [{ suffix: 'as_sequence', className: 'Reshape', config: { target_shape: [-1, channels] } }],
  };
}
