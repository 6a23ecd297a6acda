// Up-sampling: each spatial axis grows by an integer factor, as Keras's UpSampling layers
// do. `nearest` repeats every value; UpSampling2D's `bilinear` interpolates like Keras
// (TensorFlow's resize with half-pixel centres, edges clamped). No weights.

import { dimProduct } from '../shape';
import { argEnum, argInt, argPair, expectRank, ok, optional, product } from './common';
import { defineLayer } from './define';

export const INTERPOLATIONS: readonly string[] = ['nearest', 'bilinear'];

export const UpSampling2D = defineLayer({
  name: 'UpSampling2D',
  category: 'reshape',
  imageInput: true,
  arity: 'one',
  args: [
    optional('size', 'size2', [2, 2], 'The factor of each axis: s for s×s, or (rows, columns).', { min: 1 }),
    optional('interpolation', 'enum', 'nearest', '`nearest` repeats each value; `bilinear` interpolates between neighbours (half-pixel centres, as Keras).', {
      values: INTERPOLATIONS,
    }),
  ],
  inputDoc: '[height, width, channels]',
  outputDoc: '[height·sh, width·sw, channels]',
  paramsDoc: '0',
  summary: 'Enlarges an image by an integer factor per axis, repeating (nearest) or interpolating (bilinear) its values. FLOPs: 0 for nearest, 4 per output value for bilinear.',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('UpSampling2D', '[height, width, channels]', x, 3);
    if (bad) return bad;
    const [sh, sw] = argPair(args, 'size') ?? [2, 2];
    const shape = [dimProduct([x.shape[0]], sh), dimProduct([x.shape[1]], sw), x.shape[2]];
    const bilinear = argEnum(args, 'interpolation', 'nearest') === 'bilinear';
    return ok(shape, 'float32', [], bilinear ? product(4, ...shape) : 0);
  },
});

export const UpSampling1D = defineLayer({
  name: 'UpSampling1D',
  category: 'reshape',
  arity: 'one',
  args: [optional('size', 'int', 2, 'How many times each step is repeated.', { min: 1 })],
  inputDoc: '[length, channels]',
  outputDoc: '[length·size, channels]',
  paramsDoc: '0',
  summary: 'Lengthens a sequence by repeating each step `size` times. FLOPs: 0.',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('UpSampling1D', '[length, channels]', x, 2);
    if (bad) return bad;
    return ok([dimProduct([x.shape[0]], argInt(args, 'size', 2)), x.shape[1]], 'float32', [], 0);
  },
});

export const UPSAMPLING_LAYERS = [UpSampling2D, UpSampling1D] as const;
