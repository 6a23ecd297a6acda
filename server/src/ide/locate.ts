// Finding things at an offset quickly. Hover, completion and navigation run on every
// keystroke or mouse move over files of thousands of lines, so nothing here walks the whole
// tree per request: tokens are found by binary search (they are sorted by construction),
// and the symbol and call tables are indexed once per CheckedFile by start offset.

import type { CallInfo, CheckedFile, StatementInfo, SymbolInfo } from '../sema/checked';
import type { Decl, Span, Token } from '../syntax/ast';

/** Index of the token containing `offset` (start <= offset < end), or -1. */
export function tokenIndexAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid];
    if (offset < t.start) hi = mid - 1;
    else if (offset >= t.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The identifier or keyword under the cursor: the token containing `offset`, or the one
 * ending exactly at it (a cursor right after a name still points at that name).
 */
export function wordTokenAt(tokens: readonly Token[], offset: number): Token | null {
  const isWord = (t: Token | undefined) => t !== undefined && (t.kind === 'ident' || t.kind === 'keyword');
  const i = tokenIndexAt(tokens, offset);
  if (i >= 0 && isWord(tokens[i])) return tokens[i];
  const before = i >= 0 ? i - 1 : tokenIndexAt(tokens, offset - 1);
  if (before >= 0 && tokens[before].end === offset && isWord(tokens[before])) return tokens[before];
  return null;
}

/** True for trivia: whitespace, newlines and comments. */
export function isTrivia(t: Token): boolean {
  return t.kind === 'whitespace' || t.kind === 'comment' || t.kind === 'newline';
}

/** Index of the last non-trivia token that ends at or before `offset`, or -1. */
export function significantBefore(tokens: readonly Token[], offset: number): number {
  let i = tokenIndexAt(tokens, Math.max(0, offset - 1));
  if (i < 0) i = tokens.length - 1;
  while (i >= 0 && (tokens[i].end > offset || isTrivia(tokens[i]))) i--;
  return i;
}

/** Index of the next non-trivia token after index `i` on the same logical run, or -1. */
export function significantAfter(tokens: readonly Token[], i: number): number {
  for (let j = i + 1; j < tokens.length; j++) if (!isTrivia(tokens[j])) return j;
  return -1;
}

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The top-level declaration containing `offset` (binary search; declarations are in order). */
export function declAt(decls: readonly Decl[], offset: number): Decl | null {
  let lo = 0;
  let hi = decls.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = decls[mid];
    if (offset < d.span.start) hi = mid - 1;
    else if (offset > d.span.end) lo = mid + 1;
    else return d;
  }
  return null;
}

export interface SymbolHit {
  symbol: SymbolInfo;
  span: Span;
  isDef: boolean;
}

interface FileIndex {
  /** Identifier start offset → the symbol it defines or refers to. */
  symbols: Map<number, SymbolHit>;
  /** Callee start offset → every CallInfo for that call (a block body is checked per use). */
  calls: Map<number, CallInfo[]>;
  /** Statement start offset → its info. */
  statements: Map<number, StatementInfo>;
}

const INDEX = new WeakMap<CheckedFile, FileIndex>();

/** Builds (once per CheckedFile) the lookup tables. */
export function fileIndex(checked: CheckedFile): FileIndex {
  let idx = INDEX.get(checked);
  if (idx) return idx;
  const symbols = new Map<number, SymbolHit>();
  for (const s of checked.symbols) {
    symbols.set(s.def.start, { symbol: s, span: s.def, isDef: true });
    for (const r of s.refs) if (!symbols.has(r.start)) symbols.set(r.start, { symbol: s, span: r, isDef: false });
  }
  const calls = new Map<number, CallInfo[]>();
  for (const c of checked.calls) {
    const list = calls.get(c.span.start);
    if (list) list.push(c);
    else calls.set(c.span.start, [c]);
  }
  const statements = new Map<number, StatementInfo>();
  for (const st of checked.statements) statements.set(st.span.start, st);
  idx = { symbols, calls, statements };
  INDEX.set(checked, idx);
  return idx;
}

/** The symbol whose definition or reference is the identifier at `offset`. */
export function symbolAt(checked: CheckedFile, offset: number): SymbolHit | null {
  const tok = wordTokenAt(checked.file.tokens, offset);
  if (!tok || tok.kind !== 'ident') return null;
  return fileIndex(checked).symbols.get(tok.start) ?? null;
}

export interface EnclosingCall {
  /** The callee token index. */
  callee: number;
  /** The '(' token index. */
  open: number;
  /** Names given as `key=` so far (before and after the cursor, up to the closing paren). */
  keywords: string[];
  /** Positional arguments written before the cursor's argument. */
  positionalBefore: number;
  /** The argument index (commas at depth 1 before the cursor). */
  argIndex: number;
  /** The keyword of the argument the cursor is in, when it is written `key=`. */
  currentKey: string | null;
}

const STOP_KEYWORDS = new Set(['model', 'block', 'train', 'input', 'output', 'repeat']);

/**
 * The call whose parentheses contain `offset`, found by scanning tokens backwards from the
 * cursor while counting brackets. Stops at braces and statement keywords.
 */
export function enclosingCall(tokens: readonly Token[], offset: number): EnclosingCall | null {
  let i = significantBefore(tokens, offset);
  let depth = 0;
  let open = -1;
  for (let steps = 0; i >= 0 && steps < 2000; i--, steps++) {
    const t = tokens[i];
    if (t.kind === 'punct') {
      if (t.text === ')' || t.text === ']') depth++;
      else if (t.text === '(' || t.text === '[') {
        if (depth === 0) {
          if (t.text === '(') {
            open = i;
            break;
          }
          return null;
        }
        depth--;
      } else if (t.text === '{' || t.text === '}') return null;
    } else if (t.kind === 'keyword' && STOP_KEYWORDS.has(t.text)) return null;
  }
  if (open < 0) return null;
  const callee = open - 1;
  if (callee < 0 || tokens[callee].kind !== 'ident') return null;
  return describeArgs(tokens, callee, open, offset);
}

/** Reads the arguments of the call opened at `open` relative to the cursor. */
function describeArgs(tokens: readonly Token[], callee: number, open: number, offset: number): EnclosingCall {
  const keywords: string[] = [];
  let depth = 0;
  let argIndex = 0;
  let positionalBefore = 0;
  let currentKey: string | null = null;
  let argHasKey = false;
  let argHasContent = false;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i];
    const beforeCursor = t.end <= offset;
    if (isTrivia(t)) continue;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) {
      if (depth === 0) break;
      depth--;
    } else if (t.kind === 'punct' && (t.text === '{' || t.text === '}')) break;
    else if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      if (beforeCursor) {
        if (argHasContent && !argHasKey) positionalBefore++;
        argIndex++;
        currentKey = null;
      }
      argHasKey = false;
      argHasContent = false;
      continue;
    }
    if (depth === 0 && t.kind === 'ident') {
      const next = significantAfter(tokens, i);
      if (next >= 0 && tokens[next].text === '=' && tokens[next].kind === 'punct') {
        keywords.push(t.text);
        argHasKey = true;
        if (beforeCursor && tokens[next].end <= offset) currentKey = t.text;
      }
    }
    argHasContent = true;
  }
  return {
    callee,
    open,
    keywords,
    positionalBefore,
    argIndex,
    currentKey,
  };
}
