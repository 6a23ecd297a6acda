// Weight initialisers with Keras' definitions, drawn from the seeded counter-based Rng so
// the same seed gives the same weights on every backend: Glorot uniform (fans as Keras
// computes them for dense and convolution kernels), orthogonal (QR of a normal matrix by
// modified Gram-Schmidt, signs fixed so the diagonal of R is positive), zeros, ones, and
// Keras Embedding's uniform(-0.05, 0.05).

import type { WeightSpec } from '../catalog/types';
import { Rng } from './rng';
import { tensor } from './tensor';
import type { Tensor } from './tensor';

/** Keras' fan_in and fan_out of a kernel shape. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

export function glorotUniform(shape: readonly number[], rng: Rng): Float32Array {
  const { fanIn, fanOut } = fans(shape);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}

export function uniform(shape: readonly number[], lo: number, hi: number, rng: Rng): Float32Array {
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** A matrix [prod(shape[:-1]), shape[-1]] with orthonormal rows or columns (gain 1). */
export function orthogonal(shape: readonly number[], rng: Rng): Float32Array {
  const cols = shape[shape.length - 1] ?? 1;
  const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const tall = Math.max(rows, cols);
  const narrow = Math.min(rows, cols);
  // q holds `narrow` orthonormal vectors of length `tall`, from columns of a normal matrix.
  const q: Float64Array[] = [];
  for (let j = 0; j < narrow; j++) {
    const v = new Float64Array(tall);
    for (let i = 0; i < tall; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < tall; i++) dot += u[i] * v[i];
      for (let i = 0; i < tall; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < tall; i++) v[i] /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows >= cols ? q[c][r] : q[r][c];
  }
  return out;
}

/** The initial values of a catalog weight. */
export function initialValues(spec: WeightSpec, rng: Rng): Float32Array {
  const n = spec.shape.reduce((p, d) => p * d, 1);
  switch (spec.init) {
    case 'zeros': return new Float32Array(n);
    case 'ones': return new Float32Array(n).fill(1);
    case 'glorot_uniform': return glorotUniform(spec.shape, rng);
    case 'orthogonal': return orthogonal(spec.shape, rng);
    case 'uniform': return uniform(spec.shape, -0.05, 0.05, rng);
    case 'unit_forget_bias': {
      // Keras LSTM: zeros except ones for the forget gate, the second quarter.
      const out = new Float32Array(n);
      out.fill(1, n / 4, n / 2);
      return out;
    }
  }
  return new Float32Array(n);
}

export function initWeight(spec: WeightSpec, rng: Rng): Tensor {
  return tensor(initialValues(spec, rng), spec.shape);
}
