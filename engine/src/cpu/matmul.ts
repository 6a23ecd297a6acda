// The CPU matrix product: batched, with either operand transposed, and an optional fused
// bias and activation. The loop order is i-k-j so the inner loop walks rows of b and of
// the output contiguously; sums are carried in float64 for a steady reference.

import { matmulDims } from '../primitives/geometry';
import type { Kernel } from './kernel';
import { unaryFn } from './elementwise';

export const matmul: Kernel<'matmul'> = (inputs, out, attrs) => {
  const [a, b, bias] = inputs;
  const { transA, transB } = attrs;
  const { m, k, n, ai, ap, bp, bj } = matmulDims(a.shape, b.shape, transA, transB);
  const batchA = a.data.length / (m * k);
  const batchB = b.data.length / (k * n);
  const batch = Math.max(batchA, batchB);
  const ad = a.data;
  const bd = b.data;
  const o = out.data;
  const row = new Float64Array(n);
  const act = attrs.activation === 'linear' ? null : unaryFn(attrs.activation);
  for (let t = 0; t < batch; t++) {
    const aOff = (batchA === 1 ? 0 : t) * m * k;
    const bOff = (batchB === 1 ? 0 : t) * k * n;
    const oOff = t * m * n;
    for (let i = 0; i < m; i++) {
      if (transB && !transA) {
        // Rows of a and of b are both contiguous in p: plain dot products.
        const aRow = aOff + i * k;
        for (let j = 0; j < n; j++) {
          const bRow = bOff + j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += ad[aRow + p] * bd[bRow + p];
          row[j] = s;
        }
      } else {
        row.fill(0);
        for (let p = 0; p < k; p++) {
          const aip = ad[aOff + i * ai + p * ap];
          const bRow = bOff + p * bp;
          if (bj === 1) for (let j = 0; j < n; j++) row[j] += aip * bd[bRow + j];
          else for (let j = 0; j < n; j++) row[j] += aip * bd[bRow + j * bj];
        }
      }
      for (let j = 0; j < n; j++) {
        const v = bias ? row[j] + bias.data[j] : row[j];
        o[oOff + i * n + j] = act ? act(v) : v;
      }
    }
  }
};
