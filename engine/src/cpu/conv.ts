// CPU convolution and pooling in NHWC with TF's 'same' padding split (the smaller half
// before). Direct loops over output positions; each gradient walks the same windows as
// its forward and accumulates in float64, so forward and backward are exact adjoints.

import { forEachTap, window2d } from '../primitives/geometry';
import type { OpAttrs } from '../backend';
import type { HostTensor, Kernel } from './kernel';

export const conv2d: Kernel<'conv2d'> = ([x, w], out, a) => {
  const g = window2d(x.shape, w.shape[0], w.shape[1], a.stride, a.padding);
  const f = w.shape[3];
  const acc = new Float64Array(out.data.length);
  const xd = x.data;
  const wd = w.data;
  forEachTap(g, (xOff, kOff, yOff) => {
    for (let c = 0; c < g.c; c++) {
      const v = xd[xOff * g.c + c];
      const wRow = (kOff * g.c + c) * f;
      const yRow = yOff * f;
      for (let j = 0; j < f; j++) acc[yRow + j] += v * wd[wRow + j];
    }
  });
  out.data.set(acc);
};

export const conv2dGradInput: Kernel<'conv2d_grad_input'> = ([dy, w], out, a) => {
  const g = window2d(a.inputShape, w.shape[0], w.shape[1], a.stride, a.padding);
  const f = w.shape[3];
  const acc = new Float64Array(out.data.length);
  forEachTap(g, (xOff, kOff, yOff) => {
    for (let c = 0; c < g.c; c++) {
      const wRow = (kOff * g.c + c) * f;
      let s = 0;
      for (let j = 0; j < f; j++) s += dy.data[yOff * f + j] * w.data[wRow + j];
      acc[xOff * g.c + c] += s;
    }
  });
  out.data.set(acc);
};

export const conv2dGradFilter: Kernel<'conv2d_grad_filter'> = ([x, dy], out, a) => {
  const [kh, kw, , f] = a.filterShape;
  const g = window2d(x.shape, kh, kw, a.stride, a.padding);
  const acc = new Float64Array(out.data.length);
  forEachTap(g, (xOff, kOff, yOff) => {
    for (let c = 0; c < g.c; c++) {
      const v = x.data[xOff * g.c + c];
      const wRow = (kOff * g.c + c) * f;
      for (let j = 0; j < f; j++) acc[wRow + j] += v * dy.data[yOff * f + j];
    }
  });
  out.data.set(acc);
};

/** Calls visit(yIndex, xIndex, first) per channel for each in-bounds tap of each window; `first` marks a window's first tap. */
function poolWindows(x: HostTensor, a: OpAttrs['pool2d'], visit: (y: number, xIdx: number, first: boolean) => void): void {
  const g = window2d(x.shape, a.pool[0], a.pool[1], a.stride, a.padding);
  let previous = -1;
  forEachTap(g, (xPixel, _tap, yPixel) => {
    const first = yPixel !== previous;
    previous = yPixel;
    for (let c = 0; c < g.c; c++) visit(yPixel * g.c + c, xPixel * g.c + c, first);
  });
}

/** Equal, or both NaN: a NaN maximum routes its gradient to the window's first NaN. */
function sameValue(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** Max pooling takes a window's largest value, or NaN when the window holds one (Keras semantics). */
export const pool2d: Kernel<'pool2d'> = ([x], out, a) => {
  const o = out.data;
  const count = new Float64Array(o.length);
  const acc = new Float64Array(o.length);
  const isMax = a.fn === 'max';
  poolWindows(x, a, (y, xi, first) => {
    const v = x.data[xi];
    if (isMax) acc[y] = first || v > acc[y] || v !== v ? v : acc[y];
    else acc[y] += v;
    count[y]++;
  });
  for (let i = 0; i < o.length; i++) o[i] = isMax ? acc[i] : acc[i] / count[i];
};

export const pool2dGrad: Kernel<'pool2d_grad'> = ([x, y, dy], out, a) => {
  const acc = new Float64Array(out.data.length);
  if (a.fn === 'max') {
    const routed = new Uint8Array(y.data.length);
    poolWindows(x, a, (yi, xi) => {
      if (!routed[yi] && sameValue(x.data[xi], y.data[yi])) {
        acc[xi] += dy.data[yi];
        routed[yi] = 1;
      }
    });
  } else {
    const count = new Float64Array(y.data.length);
    poolWindows(x, a, (yi) => count[yi]++);
    poolWindows(x, a, (yi, xi) => (acc[xi] += dy.data[yi] / count[yi]));
  }
  out.data.set(acc);
};
