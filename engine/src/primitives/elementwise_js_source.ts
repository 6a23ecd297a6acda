// The text of cpu/elementwise_generated.ts: each unary function's value and derivative
// (unary_fns.ts) and each binary function (binary_fns.ts) emitted as a JavaScript arrow
// function. The CPU reference is generated ahead of time rather than built at run time
// because the webview's Content-Security-Policy forbids `new Function`, and a tree of
// closures would make the reference loops several times slower. A unit test fails when
// the file is stale.

import { BINARY_FN_NAMES, BINARY_FNS } from './binary_fns';
import { emitJs } from './emit';
import type { Names } from './emit';
import { UNARY_FN_NAMES, UNARY_FNS } from './unary_fns';

const NAMES: Names = { x: 'x', y: 'y', alpha: 'alpha', beta: 'beta', a: 'a', b: 'b' };

export const ELEMENTWISE_GENERATED_PATH = 'engine/src/cpu/elementwise_generated.ts';

export function elementwiseJsSource(): string {
  const value = UNARY_FN_NAMES.map((fn) => `  ${fn}: (x, alpha, beta) => ${emitJs(UNARY_FNS[fn].value, NAMES)},`);
  const derivative = UNARY_FN_NAMES.map((fn) => `  ${fn}: (x, y, alpha, beta) => ${emitJs(UNARY_FNS[fn].derivative, NAMES)},`);
  const binary = BINARY_FN_NAMES.map((fn) => `  ${fn}: (a, b) => ${emitJs(BINARY_FNS[fn], NAMES)},`);
  return `// Generated from engine/src/primitives/unary_fns.ts and binary_fns.ts by
// \`npx tsx scripts/gen_elementwise.ts\`; do not edit.

import type { BinaryFn } from '../primitives/binary_fns';
import type { UnaryFn } from '../primitives/unary_fns';
import { erf, sigmoid } from './math_fns';

/** y = f(x). */
export const UNARY_VALUE: Record<UnaryFn, (x: number, alpha: number, beta: number) => number> = {
${value.join('\n')}
};

/** f'(x), given x and y = f(x). */
export const UNARY_DERIVATIVE: Record<UnaryFn, (x: number, y: number, alpha: number, beta: number) => number> = {
${derivative.join('\n')}
};

/** c = f(a, b). */
export const BINARY_VALUE: Record<BinaryFn, (a: number, b: number) => number> = {
${binary.join('\n')}
};
`;
}
