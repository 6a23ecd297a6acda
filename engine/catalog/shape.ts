// Shapes of one sample (the batch axis is implicit) with symbolic sizes. The checker, the
// engine and the IR all speak this vocabulary, so it lives in the catalog, which imports
// nothing. A symbolic size is kept as canonical text ("seq", "h-2", "ceil(h/2)") so that
// two sizes are equal exactly when their texts are equal; the arithmetic on sizes is done on
// expression trees (size_expr.ts), whose printer writes that text.

import { addConst, divide, evalSize, num, parseSize, printSize, productOf, sumOf, sym, type SizeExpr } from './size_expr';

/** One size: a known positive integer, or a symbolic expression's canonical text. */
export type Dim = number | string;
/** The shape of one sample, without the batch axis. */
export type Shape = Dim[];
export type DType = 'float32' | 'int32';

export function isKnown(d: Dim): d is number {
  return typeof d === 'number';
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return a === b;
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of the sizes, or null when one is symbolic. */
export function elementCount(shape: Shape): number | null {
  let n = 1;
  for (const d of shape) {
    if (!isKnown(d)) return null;
    n *= d;
  }
  return n;
}

/** A size as an expression tree (a text that is no size in the grammar stays an opaque name). */
export function sizeOf(d: Dim): SizeExpr {
  return isKnown(d) ? num(d) : (parseSize(d) ?? sym(d));
}

/** A size from its tree: a number when it is known, else its canonical text. */
function dimOf(e: SizeExpr): Dim {
  return e.kind === 'num' ? e.value : printSize(e);
}

/** d + k for an integer k (k may be negative); `x-2` + 1 is `x-1`. */
export function dimAdd(d: Dim, k: number): Dim {
  if (isKnown(d)) return d + k;
  return k === 0 ? d : dimOf(addConst(sizeOf(d), k));
}

/** ceil(d / s). */
export function dimCeilDiv(d: Dim, s: number): Dim {
  if (isKnown(d)) return Math.ceil(d / s);
  return s === 1 ? d : dimOf(divide(sizeOf(d), s, 'ceil'));
}

/** floor(d / s). */
export function dimFloorDiv(d: Dim, s: number): Dim {
  if (isKnown(d)) return Math.floor(d / s);
  return s === 1 ? d : dimOf(divide(sizeOf(d), s, 'floor'));
}

/** The sum of sizes (Concat's axis): a number when all are known. */
export function dimSum(dims: readonly Dim[]): Dim {
  return dimOf(sumOf(dims.map(sizeOf)));
}

/** The product of sizes times k (Reshape's inferred size): a number when all are known. */
export function dimProduct(dims: readonly Dim[], k = 1): Dim {
  return dimOf(productOf([...dims.map(sizeOf), num(k)]));
}

/** A size's value once its symbols are bound; null when one is unbound. */
export function evalDim(d: Dim, symbols: ReadonlyMap<string, number>): number | null {
  if (isKnown(d)) return d;
  const e = parseSize(d);
  const v = e === null ? null : evalSize(e, symbols);
  return v !== null && Number.isFinite(v) ? v : null;
}

/**
 * Output size of a window of size k and stride s over n positions (convolution, pooling).
 * valid: floor((n - k) / s) + 1; same: ceil(n / s). Returns null when a known valid
 * output would be empty (the caller reports `empty-dimension`).
 */
export function windowOutput(n: Dim, k: number, s: number, padding: 'valid' | 'same'): Dim | null {
  if (padding === 'same') return dimCeilDiv(n, s);
  if (isKnown(n)) {
    if (n < k) return null;
    return Math.floor((n - k) / s) + 1;
  }
  if (s === 1) return dimAdd(n, -(k - 1));
  return dimAdd(dimFloorDiv(dimAdd(n, -k), s), 1);
}

/** "[batch, 28, 28, 1]": how every message and hover writes a shape. */
export function formatShape(shape: Shape | null, withBatch = true): string {
  if (shape === null) return 'unknown';
  const dims = shape.map(String);
  return `[${(withBatch ? ['batch', ...dims] : dims).join(', ')}]`;
}

/** The JSON form of spec §7: first element "batch", symbolic sizes as strings. */
export function shapeToJson(shape: Shape): (number | string)[] {
  return ['batch', ...shape];
}
