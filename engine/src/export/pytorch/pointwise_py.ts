// The Python expressions of the element-wise merges beyond Add/Multiply and of Rescaling and
// Activation. Merges fold left to right as the engine does; torch.maximum/minimum return
// NaN when either operand is NaN, as the engine does.

import type { IRNode } from '../../../catalog/ir';

/** A float literal Python reads back as the same number. */
function pyNumber(v: unknown, fallback: number): string {
  return String(typeof v === 'number' && Number.isFinite(v) ? v : fallback);
}

function fold(fn: string, xs: string[]): string {
  return xs.slice(1).reduce((acc, x) => `${fn}(${acc}, ${x})`, xs[0]);
}

/** The expression of `n` over its input variables, or null for a layer this file does not map. */
export function pointwiseExpression(n: IRNode, xs: string[]): string | null {
  switch (n.op) {
    case 'Subtract': return `${xs[0]} - ${xs[1]}`;
    case 'Average': return `(${xs.join(' + ')}) * ${pyNumber(1 / xs.length, 1)}`;
    case 'Maximum': return fold('torch.maximum', xs);
    case 'Minimum': return fold('torch.minimum', xs);
    case 'Rescaling': return `${xs[0]} * ${pyNumber(n.args.scale, 1)} + ${pyNumber(n.args.offset, 0)}`;
    case 'Activation': return `activation(${xs[0]}, ${JSON.stringify(typeof n.args.activation === 'string' ? n.args.activation : 'linear')})`;
    default: return null;
  }
}
