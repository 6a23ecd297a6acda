// Re-checks a document after an edit without redoing the work the edit did not touch. The
// text is split at top-level `model`/`block`/`train` keywords at the start of a line (where
// no bracket is open); each chunk is parsed on its own, cached by its text, and shifted to its
// offset. Each model and block result is cached (decl_cache.ts) by its text and everything
// else its check reads, and moved to its new position (offsets and lines) on reuse.
// The result equals checkText's on the same text; a test asserts it on random edits.

import { parse } from '../../syntax/parser';
import type { Decl, File, Token } from '../../syntax/ast';
import type { Diagnostic } from '../../syntax/diagnostic';
import { checkParsed, checkText, type CheckOptions } from '../check';
import type { CheckedFile } from '../checked';
import { DeclCache, detached } from './decl_cache';
import { moveDiagnostics, moveExpr, moveStmts, mv, type Move } from './move_spans';
import type { DataProbe } from '../train/data_probe';
import { lineStartsOf } from '../model/state';

interface Chunk {
  /** Its declarations; its tokens live in the checker's combined list (see `from`). */
  file: File;
  diagnostics: Diagnostic[];
  /** The offset its spans are at now (0 right after parsing). */
  at: number;
  /** The keyword of the declaration after it (its parse depends on it), or null at the end. */
  next: string | null;
  /** Its tokens until they join the combined list (right after parsing), then null. */
  tokens: Token[] | null;
  /** Where its tokens sit in the combined list of the last update: [from, to). */
  from: number;
  to: number;
}

const KEYWORD_AT_LINE = /^(model|block|train)(?![A-Za-z0-9_])/;

/**
 * Offsets of `model`, `block` and `train` keywords that are the first token of their line:
 * exactly where the parser starts a new declaration (it recovers there even inside an
 * unclosed body). Comments and strings never span lines, so a line scan finds them.
 */
export function splitPoints(text: string): number[] {
  const points = [0];
  let i = 0;
  while (i < text.length) {
    // Skip the line's leading blanks, then look at its first token.
    let j = i;
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === 32 || c === 9 || c === 11 || c === 12) j++;
      else break;
    }
    const c = text.charCodeAt(j);
    if (j > 0 && (c === 109 || c === 98 || c === 116) && KEYWORD_AT_LINE.test(text.slice(j, j + 6))) points.push(j);
    // Move to the next line (a lone \r also ends a line).
    while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
    if (text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10) j++;
    i = j + 1;
  }
  return points;
}

/** A complete, error-free declaration of each kind, parsed after a chunk that is not the last. */
const SENTINELS: Record<string, string> = { model: 'model _ {}', block: 'block _() {}', train: 'train _ {}' };

/**
 * Parses one chunk as the full parser would see it inside the file: when another
 * declaration follows, a minimal one of the same keyword is appended so that an unclosed
 * body ends at "found 'model'" rather than at the end of the file; its own nodes are dropped.
 */
function parseChunk(piece: string, nextKeyword: string | null): Chunk {
  if (nextKeyword === null) {
    const r = parse(piece);
    return { file: { ...r.file, tokens: [] }, diagnostics: r.diagnostics, at: 0, next: null, tokens: r.file.tokens, from: 0, to: 0 };
  }
  const r = parse(piece + SENTINELS[nextKeyword]);
  const n = piece.length;
  return {
    file: { ...r.file, decls: r.file.decls.filter((d) => d.span.start < n), tokens: [], span: { start: 0, end: n } },
    diagnostics: r.diagnostics,
    at: 0,
    next: nextKeyword,
    tokens: r.file.tokens.filter((t) => t.start < n),
    from: 0,
    to: 0,
  };
}

/**
 * Moves a parsed chunk by `delta`, in place. The parser gives every node its own span
 * object (the random-edit test would catch a shared one); moving in place instead of
 * copying keeps a re-check after an edit near the top of a big file cheap.
 */
function moveChunk(chunk: Chunk, delta: number, combined: readonly Token[]): void {
  const d: Move = () => delta;
  const own = chunk.tokens;
  const list = own ?? combined;
  for (let i = own ? 0 : chunk.from, end = own ? own.length : chunk.to; i < end; i++) {
    const t = list[i];
    t.start += delta;
    t.end += delta;
  }
  for (const decl of chunk.file.decls) {
    mv(decl.span, d);
    if (decl.kind === 'Train') {
      mv(decl.model?.span, d);
      for (const s of decl.settings) {
        mv(s.name.span, d);
        moveExpr(s.value, d);
        mv(s.span, d);
      }
      continue;
    }
    mv(decl.name?.span, d);
    if (decl.kind === 'Block') {
      for (const p of decl.params) {
        mv(p.name.span, d);
        moveExpr(p.default, d);
        mv(p.span, d);
      }
    }
    moveStmts(decl.body, d);
  }
  moveDiagnostics(chunk.diagnostics, d);
  chunk.at += delta;
}

/**
 * The tokens of the placed chunks in order, as one list. Chunks kept from the last update
 * are runs of that update's list; when they are still in the same order (every edit except
 * moving declarations around), the list is edited in place: each run of new chunks replaces
 * the old tokens between its kept neighbours with one splice. That is a native move of the
 * tail instead of a copy of the ~100,000 tokens of a big file (a copy costs milliseconds and
 * garbage; a splice microseconds). Token objects are moved in place already, so an older
 * result's list was never a snapshot. Otherwise the list is built anew from slices.
 * Afterwards every chunk knows its range in the list and keeps no list of its own.
 */
