// Shapes of one sample (the batch axis is implicit) with symbolic sizes. The checker, the
// engine and the IR all speak this vocabulary, so it lives in the catalog, which imports
// nothing. A symbolic size is kept as canonical text ("seq", "h-2", "ceil(h/2)") so that
// two sizes are equal exactly when their texts are equal.

/** One size: a known positive integer, or a symbolic expression's canonical text. */
export type Dim = number | string;
/** The shape of one sample, without the batch axis. */
export type Shape = Dim[];
export type DType = 'float32' | 'int32';

export function isKnown(d: Dim): d is number {
  return typeof d === 'number';
}

export function allKnown(shape: Shape): shape is number[] {
  return shape.every(isKnown);
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

/** Wraps a compound expression in parentheses so it can be an operand. */
function operand(d: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) || (/^(ceil|floor)\(.*\)$/.test(d) && isSingleTerm(d)) ? d : `(${d})`;
}

/** True for "h", "ceil(h/2)", "(h-1)": text with no + or - outside parentheses. */
function isSingleTerm(t: string): boolean {
  let depth = 0;
  for (const ch of t) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && (ch === '+' || ch === '-')) return false;
  }
  return depth === 0 && t.length > 0;
}

/** d + k for an integer k (k may be negative). */
export function dimAdd(d: Dim, k: number): Dim {
  if (isKnown(d)) return d + k;
  if (k === 0) return d;
  // Fold "x-2" + 1 into "x-1" so chains of valid convolutions stay readable.
  const m = /^(.*)([+-])(\d+)$/.exec(d);
  if (m && isSingleTerm(m[1])) {
    const total = (m[2] === '+' ? Number(m[3]) : -Number(m[3])) + k;
    if (total === 0) return m[1];
    return total > 0 ? `${m[1]}+${total}` : `${m[1]}-${-total}`;
  }
  return k > 0 ? `${d}+${k}` : `${d}-${-k}`;
}

/** ceil(d / s). */
export function dimCeilDiv(d: Dim, s: number): Dim {
  if (isKnown(d)) return Math.ceil(d / s);
  return s === 1 ? d : `ceil(${operand(d)}/${s})`;
}

/** floor(d / s). */
export function dimFloorDiv(d: Dim, s: number): Dim {
  if (isKnown(d)) return Math.floor(d / s);
  return s === 1 ? d : `floor(${operand(d)}/${s})`;
}

/** d * k for a positive integer k. */
export function dimMul(d: Dim, k: number): Dim {
  if (isKnown(d)) return d * k;
  return k === 1 ? d : `${operand(d)}*${k}`;
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
