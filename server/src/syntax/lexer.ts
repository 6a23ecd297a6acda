// The lexer turns Netspec text into a lossless token list: every character belongs to
// exactly one token, trivia (spaces, comments, newlines) included, so the texts of the
// tokens concatenate back to the source. The parser, the formatter and semantic tokens
// all walk this one list. It never fails: a character that starts no token, or a string
// that is not closed before the end of its line, becomes an 'error' token.
//
// The loop works on char codes without regular expressions, and repeated token texts are
// shared strings, so a 10,000-line file lexes in a few milliseconds.

import type { Token, TokenKind } from './ast';
import { RESERVED_WORDS } from '../../../engine/catalog/names';

/** The reserved words of spec §1. */
export const KEYWORDS: ReadonlySet<string> = RESERVED_WORDS;

const CH_TAB = 9;
const CH_LF = 10;
const CH_VT = 11;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_HASH = 35;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_0 = 48;
const CH_9 = 57;
const CH_GT = 62;
const CH_BACKSLASH = 92;
const CH_UNDERSCORE = 95;
const CH_BOM = 0xfeff;
const CH_NBSP = 0xa0;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === CH_UNDERSCORE;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_VT || c === CH_FF || c === CH_BOM || c === CH_NBSP;
}

/** Single-character punctuation: ( ) [ ] { } , : = and the unary minus '-'. */
function isPunct(c: number): boolean {
  return (
    c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 44 || c === 58 || c === 61 || c === CH_MINUS
  );
}

/**
 * Token texts that repeat (names, numbers, runs of spaces, punctuation) are shared strings
 * rather than a fresh substring per token: a 10,000-line file has about 100,000 tokens and
 * only a few hundred distinct texts, so this saves most of the lexer's allocations (and the
 * garbage collection they cost later, since the tokens live as long as the tree). One table
 * serves every call, so the incremental checker's many small chunks share their strings too;
 * it is emptied when it grows large (strings already handed out stay valid).
 */
class Interner {
  private keys: (string | undefined)[] = new Array(1024);
  private size = 0;
  private static readonly MAX_SIZE = 1 << 14;

  /** The shared string equal to text[start, end), whose hash the caller computed. */
  get(text: string, start: number, end: number, hash: number): string {
    const mask = this.keys.length - 1;
    let i = hash & mask;
    const len = end - start;
    for (;;) {
      const k = this.keys[i];
      if (k === undefined) break;
      if (k.length === len && sameChars(k, text, start, len)) return k;
      i = (i + 1) & mask;
    }
    // A fresh flat string, not a slice that would keep the whole source text alive.
    const s = len > 64 ? text.slice(start, end) : flat(text.slice(start, end));
    if (len > 64) return s; // Long texts rarely repeat; do not keep them.
    if (this.size >= Interner.MAX_SIZE) {
      this.keys = new Array(1024);
      this.size = 0;
      return this.get(text, start, end, hash);
    }
    this.keys[i] = s;
    if (++this.size * 2 > this.keys.length) this.grow();
    return s;
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Array(old.length * 2);
    const mask = this.keys.length - 1;
    for (const k of old) {
      if (k === undefined) continue;
      let i = hashOf(k, 0, k.length) & mask;
      while (this.keys[i] !== undefined) i = (i + 1) & mask;
      this.keys[i] = k;
    }
  }
}

/**
 * A copy of `s` that does not point into a larger string. V8 may represent a substring of
 * 13 or more characters as a view of its parent; a table shared across files must not keep
 * a whole old document alive through one of its names.
 */
function flat(s: string): string {
  return s.length < 13 ? s : s.split('').join('');
}

function sameChars(k: string, text: string, start: number, len: number): boolean {
  for (let j = 0; j < len; j++) if (k.charCodeAt(j) !== text.charCodeAt(start + j)) return false;
  return true;
}

