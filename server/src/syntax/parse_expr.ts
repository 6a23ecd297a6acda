// Parsing of values and calls: numbers, booleans, identifiers, strings, lists, tuples,
// dictionaries, and calls such as `Dense(10, activation=relu)` or `csv("x.csv")`. Inside
// brackets newlines do not end the statement (spec §1), except where the text clearly
// stopped: a newline after an item that is followed by neither ',' nor the closer is
// reported as the missing closer, so the next line still parses as its own statement.

import type { Arg, Call, DictEntry, ErrorExpr, Expr, Ident, Span } from './ast';
import { Cursor, spanOf, type Tok } from './cursor';
import { stringValue } from './lexer';

/** Parses a comma-separated list after an opener already consumed; the result says if it closed. */
export function parseDelimited<T>(
  c: Cursor,
  open: Tok,
  closer: string,
  what: string,
  item: () => T | null,
): { items: T[]; closed: boolean } {
  const items: T[] = [];
  for (;;) {
    c.skipNewlines();
    const t = c.peek();
    if (t.kind === 'punct' && t.text === closer) {
      c.next();
      return { items, closed: true };
    }
    if (t.kind === 'eof' || c.isDeclStart(t) || (t.kind === 'punct' && t.text === '}' && closer !== '}')) {
      missingCloser(c, open, closer, what, t);
      return { items, closed: false };
    }
    const it = item();
    if (it !== null) items.push(it);
    if (c.errored) return { items, closed: false };
    const after = c.peek();
    if (after.kind === 'punct' && after.text === ',') {
      c.next();
      continue;
    }
    if (after.kind === 'punct' && after.text === closer) {
      c.next();
      return { items, closed: true };
    }
    if (after.kind === 'newline') {
      const past = c.peekPastNewlines();
      if (past.kind === 'punct' && (past.text === closer || past.text === ',')) {
        c.skipNewlines();
        if (past.text === ',') c.next();
        else {
          c.next();
          return { items, closed: true };
        }
        continue;
      }
      missingCloser(c, open, closer, what, after);
      return { items, closed: false };
    }
    if (after.kind === 'eof' || (after.kind === 'punct' && after.text === '}' && closer !== '}')) {
      missingCloser(c, open, closer, what, after);
      return { items, closed: false };
    }
    c.expected(`',' or '${closer}' in ${what}`, after);
    return { items, closed: false };
  }
}

/** Reports an unclosed bracket at its opener; the statement ends where the text stopped. */
function missingCloser(c: Cursor, open: Tok, closer: string, what: string, found: Tok): void {
  c.expected(`'${closer}' to close ${what}`, found, spanOf(open));
  c.endsHere = true;
}

export function identOf(t: Tok): Ident {
  return { kind: 'Ident', name: t.text, span: spanOf(t) };
}

function errorExpr(span: Span): ErrorExpr {
  return { kind: 'Error', span: { start: span.start, end: span.end } };
}

/**
 * Parses one value. On a token that starts none it reports "expected WHAT, found X"
 * and returns an ErrorExpr without consuming the token.
 */
export function parseValue(c: Cursor, what = 'a value'): Expr {
  const t = c.peek();
  switch (t.kind) {
    case 'number':
      c.next();
      return numberLit(t, t.start, 1);
    case 'string':
      c.next();
      return { kind: 'String', value: stringValue(t.text), span: spanOf(t) };
    case 'keyword':
      if (t.text === 'true' || t.text === 'false') {
        c.next();
        return { kind: 'Bool', value: t.text === 'true', span: spanOf(t) };
      }
      break;
    case 'ident':
      if (c.at('(', 1)) return parseCall(c);
      c.next();
      return identOf(t);
    case 'error':
      if (t.text.startsWith('"')) {
        c.error(`expected '"' to close the string, found the end of the line`, spanOf(t));
        c.next();
        c.endsHere = true;
        return errorExpr(spanOf(t));
      }
      break;
    case 'punct':
      if (t.text === '-') return parseNegative(c);
      if (t.text === '[' || t.text === '(') {
        const open = c.next();
        const list = t.text === '[';
        if (!c.enter(open)) return errorExpr(spanOf(open));
        try {
          const r = list ? parseDelimited(c, open, ']', 'the list', () => parseValue(c)) : parseDelimited(c, open, ')', 'the tuple', () => parseValue(c));
          return { kind: list ? 'List' : 'Tuple', items: r.items, span: { start: open.start, end: c.lastEnd } };
        } finally {
          c.leave();
        }
      }
      if (t.text === '{') return parseDict(c);
      break;
    default:
      break;
  }
  c.expected(what, t);
  return errorExpr(t.kind === 'newline' || t.kind === 'eof' ? c.lastSpan : spanOf(t));
}

function numberLit(t: Tok, start: number, sign: number): Expr {
  const isInt = !/[.eE]/.test(t.text);
  return { kind: 'Number', value: sign * Number(t.text), isInt, span: { start, end: t.end } };
}

function parseNegative(c: Cursor): Expr {
  const minus = c.next();
  const t = c.peek();
  if (t.kind === 'number') {
    c.next();
    return numberLit(t, minus.start, -1);
  }
  c.expected(`a number after '-'`, t);
  return errorExpr(spanOf(minus));
}

function parseDict(c: Cursor): Expr {
  const open = c.next();
  if (!c.enter(open)) return errorExpr(spanOf(open));
  try {
    return parseDictBody(c, open);
  } finally {
    c.leave();
  }
}

function parseDictBody(c: Cursor, open: Tok): Expr {
  const r = parseDelimited<DictEntry>(c, open, '}', 'the dictionary', () => {
    const k = c.peek();
    if (k.kind !== 'ident') {
      c.expected('a key name in the dictionary', k);
      return null;
    }
    c.next();
    const key = identOf(k);
    if (!c.at(':')) {
      c.expected(`':' after the key ${k.text}`, c.peek());
      return { key, value: null, span: spanOf(k) };
    }
    c.next();
    c.skipNewlines();
    const value = parseValue(c, `a value for ${k.text}`);
    return { key, value, span: { start: k.start, end: c.lastEnd } };
  });
  return { kind: 'Dict', entries: r.items, span: { start: open.start, end: c.lastEnd } };
}

/** Parses `Name`, `Name()` or `Name(args)`; the cursor is at the name. */
export function parseCall(c: Cursor): Call {
  const name = c.next();
  const callee = identOf(name);
  if (!c.at('(')) {
    return { kind: 'Call', callee, args: [], hasParens: false, argsSpan: null, span: spanOf(name) };
  }
  const open = c.next();
  if (!c.enter(open)) return { kind: 'Call', callee, args: [], hasParens: true, argsSpan: spanOf(open), span: { start: name.start, end: open.end } };
  let r;
  try {
    r = parseDelimited<Arg>(c, open, ')', `the call to ${name.text}`, () => parseArg(c));
  } finally {
    c.leave();
  }
  const end = c.lastEnd;
  return {
    kind: 'Call',
    callee,
    args: r.items,
    hasParens: true,
    argsSpan: { start: open.start, end },
    span: { start: name.start, end },
  };
}

function parseArg(c: Cursor): Arg {
  const t = c.peek();
  if (t.kind === 'ident' && c.at('=', 1)) {
    c.next();
    c.next();
    c.skipNewlines();
    const value = parseValue(c, `a value for ${t.text}`);
    return { name: identOf(t), value, span: { start: t.start, end: c.lastEnd } };
  }
  const value = parseValue(c, 'an argument');
  return { name: null, value, span: { start: value.span.start, end: value.span.end } };
}
