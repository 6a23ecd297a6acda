// Forwards of the up-sampling layers. Nearest repeats each value: a reshape that opens a
// size-1 axis after every spatial axis, a broadcast along it, a reshape that closes it (so
// the gradient is the broadcast's: the sum over each block). Bilinear is Keras's resize
// (TensorFlow, half-pixel centres, edges clamped) written as one small interpolation matrix
// per axis, applied by matmul; both compose primitive ops, so every backend runs them.

import type { LayerName } from '../../catalog/index';
import * as o from '../ops';
import { tensor, type Tensor } from '../tensor';
import type { LayerForward } from './context';
import { num, pairOf, str } from './context';

/** Repeats each value `factors[i]` times along spatial axis i (the axes after the batch). */
function nearest(x: Tensor, factors: number[]): Tensor {
  const [batch, ...rest] = x.shape;
  const spatial = rest.slice(0, factors.length);
  const channels = rest[factors.length];
  const opened = [batch, ...spatial.flatMap((d) => [d, 1]), channels];
  const wide = [batch, ...spatial.flatMap((d, i) => [d, factors[i]]), channels];
  const out = [batch, ...spatial.map((d, i) => d * factors[i]), channels];
  return o.reshape(o.broadcastTo(o.reshape(x, opened), wide), out);
}

/**
 * The [n, n·s] matrix whose column j holds the weights of the inputs read by output j: the
 * source coordinate (j + 0.5) / s - 0.5 split between its two neighbours, clamped to the edges.
 */
export function bilinearWeights(n: number, s: number): Float32Array {
  const m = new Float32Array(n * n * s);
  const cols = n * s;
  for (let j = 0; j < cols; j++) {
    const at = (j + 0.5) / s - 0.5;
    const floor = Math.floor(at);
    const lerp = at - floor;
    const lower = Math.max(floor, 0);
    const upper = Math.min(Math.ceil(at), n - 1);
    m[lower * cols + j] += 1 - lerp;
    m[upper * cols + j] += lerp;
  }
  return m;
}

/** Interpolates the last axis of x by the factor s. */
function interpolateLast(x: Tensor, s: number): Tensor {
  const n = x.shape[x.rank - 1];
  return o.matmul(x, tensor(bilinearWeights(n, s), [n, n * s]));
}

/** [B, H, W, C] -> [B, H·sh, W·sw, C], one axis at a time with that axis moved last. */
function bilinear(x: Tensor, [sh, sw]: [number, number]): Tensor {
  const rows = interpolateLast(o.transpose(x, [0, 2, 3, 1]), sh); // [B, W, C, H']
  const cols = interpolateLast(o.transpose(rows, [0, 2, 3, 1]), sw); // [B, C, H', W']
  return o.transpose(cols, [0, 2, 3, 1]);
}

const UpSampling2D: LayerForward = ([x], _w, args) => {
  const size = pairOf(args, 'size');
  return str(args, 'interpolation') === 'bilinear' ? bilinear(x, size) : nearest(x, size);
};

const UpSampling1D: LayerForward = ([x], _w, args) => nearest(x, [num(args, 'size')]);

export const UPSAMPLING_FORWARDS = { UpSampling2D, UpSampling1D } satisfies Partial<Record<LayerName, LayerForward>>;
