// A transposed convolution in float64 written as what it is by definition, independently of
// the engine's route through conv2d_grad_input: every input pixel scatters its kernel-
// weighted values into the output window it would have been computed from. Output sizes are
// Keras's (n*s with same, n*s + max(k - s, 0) with valid); the padding before each axis is
// TF's for a convolution from that output size back to the input's.

import type { Arr } from './helpers';

function outputAndPad(n: number, k: number, s: number, padding: 'valid' | 'same'): [number, number] {
  if (padding === 'valid') return [n * s + Math.max(k - s, 0), 0];
  const out = n * s;
  return [out, Math.floor(Math.max(0, (n - 1) * s + k - out) / 2)];
}

/** x [N, H, W, C], w [kh, kw, F, C] -> [N, H', W', F]. */
export function conv2dTransposeRef(x: Arr, w: Arr, stride: [number, number], padding: 'valid' | 'same'): Arr {
  const [N, H, W, C] = x.shape;
  const [KH, KW, F] = w.shape;
  const [OH, pt] = outputAndPad(H, KH, stride[0], padding);
  const [OW, pl] = outputAndPad(W, KW, stride[1], padding);
  const data = new Array<number>(N * OH * OW * F).fill(0);
  for (let b = 0; b < N; b++)
    for (let iy = 0; iy < H; iy++)
      for (let ix = 0; ix < W; ix++)
        for (let r = 0; r < KH; r++)
          for (let q = 0; q < KW; q++) {
            const oy = iy * stride[0] - pt + r;
            const ox = ix * stride[1] - pl + q;
            if (oy < 0 || ox < 0 || oy >= OH || ox >= OW) continue;
            for (let f = 0; f < F; f++)
              for (let c = 0; c < C; c++) {
                data[((b * OH + oy) * OW + ox) * F + f] += x.data[((b * H + iy) * W + ix) * C + c] * w.data[((r * KW + q) * F + f) * C + c];
              }
          }
  return { data, shape: [N, OH, OW, F] };
}
