// The parser's view of the token list: the significant tokens (trivia skipped, newlines
// kept because they end statements), an end-of-file sentinel, the diagnostics found so far
// and the recovery that skips to the end of a broken statement. Keeping this apart from the
// grammar lets the statement and expression parsers share one set of helpers.

import type { Span, Token } from './ast';
import type { Diagnostic } from './diagnostic';

/**
 * A significant token; 'eof' marks the end of the text. The cursor hands out the lexer's own
 * Token objects (no copies, no filtered list); only the end-of-file sentinel is made here.
 */
export interface Tok {
  kind: Token['kind'] | 'eof';
  text: string;
  start: number;
  end: number;
}

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);
const MATCH: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const CONTINUE_AFTER = new Set([',', '->', '=', ':', '(', '[', '{']);
const DECL_KEYWORDS = new Set(['model', 'block', 'train']);

/**
 * How deep brackets, calls and repeat bodies may nest inside one another. The parser and
 * every later pass over the tree (checker, formatter, tree dump ...) recurse once per level,
 * so the limit keeps a file of 100,000 '(' from overflowing the stack; no real model comes
 * near it.
 */
export const MAX_NESTING = 64;

export class Cursor {
  /** Every token, trivia included: the cursor skips trivia as it goes instead of copying. */
  private readonly tokens: readonly Token[];
  /** The index in `tokens` of the current significant token (tokens.length at the end). */
  private pos: number;
  /** The significant token consumed last (newlines included), or null at the start. */
  private prev: Tok | null = null;
  private readonly eof: Tok;
  /** The start and end of the last consumed token that is not a newline. */
  private lastStart = 0;
  lastEnd = 0;
  readonly diagnostics: Diagnostic[] = [];
  /** Set once the current statement has reported its one syntax error. */
  errored = false;
  /** Set when the error already marks where the statement ends (a missing closer). */
  endsHere = false;
  /** The brackets opened and not yet closed in the current statement. */
  private open: string[] = [];
  private eofReported = false;
  /** How many brackets, calls and repeat bodies are open around the current position. */
  private depth = 0;

  constructor(tokens: readonly Token[], textLength: number) {
    this.tokens = tokens;
    this.eof = { kind: 'eof', text: '', start: textLength, end: textLength };
    this.pos = this.significantFrom(0);
  }

  /** The index of the first significant token at or after `i` (tokens.length if none). */
  private significantFrom(i: number): number {
    const ts = this.tokens;
    while (i < ts.length) {
      const kind = ts[i].kind;
      if (kind !== 'whitespace' && kind !== 'comment') return i;
      i++;
    }
    return ts.length;
  }

  private tokenAt(i: number): Tok {
    return i < this.tokens.length ? this.tokens[i] : this.eof;
  }

  /** The span of the last consumed token that is not a newline. */
  get lastSpan(): Span {
    return { start: this.lastStart, end: this.lastEnd };
  }

  peek(k = 0): Tok {
    let i = this.pos;
    for (let j = 0; j < k && i < this.tokens.length; j++) i = this.significantFrom(i + 1);
    return this.tokenAt(i);
  }

  /** The first token from here that is not a newline, without consuming anything. */
  peekPastNewlines(): Tok {
    let i = this.pos;
    while (i < this.tokens.length && this.tokens[i].kind === 'newline') i = this.significantFrom(i + 1);
    return this.tokenAt(i);
  }

  next(): Tok {
    const t = this.tokenAt(this.pos);
    if (t.kind !== 'eof') {
      this.prev = t;
      this.pos = this.significantFrom(this.pos + 1);
      if (t.kind !== 'newline') {
        this.lastStart = t.start;
        this.lastEnd = t.end;
      }
      if (t.kind === 'punct') this.trackBracket(t.text);
    }
    return t;
  }

  skipNewlines(): void {
    while (this.pos < this.tokens.length && this.tokens[this.pos].kind === 'newline') {
      this.prev = this.tokens[this.pos];
      this.pos = this.significantFrom(this.pos + 1);
    }
  }

