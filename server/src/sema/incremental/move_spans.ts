// Moves spans, in place, by a function of their start: how the incremental checker carries a
// parsed chunk or a declaration's cached result from the offsets it was made at to the ones
// it sits at after an edit elsewhere. One walk over each kind of node or result, so that
// moving and listing the spans a result holds (see decl_cache.ts) can never disagree.

import type { Call, Expr, Span, Stmt } from '../../syntax/ast';
import type { Diagnostic } from '../../syntax/diagnostic';
import type { DeclResult } from '../context';

export type Move = (start: number) => number;

export function mv(span: Span | null | undefined, d: Move): void {
  if (!span) return;
  const k = d(span.start);
  span.start += k;
  span.end += k;
}

export function moveExpr(e: Expr | null, d: Move): void {
  if (!e) return;
  mv(e.span, d);
  switch (e.kind) {
    case 'List':
    case 'Tuple':
      for (const item of e.items) moveExpr(item, d);
      return;
    case 'Dict':
      for (const entry of e.entries) {
        mv(entry.key.span, d);
        moveExpr(entry.value, d);
        mv(entry.span, d);
      }
      return;
    case 'Call':
      return moveCall(e, d, false);
  }
}

export function moveCall(c: Call, d: Move, withSpan = true): void {
  if (withSpan) mv(c.span, d);
  mv(c.callee.span, d);
  mv(c.argsSpan, d);
  for (const a of c.args) {
    mv(a.name?.span, d);
    moveExpr(a.value, d);
    mv(a.span, d);
  }
}

export function moveStmts(body: Stmt[], d: Move): void {
  for (const s of body) {
    mv(s.span, d);
    switch (s.kind) {
      case 'Input':
        mv(s.name?.span, d);
        moveExpr(s.shape, d);
        mv(s.dtypeSpan, d);
        break;
      case 'Repeat':
        moveExpr(s.count, d);
        moveStmts(s.body, d);
        break;
      default:
        if (s.kind !== 'Chain') {
          mv(s.name?.span, d);
          moveExpr(s.source, d);
        }
        for (const c of s.layers) moveCall(c, d);
    }
  }
}

export function moveDiagnostics(list: Diagnostic[], d: Move): void {
  for (const x of list) {
    mv(x.span, d);
    for (const r of x.related) mv(r.span, d);
    if (x.fix?.kind === 'set-padding') mv(x.fix.at, d);
    else if (x.fix && x.fix.kind !== 'replace-name') mv(x.fix.before, d);
  }
}


/**
 * Moves a declaration's result, in place: every span by `d` of its start, and every line
 * number by `line`. Results own their span objects (see `own` in context.ts), so this never
 * touches a syntax tree. A result handed out earlier describes the text it was made for only
 * until the next update.
 */
export function moveResult(r: DeclResult, d: Move, line: (n: number) => number): void {
  moveDiagnostics(r.diagnostics, d);
  for (const s of r.statements) mv(s.span, d);
  for (const c of r.calls) {
    mv(c.span, d);
    mv(c.callSpan, d);
  }
  for (const s of r.symbols) {
    mv(s.def, d);
    mv(s.scope, d);
  }
  const refs = r.refs;
  for (let i = 0; i + 1 < refs.length; i += 2) {
    const k = d(refs[i]);
    refs[i] += k;
    refs[i + 1] += k;
  }
  for (const x of r.declRefs) mv(x.span, d);
  if (r.model) {
    mv(r.model.span, d);
    mv(r.model.nameSpan, d);
    for (const l of r.model.layers) l.line = line(l.line);
    if (r.model.ir) for (const n of r.model.ir.nodes) n.line = line(n.line);
  }
  if (r.facts) {
    for (const o of r.facts.outputs) {
      mv(o.def, d);
      mv(o.denseOverRank2, d);
    }
  }
}

