// The two spellings of an expression (expr.ts): JavaScript over float64 numbers, and WGSL
// over f32 with bit-level NaN tests (`ord`, `is_nan` from the kernels' prelude). Both are
// fully parenthesised, so operations happen in the order the expression was written and
// the CPU's float64 results, rounded to float32, stay what the hand-written code gave.

import type { Cond, Expr, Leaf, MathFn } from './expr';

/** Names the variables take in the emitted code; a table names those its expressions read. */
export type Names = { [L in Leaf | 'zero']?: string };

function nameOf(names: Names, leaf: Leaf | 'zero'): string {
  const name = names[leaf];
  if (name === undefined) throw new Error(`no name for ${leaf} in this expression's target`);
  return name;
}

const JS_FNS: Record<MathFn, string> = {
  exp: 'Math.exp', log: 'Math.log', sqrt: 'Math.sqrt', abs: 'Math.abs', sign: 'Math.sign',
  sigmoid: 'sigmoid', tanh: 'Math.tanh', erf: 'erf', pow: 'Math.pow',
};

/** WGSL's own functions, or helpers from the kernels' MATH block that match the CPU's NaN and sign behaviour. */
const WGSL_FNS: Record<MathFn, string> = {
  exp: 'exp', log: 'log', sqrt: 'sqrt', abs: 'abs', sign: 'sign_nan',
  sigmoid: 'sigm', tanh: 'tanh_s', erf: 'erf_nr', pow: 'pow_js',
};

export function emitJs(ex: Expr, names: Names): string {
  const go = (a: Expr): string => emitJs(a, names);
  switch (ex.k) {
    case 'x': case 'y': case 'alpha': case 'beta': case 'a': case 'b': return nameOf(names, ex.k);
    case 'zero': return '0';
    case 'num': return ex.v < 0 ? `(${ex.v})` : String(ex.v);
    case 'bin': return `(${go(ex.a)} ${ex.op} ${go(ex.b)})`;
    case 'neg': return `(-${go(ex.a)})`;
    case 'call': return `${JS_FNS[ex.fn]}(${ex.args.map(go).join(', ')})`;
    case 'select': return `(${condJs(ex.cond, names)} ? ${go(ex.then)} : ${go(ex.else)})`;
  }
}

function condJs(c: Cond, names: Names): string {
  switch (c.k) {
    case 'cmp': return `${emitJs(c.a, names)} ${c.op === '==' ? '===' : c.op} ${emitJs(c.b, names)}`;
    case 'nan': return `${emitJs(c.a, names)} !== ${emitJs(c.a, names)}`;
    case 'and': return `(${condJs(c.a, names)} && ${condJs(c.b, names)})`;
    case 'or': return `(${condJs(c.a, names)} || ${condJs(c.b, names)})`;
  }
}

/** A WGSL f32 literal: integers get a fraction so they are not typed as abstract ints. */
function f32Literal(v: number): string {
  const s = Number.isInteger(v) ? v.toFixed(1) : String(v);
  return v < 0 ? `(${s})` : s;
}

export function emitWgsl(ex: Expr, names: Names): string {
  const go = (a: Expr): string => emitWgsl(a, names);
  switch (ex.k) {
    case 'x': case 'y': case 'alpha': case 'beta': case 'a': case 'b': case 'zero': return nameOf(names, ex.k);
    case 'num': return f32Literal(ex.v);
    case 'bin': return `(${go(ex.a)} ${ex.op} ${go(ex.b)})`;
    case 'neg': return `(-${go(ex.a)})`;
    case 'call': return `${WGSL_FNS[ex.fn]}(${ex.args.map(go).join(', ')})`;
    case 'select': return `select(${go(ex.else)}, ${go(ex.then)}, ${condWgsl(ex.cond, names)})`;
  }
}

function condWgsl(c: Cond, names: Names): string {
  switch (c.k) {
    case 'cmp': {
      const a = emitWgsl(c.a, names);
      const b = emitWgsl(c.b, names);
      return `(ord(${a}, ${b}) && ${a} ${c.op} ${b})`;
    }
    case 'nan': return `is_nan(${emitWgsl(c.a, names)})`;
    case 'and': return `(${condWgsl(c.a, names)} && ${condWgsl(c.b, names)})`;
    case 'or': return `(${condWgsl(c.a, names)} || ${condWgsl(c.b, names)})`;
  }
}
