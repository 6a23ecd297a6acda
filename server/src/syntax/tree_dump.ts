// A readable, indented dump of a syntax tree, one node per line with its kind, span and the
// names or values it holds (`Model@0..120 name=Mnist`). The parser's golden tests compare
// these dumps, so a change in the tree shows up as a readable diff.

import type { Arg, Call, Decl, DictEntry, Expr, File, Ident, Param, Setting, Span, Stmt } from './ast';

/** Dumps `file`; `text` is the source it was parsed from (kept for future use in labels). */
export function dumpTree(file: File, text: string): string {
  const lines: string[] = [];
  const out = (depth: number, s: string): void => {
    lines.push('  '.repeat(depth) + s);
  };
  out(0, `File${at(file.span)} length=${text.length}`);
  for (const d of file.decls) dumpDecl(d, 1, out);
  return lines.join('\n') + '\n';
}

type Out = (depth: number, s: string) => void;

function at(span: Span): string {
  return `@${span.start}..${span.end}`;
}

function name(id: Ident | null): string {
  return id === null ? '<missing>' : id.name;
}

function dumpDecl(d: Decl, depth: number, out: Out): void {
  switch (d.kind) {
    case 'Model':
      out(depth, `Model${at(d.span)} name=${name(d.name)}`);
      for (const s of d.body) dumpStmt(s, depth + 1, out);
      return;
    case 'Block':
      out(depth, `Block${at(d.span)} name=${name(d.name)}`);
      for (const p of d.params) dumpParam(p, depth + 1, out);
      for (const s of d.body) dumpStmt(s, depth + 1, out);
      return;
    case 'Train':
      out(depth, `Train${at(d.span)} model=${name(d.model)}`);
      for (const s of d.settings) dumpSetting(s, depth + 1, out);
      return;
  }
}

function dumpParam(p: Param, depth: number, out: Out): void {
  out(depth, `Param${at(p.span)} name=${p.name.name}`);
  if (p.default) dumpExpr(p.default, depth + 1, out);
}

function dumpSetting(s: Setting, depth: number, out: Out): void {
  out(depth, `Setting${at(s.span)} name=${s.name.name}${s.value === null ? ' value=<missing>' : ''}`);
  if (s.value) dumpExpr(s.value, depth + 1, out);
}

function dumpStmt(s: Stmt, depth: number, out: Out): void {
  switch (s.kind) {
    case 'Input': {
      const dtype = s.dtypeSpan ? ` dtype=${s.dtype}${at(s.dtypeSpan)}` : ` dtype=${s.dtype}`;
      out(depth, `Input${at(s.span)} name=${name(s.name)}${dtype}${s.shape ? '' : ' shape=<missing>'}`);
      if (s.shape) dumpExpr(s.shape, depth + 1, out);
      return;
    }
    case 'Chain':
      out(depth, `Chain${at(s.span)}`);
      for (const l of s.layers) dumpExpr(l, depth + 1, out);
      return;
    case 'Bind':
      out(depth, `Bind${at(s.span)} name=${s.name.name}${s.fromCurrent ? ' source=<current>' : s.source ? '' : ' source=<missing>'}`);
      if (s.source) dumpExpr(s.source, depth + 1, out);
      for (const l of s.layers) dumpExpr(l, depth + 1, out);
      return;
    case 'Output':
      out(depth, `Output${at(s.span)} name=${name(s.name)}${s.binds ? ' binds' : ''}${s.fromCurrent ? ' source=<current>' : s.binds && !s.source ? ' source=<missing>' : ''}`);
      if (s.source) dumpExpr(s.source, depth + 1, out);
      for (const l of s.layers) dumpExpr(l, depth + 1, out);
      return;
    case 'Repeat':
      out(depth, `Repeat${at(s.span)}${s.count ? '' : ' count=<missing>'}`);
      if (s.count) dumpExpr(s.count, depth + 1, out);
      for (const b of s.body) dumpStmt(b, depth + 1, out);
      return;
  }
}

function dumpExpr(e: Expr, depth: number, out: Out): void {
  switch (e.kind) {
    case 'Ident':
      out(depth, `Ident${at(e.span)} name=${e.name}`);
      return;
    case 'Number':
      out(depth, `Number${at(e.span)} value=${e.value}${e.isInt ? ' int' : ''}`);
      return;
    case 'Bool':
      out(depth, `Bool${at(e.span)} value=${e.value}`);
      return;
    case 'String':
      out(depth, `String${at(e.span)} value=${JSON.stringify(e.value)}`);
      return;
    case 'List':
    case 'Tuple':
      out(depth, `${e.kind}${at(e.span)}`);
      for (const i of e.items) dumpExpr(i, depth + 1, out);
      return;
    case 'Dict':
      out(depth, `Dict${at(e.span)}`);
      for (const en of e.entries) dumpEntry(en, depth + 1, out);
      return;
    case 'Call':
      dumpCall(e, depth, out);
      return;
    case 'Error':
      out(depth, `Error${at(e.span)}`);
      return;
  }
}

function dumpEntry(en: DictEntry, depth: number, out: Out): void {
  out(depth, `Entry${at(en.span)} key=${en.key.name}${en.value ? '' : ' value=<missing>'}`);
  if (en.value) dumpExpr(en.value, depth + 1, out);
}

function dumpCall(c: Call, depth: number, out: Out): void {
  const parens = c.argsSpan ? ` args${at(c.argsSpan)}` : c.hasParens ? ' parens' : '';
  out(depth, `Call${at(c.span)} callee=${c.callee.name}${parens}`);
  for (const a of c.args) dumpArg(a, depth + 1, out);
}

function dumpArg(a: Arg, depth: number, out: Out): void {
  out(depth, `Arg${at(a.span)}${a.name ? ` name=${a.name.name}` : ''}${a.value ? '' : ' value=<missing>'}`);
  if (a.value) dumpExpr(a.value, depth + 1, out);
}
