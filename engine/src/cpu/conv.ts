// CPU convolution and pooling in NHWC with TF's 'same' padding split (the smaller half
// before). Direct loops over output positions; each gradient walks the same windows as
// its forward and accumulates in float64, so forward and backward are exact adjoints.

import { windowGeometry } from '../primitives/geometry';
import type { OpAttrs } from '../backend';
import type { HostTensor, Kernel } from './kernel';

interface Geometry {
  n: number; h: number; w: number; c: number;
  kh: number; kw: number; oh: number; ow: number;
  sh: number; sw: number; pt: number; pl: number;
}

function geometry(x: readonly number[], kh: number, kw: number, stride: [number, number], padding: OpAttrs['conv2d']['padding']): Geometry {
  const gh = windowGeometry(x[1], kh, stride[0], padding);
  const gw = windowGeometry(x[2], kw, stride[1], padding);
  return { n: x[0], h: x[1], w: x[2], c: x[3], kh, kw, oh: gh.out, ow: gw.out, sh: stride[0], sw: stride[1], pt: gh.padBefore, pl: gw.padBefore };
}

/** Calls visit(xOffset, kOffset, yOffset) for every in-bounds (output position, tap) pair. */
function forEachTap(g: Geometry, visit: (xOff: number, kOff: number, yOff: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yOff = ((b * g.oh + oy) * g.ow + ox);
        for (let r = 0; r < g.kh; r++) {
          const iy = oy * g.sh - g.pt + r;
          if (iy < 0 || iy >= g.h) continue;
          for (let s = 0; s < g.kw; s++) {
            const ix = ox * g.sw - g.pl + s;
            if (ix < 0 || ix >= g.w) continue;
            visit((b * g.h + iy) * g.w + ix, r * g.kw + s, yOff);
          }
        }
      }
    }
  }
}

export const conv2d: Kernel<'conv2d'> = ([x, w], out, a) => {
  const g = geometry(x.shape, w.shape[0], w.shape[1], a.stride, a.padding);
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
  const g = geometry(a.inputShape, w.shape[0], w.shape[1], a.stride, a.padding);
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
  const g = geometry(x.shape, kh, kw, a.stride, a.padding);
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

/** Calls visit(yIndex, xIndex) per channel for each window; returns the in-bounds counts. */
function poolWindows(x: HostTensor, a: OpAttrs['pool2d'], visit: (y: number, xIdx: number, first: boolean) => void): void {
  const g = geometry(x.shape, a.pool[0], a.pool[1], a.stride, a.padding);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yBase = ((b * g.oh + oy) * g.ow + ox) * g.c;
        let first = true;
        for (let r = 0; r < g.kh; r++) {
          const iy = oy * g.sh - g.pt + r;
          if (iy < 0 || iy >= g.h) continue;
          for (let s = 0; s < g.kw; s++) {
            const ix = ox * g.sw - g.pl + s;
            if (ix < 0 || ix >= g.w) continue;
            const xBase = ((b * g.h + iy) * g.w + ix) * g.c;
            for (let c = 0; c < g.c; c++) visit(yBase + c, xBase + c, first);
            first = false;
          }
        }
      }
    }
  }
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
