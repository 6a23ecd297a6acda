// Finding things at an offset quickly. Hover, completion and navigation run on every
// keystroke or mouse move over files of thousands of lines, so nothing here walks the whole
// tree per request: tokens are found by binary search (they are sorted by construction),
// and the symbol, call and statement tables are sorted typed arrays searched the same way,
// built once per CheckedFile without an object per entry.

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

/**
 * Indices 0..n-1 ordered by (key, index), or null when the keys are already non-decreasing
 * (the usual case for calls and statements, which the checker records in source order).
 * Keys and indices are packed into one double so a Float64Array sorts natively, without a
 * comparator; the comparator sort is only a fallback for keys too large to pack exactly.
 */
function sortedOrder(n: number, key: (i: number) => number): Int32Array | null {
  let sorted = true;
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (i > 0 && k < key(i - 1)) sorted = false;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  if (sorted) return null;
  const order = new Int32Array(n);
  if (min >= 0 && (max + 1) * n < Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = key(i) * n + i;
    packed.sort();
    for (let i = 0; i < n; i++) order[i] = packed[i] % n;
  } else {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => key(a) - key(b) || a - b);
  }
  return order;
}

/** The first position p in 0..n such that keyAt(p) >= target (keys non-decreasing). */
function lowerBound(n: number, keyAt: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyAt(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The symbol table as flat typed arrays: `starts` holds each distinct identifier start in
 * increasing order, and `slots` holds for entry k the symbol index at 2k and the reference
 * index at 2k + 1 (-1 for the definition). A definition takes precedence over a reference
 * at the same offset (the last definition wins), otherwise the first reference does.
 */
interface SymbolTable {
  starts: Int32Array;
  slots: Int32Array;
}

function buildSymbolTable(symbols: readonly SymbolInfo[]): SymbolTable {
  let n = 0;
  for (const s of symbols) n += 1 + s.refs.length;
  const rawStarts = new Int32Array(n);
  const rawSlots = new Int32Array(2 * n);
  let e = 0;
  for (let si = 0; si < symbols.length; si++) {
    const s = symbols[si];
    rawStarts[e] = s.def.start;
    rawSlots[2 * e] = si;
    rawSlots[2 * e + 1] = -1;
    e++;
    for (let ri = 0; ri < s.refs.length; ri++) {
      rawStarts[e] = s.refs[ri].start;
      rawSlots[2 * e] = si;
      rawSlots[2 * e + 1] = ri;
      e++;
    }
  }
  const order = sortedOrder(n, (i) => rawStarts[i]);
  const at = (p: number) => (order ? order[p] : p);
  // Pick one winner per distinct start; entries with equal starts are in insertion order.
  const winners: number[] = [];
  for (let p = 0; p < n; ) {
    const start = rawStarts[at(p)];
    let winner = at(p);
    for (; p < n && rawStarts[at(p)] === start; p++) {
      const i = at(p);
      if (rawSlots[2 * i + 1] === -1) winner = i;
    }
    winners.push(winner);
  }
  const starts = new Int32Array(winners.length);
  const slots = new Int32Array(2 * winners.length);
  for (let k = 0; k < winners.length; k++) {
    const i = winners[k];
    starts[k] = rawStarts[i];
    slots[2 * k] = rawSlots[2 * i];
    slots[2 * k + 1] = rawSlots[2 * i + 1];
  }
  return { starts, slots };
}

/**
 * Lookup tables for one CheckedFile, each built on first use: hover on a layer call only
 * needs the call order, and the outline only the statement order. Nothing here allocates
 * an object per entry; a SymbolHit or CallInfo[] is made only for the answer returned.
 */
export class FileIndex {
  private symbolTable: SymbolTable | null = null;
  /** Calls and statements by start, or null when already in source order. */
  private callOrder: Int32Array | null | undefined = undefined;
  private statementOrder: Int32Array | null | undefined = undefined;

  constructor(private readonly checked: CheckedFile) {}

  private table(): SymbolTable {
    return (this.symbolTable ??= buildSymbolTable(this.checked.symbols));
  }

  /** The table entry for the identifier starting at `start`, or -1. */
  symbolSlot(start: number): number {
    const { starts } = this.table();
    const k = lowerBound(starts.length, (p) => starts[p], start);
    return k < starts.length && starts[k] === start ? k : -1;
  }

  /** The symbol of a slot from symbolSlot. */
  slotSymbol(slot: number): SymbolInfo {
    return this.checked.symbols[this.table().slots[2 * slot]];
  }

  /** True when a slot from symbolSlot is the symbol's definition. */
  slotIsDef(slot: number): boolean {
    return this.table().slots[2 * slot + 1] === -1;
  }

  /** The symbol whose definition or reference starts exactly at `start`. */
  symbolStartingAt(start: number): SymbolHit | null {
    const slot = this.symbolSlot(start);
    if (slot < 0) return null;
    const symbol = this.slotSymbol(slot);
    const ref = this.table().slots[2 * slot + 1];
    return ref === -1 ? { symbol, span: symbol.def, isDef: true } : { symbol, span: symbol.refs[ref], isDef: false };
  }

  /** Every CallInfo whose callee starts at `start` (a block body is checked once per use). */
  callsStartingAt(start: number): CallInfo[] {
    const calls = this.checked.calls;
    if (this.callOrder === undefined) this.callOrder = sortedOrder(calls.length, (i) => calls[i].span.start);
    const order = this.callOrder;
    const at = (p: number) => calls[order ? order[p] : p];
    const out: CallInfo[] = [];
    for (let p = lowerBound(calls.length, (q) => at(q).span.start, start); p < calls.length && at(p).span.start === start; p++) {
      out.push(at(p));
    }
    return out;
  }

  /** The statement starting at `start` (the last one recorded there), or null. */
  statementStartingAt(start: number): StatementInfo | null {
    const sts = this.checked.statements;
    if (this.statementOrder === undefined) this.statementOrder = sortedOrder(sts.length, (i) => sts[i].span.start);
    const order = this.statementOrder;
    const at = (p: number) => sts[order ? order[p] : p];
    const end = lowerBound(sts.length, (q) => at(q).span.start, start + 1);
    return end > 0 && at(end - 1).span.start === start ? at(end - 1) : null;
  }
}

const INDEX = new WeakMap<CheckedFile, FileIndex>();

/** The lookup tables of a CheckedFile (one FileIndex per file; its tables fill lazily). */
export function fileIndex(checked: CheckedFile): FileIndex {
  let idx = INDEX.get(checked);
  if (!idx) {
    idx = new FileIndex(checked);
    INDEX.set(checked, idx);
  }
  return idx;
}

/** The symbol whose definition or reference is the identifier at `offset`. */
export function symbolAt(checked: CheckedFile, offset: number): SymbolHit | null {
  const tok = wordTokenAt(checked.file.tokens, offset);
  if (!tok || tok.kind !== 'ident') return null;
  return fileIndex(checked).symbolStartingAt(tok.start);
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
