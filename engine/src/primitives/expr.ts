// A tiny expression language for elementwise functions, so each function is written once
// and emitted both as JavaScript (the CPU reference, see scripts/gen_elementwise.ts) and as WGSL
// (the WebGPU kernels). Comparisons mean IEEE comparisons (false when either side is NaN)
// in both targets: WGSL spells them with bit-level NaN tests, since a shader compiler may
// assume finite floats.

/** Functions an expression may call; each target supplies its own, equally NaN-faithful, version. */
export type MathFn = 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sigmoid' | 'tanh' | 'erf' | 'pow';

/** The input x, the output y = f(x) (derivatives only), the attributes alpha and beta, and a binary function's operands a and b. */
export type Leaf = 'x' | 'y' | 'alpha' | 'beta' | 'a' | 'b';

export type Expr =
  | { k: Leaf }
  /** A zero the shader compiler cannot fold away, so dy * 0 keeps a NaN dy as the CPU does. */
  | { k: 'zero' }
  | { k: 'num'; v: number }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; a: Expr; b: Expr }
  | { k: 'neg'; a: Expr }
  | { k: 'call'; fn: MathFn; args: Expr[] }
  | { k: 'select'; cond: Cond; then: Expr; else: Expr };

export type Cond =
  | { k: 'cmp'; op: '>' | '<' | '>=' | '<=' | '=='; a: Expr; b: Expr }
  | { k: 'nan'; a: Expr }
  | { k: 'and' | 'or'; a: Cond; b: Cond };

type E = Expr | number;
const e = (v: E): Expr => (typeof v === 'number' ? { k: 'num', v } : v);

export const x: Expr = { k: 'x' };
export const y: Expr = { k: 'y' };
export const alpha: Expr = { k: 'alpha' };
export const beta: Expr = { k: 'beta' };
export const a: Expr = { k: 'a' };
export const b: Expr = { k: 'b' };
export const zero: Expr = { k: 'zero' };

export const num = (v: number): Expr => ({ k: 'num', v });
export const add = (a: E, b: E): Expr => ({ k: 'bin', op: '+', a: e(a), b: e(b) });
export const sub = (a: E, b: E): Expr => ({ k: 'bin', op: '-', a: e(a), b: e(b) });
export const mul = (a: E, b: E): Expr => ({ k: 'bin', op: '*', a: e(a), b: e(b) });
export const div = (a: E, b: E): Expr => ({ k: 'bin', op: '/', a: e(a), b: e(b) });
export const neg = (a: E): Expr => ({ k: 'neg', a: e(a) });
export const call = (fn: MathFn, ...args: E[]): Expr => ({ k: 'call', fn, args: args.map(e) });
/** `cond ? then : otherwise`. */
export const when = (cond: Cond, then: E, otherwise: E): Expr => ({ k: 'select', cond, then: e(then), else: e(otherwise) });

export const gt = (a: E, b: E): Cond => ({ k: 'cmp', op: '>', a: e(a), b: e(b) });
export const lt = (a: E, b: E): Cond => ({ k: 'cmp', op: '<', a: e(a), b: e(b) });
export const ge = (a: E, b: E): Cond => ({ k: 'cmp', op: '>=', a: e(a), b: e(b) });
export const le = (a: E, b: E): Cond => ({ k: 'cmp', op: '<=', a: e(a), b: e(b) });
export const eq = (a: E, b: E): Cond => ({ k: 'cmp', op: '==', a: e(a), b: e(b) });
export const isNan = (a: E): Cond => ({ k: 'nan', a: e(a) });
export const and = (a: Cond, b: Cond): Cond => ({ k: 'and', a, b });
export const or = (a: Cond, b: Cond): Cond => ({ k: 'or', a, b });

/** Whether the expression reads x (a derivative that does not can be taken from the output alone). */
export function readsX(ex: Expr | Cond): boolean {
  switch (ex.k) {
    case 'x': return true;
    case 'y': case 'alpha': case 'beta': case 'a': case 'b': case 'zero': case 'num': return false;
    case 'bin': case 'and': case 'or': return readsX(ex.a) || readsX(ex.b);
    case 'neg': case 'nan': return readsX(ex.a);
    case 'cmp': return readsX(ex.a) || readsX(ex.b);
    case 'call': return ex.args.some(readsX);
    case 'select': return readsX(ex.cond) || readsX(ex.then) || readsX(ex.else);
  }
}
