// The formatter. It rewrites only the whitespace between tokens, never the tokens
// themselves, so it cannot change what a file means: canonical spacing on each line
// (`a = b -> C(x, k=1)`), indentation by the brackets still open from earlier lines, a
// body's `{` on its declaration line, and at most one blank line in a row. Line breaks the
// author chose are kept, which makes the result stable: formatting twice changes nothing.
// A file with syntax errors is left alone, because its structure is not known.

import type { Span, Token } from '../syntax/ast';
import { parse } from '../syntax/parser';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
}

export interface FormatEdit {
  span: Span;
  newText: string;
}

interface Open {
  text: string;
  line: number;
  dict: boolean;
}

const DICT_BEFORE = new Set(['=', ',', '(', '[', ':', '{']);

/** The edits that format `text`; [] when it is already formatted or does not parse. */
export function formatText(text: string, options: FormatOptions): FormatEdit[] {
  try {
    return format(text, options);
  } catch {
    return [];
  }
}

function format(text: string, options: FormatOptions): FormatEdit[] {
  const { file, diagnostics } = parse(text);
  if (diagnostics.length > 0 || file.tokens.some((t) => t.kind === 'error')) return [];
  const items = file.tokens.filter((t) => t.kind !== 'whitespace' && t.kind !== 'newline');
  if (items.length === 0) return [];
  const eol = file.tokens.find((t) => t.kind === 'newline')?.text ?? '\n';
  const unit = options.insertSpaces ? ' '.repeat(Math.max(1, Math.floor(options.tabSize) || 4)) : '\t';

  const edits: FormatEdit[] = [];
  const stack: Open[] = [];
  let line = 0;
  const levels: number[] = [];
  let prevEnd = 0;
  let prev: Token | null = null; // The previous item, comments included.
  let prevCode: Token | null = null; // The previous item that is not a comment.
  for (let i = 0; i < items.length; i++) {
    const t = items[i];
    const gap = text.slice(prevEnd, t.start);
    const breaks = countBreaks(gap);
    let want: string;
    const joinBrace = breaks > 0 && prev !== null && prev.kind !== 'comment' && isBodyBrace(t, prevCode);
    if (prev === null || (breaks > 0 && !joinBrace)) {
      if (prev !== null) line++;
      const blank = prev !== null && breaks >= 2 && !isOpener(prev) && !isCloser(t);
      const level = lineLevel(items, i, text, stack, levels, prevCode);
      levels[line] = level;
      want = (prev === null ? '' : blank ? eol + eol : eol) + unit.repeat(level);
    } else {
      want = spacing(prev, t, stack);
    }
    if (gap !== want) edits.push({ span: { start: prevEnd, end: t.start }, newText: want });
    track(t, stack, line, prevCode);
    prev = t;
    if (t.kind !== 'comment') prevCode = t;
    prevEnd = t.end;
  }
  const tail = text.slice(prevEnd);
  if (tail !== eol) edits.push({ span: { start: prevEnd, end: text.length }, newText: eol });
  return edits;
}

function countBreaks(gap: string): number {
  let n = 0;
  for (let i = 0; i < gap.length; i++) {
    const c = gap.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (gap.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

function isPunct(t: Token | null, text: string): boolean {
  return t !== null && t.kind === 'punct' && t.text === text;
}

function isOpener(t: Token): boolean {
  return t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{');
}

function isCloser(t: Token): boolean {
  return t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}');
}

/** A '{' that opens a model, block, train or repeat body rather than a dictionary. */
function isBodyBrace(t: Token, prevCode: Token | null): boolean {
  return isPunct(t, '{') && !(prevCode !== null && prevCode.kind === 'punct' && DICT_BEFORE.has(prevCode.text));
}

/** Updates the stack of open brackets with token `t`. */
function track(t: Token, stack: Open[], line: number, prevCode: Token | null): void {
  if (t.kind !== 'punct') return;
  if (isOpener(t)) stack.push({ text: t.text, line, dict: t.text === '{' && !isBodyBrace(t, prevCode) });
  else if (isCloser(t) && stack.length > 0) stack.pop();
}

/**
 * The indentation level of the line that starts with items[i]. Inside brackets it is one
 * more than the line that opened the innermost one; a line that starts by closing brackets
 * sits at the level of the line that opened the outermost of them; a line after one that
 * ended with '->' is indented once more, as a continuation.
 */
function lineLevel(items: Token[], i: number, text: string, stack: Open[], levels: number[], prevCode: Token | null): number {
  let closers = 0;
  for (let j = i; j < items.length && isCloser(items[j]); j++) {
    if (j > i && countBreaks(text.slice(items[j - 1].end, items[j].start)) > 0) break;
    closers++;
  }
  closers = Math.min(closers, stack.length);
  if (closers > 0) return levels[stack[stack.length - closers].line] ?? 0;
  const base = stack.length > 0 ? (levels[stack[stack.length - 1].line] ?? 0) + 1 : 0;
  return base + (isPunct(prevCode, '->') ? 1 : 0);
}

/** The canonical text between two tokens on the same line. */
function spacing(a: Token, b: Token, stack: Open[]): string {
  if (b.kind === 'comment') return ' ';
  const top = stack.length > 0 ? stack[stack.length - 1] : null;
  if (a.kind === 'punct') {
    if (a.text === '(' || a.text === '[') return '';
    if (a.text === '{') return (top !== null && top.dict) || (b.kind === 'punct' && b.text === '}') ? '' : ' ';
    if (a.text === '-') return '';
  }
  if (b.kind === 'punct') {
    if (b.text === ')' || b.text === ']' || b.text === ',' || b.text === ':') return '';
    if (b.text === '}') return top !== null && top.dict ? '' : ' ';
    if (b.text === '(') return a.kind === 'ident' ? '' : ' ';
    if (b.text === '=') return top !== null && top.text === '(' ? '' : ' ';
  }
  if (a.kind === 'punct' && a.text === '=') return top !== null && top.text === '(' ? '' : ' ';
  return ' ';
}

/** Applies non-overlapping edits to `text` (used by tests and the CLI). */
export function applyEdits(text: string, edits: readonly FormatEdit[]): string {
  const sorted = edits.slice().sort((x, y) => x.span.start - y.span.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.span.start) + e.newText;
    at = e.span.end;
  }
  return out + text.slice(at);
}