function hashOf(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

const INTERNER = new Interner();

const KEYWORD_MIN = Math.min(...[...KEYWORDS].map((k) => k.length));
const KEYWORD_MAX = Math.max(...[...KEYWORDS].map((k) => k.length));

/** The text of each one-character punctuation token, by char code. */
const PUNCT_TEXT: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** Runs of 1..32 spaces, the usual indentation, as shared strings. */
const SPACES: string[] = Array.from({ length: 33 }, (_, n) => ' '.repeat(n));

/** Splits `text` into tokens whose texts concatenate to `text`. Never throws. */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  const interner = INTERNER;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: text.slice(start, end), start, end });
  };
  while (i < n) {
    const start = i;
    const c = text.charCodeAt(i);
    if (c === CH_SPACE || isSpace(c)) {
      let plain = c === CH_SPACE;
      i++;
      for (;;) {
        if (i >= n) break;
        const d = text.charCodeAt(i);
        if (d === CH_SPACE) i++;
        else if (isSpace(d)) {
          plain = false;
          i++;
        } else break;
      }
      const len = i - start;
      tokens.push({ kind: 'whitespace', text: plain && len < SPACES.length ? SPACES[len] : text.slice(start, i), start, end: i });
    } else if (c === CH_LF) {
      tokens.push({ kind: 'newline', text: '\n', start, end: ++i });
    } else if (c === CH_CR) {
      i++;
      if (i < n && text.charCodeAt(i) === CH_LF) i++;
      tokens.push({ kind: 'newline', text: i - start === 2 ? '\r\n' : '\r', start, end: i });
    } else if (c === CH_HASH) {
      i = lineEnd(text, i);
      push('comment', start, i);
    } else if (isIdentStart(c)) {
      let h = c;
      i++;
      for (;;) {
        if (i >= n) break;
        const d = text.charCodeAt(i);
        if (!isIdentPart(d)) break;
        h = (Math.imul(h, 31) + d) | 0;
        i++;
      }
      const word = interner.get(text, start, i, h);
      // A length outside the keywords' spares most names the set lookup.
      const len = i - start;
      tokens.push({ kind: len >= KEYWORD_MIN && len <= KEYWORD_MAX && KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, start, end: i });
    } else if (isDigit(c) || (c === CH_DOT && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      i = scanNumber(text, i);
      tokens.push({ kind: 'number', text: interner.get(text, start, i, hashOf(text, start, i)), start, end: i });
    } else if (c === CH_QUOTE) {
      const end = scanString(text, i);
      push(end.closed ? 'string' : 'error', start, end.end);
      i = end.end;
    } else if (c === CH_MINUS && i + 1 < n && text.charCodeAt(i + 1) === CH_GT) {
      i += 2;
      tokens.push({ kind: 'punct', text: '->', start, end: i });
    } else if (isPunct(c)) {
      tokens.push({ kind: 'punct', text: PUNCT_TEXT[c], start, end: ++i });
    } else {
      // One error token per character; a surrogate pair stays together.
      i++;
      if (c >= 0xd800 && c <= 0xdbff && i < n) {
        const d = text.charCodeAt(i);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      push('error', start, i);
    }
  }
  return tokens;
}

function lineEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_LF || c === CH_CR) break;
    i++;
  }
  return i;
}

/** Scans `12`, `0.5`, `.5`, `1e-3`, `3.0e2`; an exponent needs at least one digit. */
function scanNumber(text: string, i: number): number {
  const n = text.length;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (i + 1 < n && text.charCodeAt(i) === CH_DOT && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < n && (text.charCodeAt(i) | 0x20) === 101) {
    let j = i + 1;
    const sign = j < n ? text.charCodeAt(j) : 0;
    if (sign === 43 || sign === CH_MINUS) j++;
    if (j < n && isDigit(text.charCodeAt(j))) {
      j++;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/** Scans a string from its opening quote; unclosed strings end at the end of the line. */
function scanString(text: string, i: number): { end: number; closed: boolean } {
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_QUOTE) return { end: i + 1, closed: true };
    if (c === CH_LF || c === CH_CR) return { end: i, closed: false };
    if (c === CH_BACKSLASH && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      i += d === CH_LF || d === CH_CR ? 1 : 2;
      continue;
    }
    i++;
  }
  return { end: n, closed: false };
}

/**
 * The value of a string token: the text between the quotes with `\"` and `\\` decoded.
 * Any other backslash stays as written, so Windows paths read naturally.
 */
export function stringValue(tokenText: string): string {
  const closed = tokenText.length >= 2 && tokenText.endsWith('"') && !isEscapedQuoteEnd(tokenText);
  const body = tokenText.slice(1, closed ? -1 : undefined);
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length && (body[i + 1] === '"' || body[i + 1] === '\\')) {
      out += body[i + 1];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** True when the final quote of `t` is escaped (so the string is not closed by it). */
function isEscapedQuoteEnd(t: string): boolean {
  if (t.length < 2) return false;
  let backslashes = 0;
  for (let i = t.length - 2; i >= 1 && t[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** True for tokens the parser ignores: whitespace and comments (newlines are significant). */
export function isTrivia(t: Token): boolean {
  return t.kind === 'whitespace' || t.kind === 'comment';
}
