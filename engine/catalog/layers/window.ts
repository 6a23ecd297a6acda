// Sliding-window geometry shared by convolution and pooling: the output size of each
// spatial axis from the kernel (or pool), stride and padding, with the `empty-dimension`
// message when a valid window does not fit in the input.

import { formatShape, windowOutput, type Dim } from '../shape';
import type { LayerInput, LayerResult } from '../types';
import { fail } from './common';

/**
 * Output sizes of the leading spatial axes of `x` (named `axisNames`), or an issue.
 * `what` names the window in messages: "kernel" or "pool".
 */
export function windowSizes(
  layer: string,
  x: LayerInput,
  axisNames: readonly string[],
  window: readonly number[],
  stride: readonly number[],
  padding: 'valid' | 'same',
  what: string,
  argName: string,
): Dim[] | LayerResult {
  const out: Dim[] = [];
  for (let i = 0; i < axisNames.length; i++) {
    const n = x.shape[i];
    const d = windowOutput(n, window[i], stride[i], padding);
    if (d === null) {
      return fail(
        'empty-dimension',
        `${layer}'s ${what} ${window[i]} does not fit the ${axisNames[i]} of ${x.name} ${formatShape(x.shape)}: ` +
          `the ${axisNames[i]} is ${n}, smaller than the ${what}, so the output would be empty (use padding=same or a smaller ${what})`,
        { arg: argName, input: 0 },
      );
    }
    out.push(d);
  }
  return out;
}

export function isIssue(v: Dim[] | LayerResult): v is LayerResult {
  return !Array.isArray(v);
}