  /** True when the next token is the punctuation or keyword `text`. */
  at(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'punct' || t.kind === 'keyword') && t.text === text;
  }

  atKind(kind: Tok['kind']): boolean {
    return this.peek().kind === kind;
  }

  /** True at a newline, a '}' or the end of the file: where a statement may end. */
  atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punct' && t.text === '}');
  }

  /** A `model`, `block` or `train` keyword that starts its line: a new declaration. */
  isDeclStart(t: Tok): boolean {
    if (t.kind !== 'keyword' || !DECL_KEYWORDS.has(t.text)) return false;
    const i = t === this.tokens[this.pos] ? this.pos : this.indexOf(t);
    if (i < 0) return false;
    // No significant token before it on its line: only blanks back to a newline or the start.
    let j = i - 1;
    while (j >= 0 && this.tokens[j].kind === 'whitespace') j--;
    return j < 0 || this.tokens[j].kind === 'newline';
  }

  /** The index of token `t` (by binary search on its start), or -1. */
  private indexOf(t: Tok): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.tokens[mid];
      if (m === t) return mid;
      if (m.start < t.start) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Enters one more level of nesting at the opener `open`. Past MAX_NESTING it reports a
   * syntax error at that opener and returns false: the caller parses nothing inside, and the
   * statement's recovery (which counts brackets in a loop) skips the rest.
   */
  enter(open: Tok): boolean {
    if (this.depth >= MAX_NESTING) {
      this.error(`brackets nest more than ${MAX_NESTING} deep here; the rest of the statement is not parsed`, spanOf(open));
      this.errored = true;
      return false;
    }
    this.depth++;
    return true;
  }

  /** Leaves a level entered with `enter`. */
  leave(): void {
    this.depth--;
  }

  beginStatement(): void {
    this.errored = false;
    this.endsHere = false;
    this.open.length = 0;
  }

  private trackBracket(text: string): void {
    if (OPENERS.has(text)) this.open.push(text);
    else if (CLOSERS.has(text) && this.open.length > 0 && this.open[this.open.length - 1] === MATCH[text]) this.open.pop();
  }

  /**
   * Records a syntax error unless the current statement already has one. Only one error
   * may say "found end of file", so an unclosed body at the end is one diagnostic.
   */
  error(message: string, span: Span): void {
    if (this.errored) return;
    this.errored = true;
    if (message.endsWith('found end of file')) {
      if (this.eofReported) return;
      this.eofReported = true;
    }
    this.diagnostics.push({ code: 'syntax', severity: 'error', message, span: { start: span.start, end: span.end }, related: [] });
  }

  /**
   * Reports "expected WHAT, found X". At a newline or the end of the file the squiggle goes
   * on the last token read, which is what is incomplete, unless `span` says otherwise.
   */
  expected(what: string, found: Tok, span?: Span): void {
    const at = span ?? (found.kind === 'newline' || found.kind === 'eof' ? this.lastSpan : found);
    this.error(`expected ${what}, found ${describe(found)}`, at);
  }

  /**
   * Skips the rest of a broken statement: up to a newline outside the brackets still open
   * in it, a '}' that closes the enclosing body, the end of the file, or a line that starts
   * a new declaration. The stopping token is not consumed. When the error already marked
   * the end of the statement (a missing closer), nothing is skipped.
   */
  recoverStatement(): void {
    if (this.endsHere) return;
    const open = this.open.slice();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || this.isDeclStart(t)) return;
      if (t.kind === 'newline' && (open.length === 0 || this.stoppedAtLineEnd())) return;
      if (t.kind === 'punct') {
        if (OPENERS.has(t.text)) open.push(t.text);
        else if (CLOSERS.has(t.text)) {
          if (open.length > 0 && open[open.length - 1] === MATCH[t.text]) open.pop();
          else if (t.text === '}') return;
        }
      }
      this.next();
    }
  }

  /**
   * At a newline inside open brackets: true when the line did not ask to continue (it ends
   * in no ',', '->', '=', ':' or opener) and the next line does not go on with ',' or a
   * closer, so the author most likely forgot a closer.
   */
  private stoppedAtLineEnd(): boolean {
    const prev = this.prev;
    if (prev !== null && prev.kind === 'punct' && CONTINUE_AFTER.has(prev.text)) return false;
    const next = this.peekPastNewlines();
    return !(next.kind === 'punct' && (next.text === ',' || CLOSERS.has(next.text)));
  }

  /** Skips top-level text that starts no declaration, up to the next one. */
  skipToDecl(): void {
    while (!this.atKind('eof') && !this.isDeclStart(this.peek())) this.next();
  }
}

/** How a token is named in messages: `'Dense'`, `newline`, `end of file`, `a string`. */
export function describe(t: Tok): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'newline':
      return 'newline';
    case 'string':
      return 'a string';
    case 'error':
      return t.text.startsWith('"') ? 'an unterminated string' : `'${t.text}'`;
    default:
      return `'${t.text}'`;
  }
}

export function spanOf(t: { start: number; end: number }): Span {
  return { start: t.start, end: t.end };
}
