// Pooling: windowed max/average over images and sequences (stride defaults to the pool
// size, as in Keras), and global pooling that reduces every spatial axis to one value per
// channel. No weights; FLOPs count one operation per input element a window reads.

import type { LayerSpec } from '../types';
import { argEnum, argInt, argPair, computed, expectRank, ok, optional, paddingArg, product } from './common';
import { defineLayer } from './define';
import { isIssue, windowSizes } from './window';

const INPUT_2D = '[height, width, channels]';
const INPUT_1D = '[length, channels]';

function pool2D<N extends string>(name: N, op: 'max' | 'average'): LayerSpec<N> {
  return defineLayer({
    name,
    category: 'pool',
    imageInput: true,
    arity: 'one',
    args: [
      optional('pool', 'size2', [2, 2], 'The window size: p for p×p, or (height, width).', { min: 1 }),
      computed('stride', 'size2', 'pool', 'The step between windows; defaults to the pool size.', { min: 1 }),
      paddingArg(),
    ],
    inputDoc: INPUT_2D,
    outputDoc: "[height', width', channels]",
    paramsDoc: '0',
    summary: `Takes the ${op} of each pool window of an image, channel by channel. FLOPs: H'·W'·C·ph·pw (one per value read).`,
    rule(inputs, args) {
      const [x] = inputs;
      const bad = expectRank(name, INPUT_2D, x, 3);
      if (bad) return bad;
      const p = argPair(args, 'pool') ?? [2, 2];
      const s = argPair(args, 'stride') ?? p;
      const padding = argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
      const sizes = windowSizes(name, x, ['height', 'width'], p, s, padding, 'pool', 'pool');
      if (isIssue(sizes)) return sizes;
      const c = x.shape[2];
      return ok([sizes[0], sizes[1], c], 'float32', [], product(sizes[0], sizes[1], c, p[0], p[1]));
    },
  });
}

function pool1D<N extends string>(name: N, op: 'max' | 'average'): LayerSpec<N> {
  return defineLayer({
    name,
    category: 'pool',
    arity: 'one',
    args: [
      optional('pool', 'int', 2, 'The window length.', { min: 1 }),
      computed('stride', 'int', 'pool', 'The step between windows; defaults to the pool size.', { min: 1 }),
      paddingArg(),
    ],
    inputDoc: INPUT_1D,
    outputDoc: "[length', channels]",
    paramsDoc: '0',
    summary: `Takes the ${op} of each pool window of a sequence, channel by channel. FLOPs: L'·C·p (one per value read).`,
    rule(inputs, args) {
      const [x] = inputs;
      const bad = expectRank(name, INPUT_1D, x, 2);
      if (bad) return bad;
      const p = argInt(args, 'pool', 2);
      const s = argInt(args, 'stride', p);
      const padding = argEnum(args, 'padding', 'valid') === 'same' ? 'same' : 'valid';
      const sizes = windowSizes(name, x, ['length'], [p], [s], padding, 'pool', 'pool');
      if (isIssue(sizes)) return sizes;
      const c = x.shape[1];
      return ok([sizes[0], c], 'float32', [], product(sizes[0], c, p));
    },
  });
}

function globalPool<N extends string>(name: N, op: 'max' | 'average', rank: 2 | 3): LayerSpec<N> {
  const inputDoc = rank === 3 ? INPUT_2D : INPUT_1D;
  const over = rank === 3 ? 'height and width' : 'length';
  return defineLayer({
    name,
    category: 'pool',
    imageInput: rank === 3,
    arity: 'one',
    args: [],
    inputDoc,
    outputDoc: '[channels]',
    paramsDoc: '0',
    summary: `Takes the ${op} over the ${over}, leaving one value per channel. FLOPs: one per input value.`,
    rule(inputs) {
      const [x] = inputs;
      const bad = expectRank(name, inputDoc, x, rank);
      if (bad) return bad;
      return ok([x.shape[rank - 1]], 'float32', [], product(...x.shape));
    },
  });
}

export const MaxPool2D = pool2D('MaxPool2D', 'max');
export const AvgPool2D = pool2D('AvgPool2D', 'average');
export const MaxPool1D = pool1D('MaxPool1D', 'max');
export const AvgPool1D = pool1D('AvgPool1D', 'average');
export const GlobalAvgPool2D = globalPool('GlobalAvgPool2D', 'average', 3);
export const GlobalMaxPool2D = globalPool('GlobalMaxPool2D', 'max', 3);
export const GlobalAvgPool1D = globalPool('GlobalAvgPool1D', 'average', 2);
export const GlobalMaxPool1D = globalPool('GlobalMaxPool1D', 'max', 2);

export const POOL_LAYERS = [
  MaxPool2D,
  AvgPool2D,
  MaxPool1D,
  AvgPool1D,
  GlobalAvgPool2D,
  GlobalMaxPool2D,
  GlobalAvgPool1D,
  GlobalMaxPool1D,
] as const;
