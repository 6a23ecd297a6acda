// Layers that grow or shrink the spatial axes at their ends without computing: ZeroPadding
// adds rows and columns of zeros, Cropping removes them. The amounts follow Keras: a number
// for every end, a pair for (first axis, second axis) on both ends, or for 2D the explicit
// ((top, bottom), (left, right)); for 1D a pair is (left, right). No weights, no FLOPs.

import { dimAdd, formatShape, isKnown, type Dim } from '../shape';
import type { LayerInput, LayerResult, LayerSpec, ResolvedArgs } from '../types';
import { expectRank, fail, ok, optional } from './common';
import { defineLayer } from './define';

const INPUT_2D = '[height, width, channels]';
const INPUT_1D = '[length, channels]';

/** The amounts at both ends of each spatial axis: [[before, after], ...]. */
function amounts(args: ResolvedArgs, name: string, axes: 1 | 2): [number, number][] {
  const v = args[name];
  const flat = Array.isArray(v) ? v : typeof v === 'number' ? new Array<number>(axes * 2).fill(v) : [];
  return axes === 2 ? [[flat[0], flat[1]], [flat[2], flat[3]]] : [[flat[0], flat[1]]];
}

/** Sizes of the spatial axes after adding `sign` times each axis's two amounts. */
function resized(layer: string, x: LayerInput, ends: [number, number][], sign: 1 | -1, axisNames: readonly string[], argName: string): Dim[] | LayerResult {
  const out: Dim[] = [];
  for (let i = 0; i < ends.length; i++) {
    const n = x.shape[i];
    const change = sign * (ends[i][0] + ends[i][1]);
    if (isKnown(n) && n + change < 1) {
      return fail(
        'empty-dimension',
        `${layer} removes ${-change} of the ${axisNames[i]} ${n} of ${x.name} ${formatShape(x.shape)}, which leaves nothing; crop less`,
        { arg: argName, input: 0 },
      );
    }
    out.push(dimAdd(n, change));
  }
  return out;
}

function edgeLayer<N extends string>(name: N, kind: 'pad' | 'crop', axes: 1 | 2): LayerSpec<N> {
  const argName = kind === 'pad' ? 'padding' : 'cropping';
  const inputDoc = axes === 2 ? INPUT_2D : INPUT_1D;
  const axisNames = axes === 2 ? ['height', 'width'] : ['length'];
  const verb = kind === 'pad' ? 'Adds zeros at' : 'Removes values from';
  const ends = axes === 2 ? 'the top, bottom, left and right of an image' : 'the start and end of a sequence';
  const argDoc =
    axes === 2
      ? `How many rows and columns to ${kind === 'pad' ? 'add' : 'remove'}: k on every side, (rows, columns) on both ends of each, or ((top, bottom), (left, right)).`
      : `How many steps to ${kind === 'pad' ? 'add' : 'remove'}: k at both ends, or (start, end).`;
  const def = kind === 'crop' && axes === 2 ? 0 : 1;
  const sign = kind === 'pad' ? 1 : -1;
  return defineLayer({
    name,
    category: 'reshape',
    imageInput: axes === 2,
    arity: 'one',
    args: [optional(argName, axes === 2 ? 'pad2' : 'size2', def, argDoc, { min: 0 })],
    inputDoc,
    outputDoc: axes === 2 ? "[height', width', channels]" : "[length', channels]",
    paramsDoc: '0',
    summary: `${verb} ${ends}, channel by channel. FLOPs: 0.`,
    rule(inputs, args) {
      const [x] = inputs;
      const bad = expectRank(name, inputDoc, x, axes + 1);
      if (bad) return bad;
      const sizes = resized(name, x, amounts(args, argName, axes), sign, axisNames, argName);
      if (!Array.isArray(sizes)) return sizes;
      return ok([...sizes, x.shape[axes]], 'float32', [], 0);
    },
  });
}

export const ZeroPadding2D = edgeLayer('ZeroPadding2D', 'pad', 2);
export const ZeroPadding1D = edgeLayer('ZeroPadding1D', 'pad', 1);
export const Cropping2D = edgeLayer('Cropping2D', 'crop', 2);
export const Cropping1D = edgeLayer('Cropping1D', 'crop', 1);

export const PADDING_LAYERS = [ZeroPadding2D, ZeroPadding1D, Cropping2D, Cropping1D] as const;

/** Each spatial axis's [before, after] amounts of a padding or cropping layer's resolved argument. */
export function edgeAmounts(args: ResolvedArgs, layer: string): [number, number][] {
  const is2D = layer.endsWith('2D');
  return amounts(args, layer.startsWith('Zero') ? 'padding' : 'cropping', is2D ? 2 : 1);
}
