// The text of cpu/unary_generated.ts: each unary function's value and derivative from
// unary_fns.ts emitted as a JavaScript arrow function. The CPU reference is generated
// ahead of time rather than built at run time because the webview's Content-Security-
// Policy forbids `new Function`, and a tree of closures would make the reference loops
// several times slower. A unit test fails when the file is stale.

import { emitJs } from './emit';
import type { Names } from './emit';
import { UNARY_FN_NAMES, UNARY_FNS } from './unary_fns';

const NAMES: Names = { x: 'x', y: 'y', alpha: 'alpha', beta: 'beta', zero: '0' };

export const UNARY_GENERATED_PATH = 'engine/src/cpu/unary_generated.ts';

export function unaryJsSource(): string {
  const value = UNARY_FN_NAMES.map((fn) => `  ${fn}: (x, alpha, beta) => ${emitJs(UNARY_FNS[fn].value, NAMES)},`);
  const derivative = UNARY_FN_NAMES.map((fn) => `  ${fn}: (x, y, alpha, beta) => ${emitJs(UNARY_FNS[fn].derivative, NAMES)},`);
  return `// Generated from engine/src/primitives/unary_fns.ts by \`npx tsx scripts/gen_unary.ts\`; do not edit.

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
`;
}