function combineTokens(placed: Chunk[], previous: Token[]): Token[] {
  const tokens = spliceInPlace(placed, previous) ?? concatenate(placed, previous);
  let at = 0;
  for (const chunk of placed) {
    const length = chunk.tokens ? chunk.tokens.length : chunk.to - chunk.from;
    chunk.from = at;
    chunk.to = at + length;
    chunk.tokens = null;
    at += length;
  }
  return tokens;
}

/** Most tokens one splice takes as arguments (spread arguments live on the stack). */
const MAX_SPLICED = 20_000;

/** `previous` edited into the placed order, or null when kept chunks changed order. */
function spliceInPlace(placed: Chunk[], previous: Token[]): Token[] | null {
  // Each edit replaces previous[from, to) with the tokens of the new chunks placed there.
  const edits: { from: number; to: number; tokens: Token[] }[] = [];
  let keptEnd = 0;
  let pending: Token[] = [];
  let spliced = 0;
  for (const chunk of placed) {
    if (chunk.tokens) {
      for (const t of chunk.tokens) pending.push(t);
      continue;
    }
    if (chunk.from < keptEnd) return null;
    if (pending.length > 0 || chunk.from > keptEnd) edits.push({ from: keptEnd, to: chunk.from, tokens: pending });
    spliced += pending.length;
    pending = [];
    keptEnd = chunk.to;
  }
  if (pending.length > 0 || keptEnd < previous.length) edits.push({ from: keptEnd, to: previous.length, tokens: pending });
  spliced += pending.length;
  if (spliced > MAX_SPLICED) return null;
  for (let k = edits.length - 1; k >= 0; k--) {
    const e = edits[k];
    previous.splice(e.from, e.to - e.from, ...e.tokens);
  }
  return previous;
}

/** The placed chunks' tokens as a new list, from native slices of `previous` and new tokens. */
function concatenate(placed: Chunk[], previous: readonly Token[]): Token[] {
  const parts: Token[][] = [];
  let runFrom = -1;
  let runTo = -1;
  const flush = () => {
    if (runFrom >= 0) parts.push(previous.slice(runFrom, runTo));
    runFrom = -1;
  };
  for (const chunk of placed) {
    if (chunk.tokens) {
      flush();
      parts.push(chunk.tokens);
    } else if (runFrom >= 0 && chunk.from === runTo) {
      runTo = chunk.to;
    } else {
      flush();
      runFrom = chunk.from;
      runTo = chunk.to;
    }
  }
  flush();
  let tokens: Token[] = [];
  // One native concatenation instead of a push per token (a big file has ~100,000).
  for (let i = 0; i < parts.length; i += 4096) tokens = tokens.concat(...parts.slice(i, i + 4096));
  return tokens;
}

export class IncrementalChecker {
  private chunks = new Map<string, Chunk>();
  private readonly decls = new DeclCache();
  /** Every token of the last update's text, in order: the one list the chunks index into. */
  private tokens: Token[] = [];
  /** The block names each declaration calls, kept while its (reused) tree lives. */
  private readonly called = new WeakMap<Decl, Set<string>>();
  private readonly data?: DataProbe;

  constructor(options: { data?: DataProbe } = {}) {
    this.data = options.data;
  }

  update(text: string, path?: string): CheckedFile {
    const options: CheckOptions = { path, data: this.data };
    try {
      return this.check(text, options);
    } catch {
      // Start afresh next time rather than trust caches a failed update may have half-changed.
      this.chunks = new Map();
      this.decls.clear();
      this.tokens = [];
      return checkText(text, options);
    }
  }

  private check(text: string, options: CheckOptions): CheckedFile {
    const points = splitPoints(text);
    const nextChunks = new Map<string, Chunk>();
    const decls: Decl[] = [];
    const placed: Chunk[] = [];
    const diagnostics: Diagnostic[] = [];
    for (let i = 0; i < points.length; i++) {
      const start = points[i];
      const end = i + 1 < points.length ? points[i + 1] : text.length;
      const piece = text.slice(start, end);
      const next = i + 1 < points.length ? KEYWORD_AT_LINE.exec(text.slice(end, end + 6))![1] : null;
      // A chunk object sits at one place; a second identical chunk is parsed on its own.
      const cached = nextChunks.has(piece) ? undefined : this.chunks.get(piece);
      const chunk = cached && cached.next === next ? cached : parseChunk(piece, next);
      // A new chunk's key is copied out of the text, so that the map does not keep every
      // version of the document a kept chunk was cut from.
      if (!nextChunks.has(piece)) nextChunks.set(chunk === cached ? piece : detached(piece), chunk);
      if (chunk.at !== start) moveChunk(chunk, start - chunk.at, this.tokens);
      for (const x of chunk.file.decls) decls.push(x);
      placed.push(chunk);
      for (const x of chunk.diagnostics) diagnostics.push(x);
    }
    const tokens = combineTokens(placed, this.tokens);
    this.chunks = nextChunks;
    this.tokens = tokens;
    const file: File = { kind: 'File', decls, tokens, span: { start: 0, end: text.length } };
    const lineStarts = lineStartsOf(text);
    const lineOf = (offset: number): number => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    this.decls.begin({ text, decls, lineOf });
    const result = checkParsed(file, diagnostics, text, options, (decl, scope, used, compute) => this.decls.get(decl, scope, used, compute), this.called);
    this.decls.end();
    return result;
  }
}
