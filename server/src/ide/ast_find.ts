// Small walks over one declaration's syntax tree: the call whose callee starts at an
// offset, and the statements in order. They only visit one declaration, never the file.

import type { BlockDecl, Call, Decl, Expr, Stmt } from '../syntax/ast';

/** Every statement of a body, repeat bodies included, in source order. */
export function* walkStatements(body: readonly Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.kind === 'Repeat') yield* walkStatements(s.body);
  }
}

/** The layer calls written directly in a statement (not inside repeat bodies). */
export function statementCalls(s: Stmt): Call[] {
  if (s.kind === 'Chain' || s.kind === 'Bind' || s.kind === 'Output') return s.layers;
  return [];
}

/** Every call in an expression tree (settings such as `optimizer = adam(lr=0.1)`). */
export function* exprCalls(e: Expr | null): Generator<Call> {
  if (!e) return;
  if (e.kind === 'Call') {
    yield e;
    for (const a of e.args) yield* exprCalls(a.value);
  } else if (e.kind === 'List' || e.kind === 'Tuple') for (const i of e.items) yield* exprCalls(i);
  else if (e.kind === 'Dict') for (const en of e.entries) yield* exprCalls(en.value);
}

/** The call in `decl` whose callee identifier starts at `offset`. */
export function callAt(decl: Decl, offset: number): Call | null {
  if (decl.kind === 'Train') {
    for (const s of decl.settings) for (const c of exprCalls(s.value)) if (c.callee.span.start === offset) return c;
    return null;
  }
  for (const s of walkStatements(decl.body)) {
    if (offset < s.span.start || offset > s.span.end) continue;
    for (const c of statementCalls(s)) if (c.callee.span.start === offset) return c;
  }
  return null;
}

export function findBlock(decls: readonly Decl[], name: string): BlockDecl | null {
  for (const d of decls) if (d.kind === 'Block' && d.name?.name === name) return d;
  return null;
}
