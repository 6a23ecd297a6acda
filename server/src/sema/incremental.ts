// Re-checks a document after an edit without redoing the work the edit did not touch. The
// text is split at top-level `model`/`block`/`train` keywords at the start of a line (where
// no bracket is open); each chunk is parsed on its own, cached by its text, and shifted to its
// offset. Each model and block result is cached by its text, the texts of the blocks it uses
// and the set of block names, and moved to its new position (offsets and lines) on reuse.
// The result equals checkText's on the same text; a test asserts it on random edits.

import { parse } from '../syntax/parser';
import type { Decl, File, Span, Token } from '../syntax/ast';
import type { Diagnostic } from '../syntax/diagnostic';
import { checkParsed, checkText, type CheckOptions } from './check';
import type { CheckedFile } from './checked';
import type { DeclResult } from './context';
import type { DataProbe } from './data_probe';
import { lineStartsOf } from './state';

interface Chunk {
  file: File;
  diagnostics: Diagnostic[];
  /** The offset its spans are at now (0 right after parsing). */
  at: number;
}

interface Placed {
  start: number;
  end: number;
  line: number;
}

interface CachedDecl {
  result: DeclResult;
  ranges: Placed[];
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
  if (nextKeyword === null) return { ...parse(piece), at: 0 };
  const r = parse(piece + SENTINELS[nextKeyword]);
  const n = piece.length;
  return {
    file: { ...r.file, decls: r.file.decls.filter((d) => d.span.start < n), tokens: r.file.tokens.filter((t) => t.start < n), span: { start: 0, end: n } },
    diagnostics: r.diagnostics,
    at: 0,
  };
}

/** Keys of a declaration result that hold shapes and IR data, never spans or lines. */
const NO_SPANS = new Set(['args', 'weights', 'shape', 'inputShapes', 'outputShape', 'inputs']);

/**
 * Moves every span (an object with numeric `start` and `end`) and every `line` reachable
 * from `root`, in place, each object once (`seen` is shared by all moves of one update, so
 * a span shared by a tree and a result moves once). Moving in place instead of copying keeps
 * a re-check after an edit near the top of a big file cheap; the objects belong to this
 * checker's caches, and a result handed out earlier describes the text it was made for only
 * until the next update.
 */
function moveInPlace(root: unknown, delta: (start: number) => number, lineDelta: ((line: number) => number) | null, seen: Set<object>, skip?: ReadonlySet<string>): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (x !== null && typeof x === 'object') {
        if (!skip || !skip.has(k)) stack.push(x);
      } else if (k === 'line' && lineDelta && typeof x === 'number') o[k] = x + lineDelta(x);
    }
    if (typeof o.start === 'number' && typeof o.end === 'number') {
      const d = delta(o.start);
      o.start = o.start + d;
      o.end = (o.end as number) + d;
    }
  }
}

/** Moves a cached declaration result from the ranges it was made for to new ones. */
function moveResult(value: DeclResult, from: Placed[], to: Placed[], seen: Set<object>): void {
  const spanDelta = (start: number): number => {
    for (let i = 0; i < from.length; i++) if (start >= from[i].start && start <= from[i].end) return to[i].start - from[i].start;
    return 0;
  };
  const lineDelta = (line: number): number => {
    // A line belongs to the range whose first line is the nearest at or before it.
    let best = -1;
    for (let i = 0; i < from.length; i++) if (from[i].line <= line && (best < 0 || from[i].line > from[best].line)) best = i;
    return best < 0 ? 0 : to[best].line - from[best].line;
  };
  moveInPlace(value, spanDelta, lineDelta, seen, NO_SPANS);
}

export class IncrementalChecker {
  private chunks = new Map<string, Chunk>();
  private decls = new Map<string, CachedDecl>();
  private readonly data?: DataProbe;

  constructor(options: { data?: DataProbe } = {}) {
    this.data = options.data;
  }

  update(text: string, path?: string): CheckedFile {
    const options: CheckOptions = { path, data: this.data };
    try {
      return this.check(text, options);
    } catch {
      return checkText(text, options);
    }
  }

  private check(text: string, options: CheckOptions): CheckedFile {
    const points = splitPoints(text);
    const nextChunks = new Map<string, Chunk>();
    const decls: Decl[] = [];
    const tokens: Token[] = [];
    const diagnostics: Diagnostic[] = [];
    const seen = new Set<object>();
    for (let i = 0; i < points.length; i++) {
      const start = points[i];
      const end = i + 1 < points.length ? points[i + 1] : text.length;
      const piece = text.slice(start, end);
      const next = i + 1 < points.length ? KEYWORD_AT_LINE.exec(text.slice(end, end + 6))![1] : null;
      const key = `${next ?? ''}|${piece}`;
      // A chunk object sits at one place; a second identical chunk is parsed on its own.
      let chunk = nextChunks.has(key) ? undefined : this.chunks.get(key);
      if (!chunk) chunk = parseChunk(piece, next);
      if (!nextChunks.has(key)) nextChunks.set(key, chunk);
      if (chunk.at !== start) {
        const d = start - chunk.at;
        moveInPlace(chunk, () => d, null, seen);
        chunk.at = start;
      }
      for (const x of chunk.file.decls) decls.push(x);
      for (const x of chunk.file.tokens) tokens.push(x);
      for (const x of chunk.diagnostics) diagnostics.push(x);
    }
    this.chunks = nextChunks;
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
    const blockNames = decls
      .flatMap((d) => (d.kind === 'Block' && d.name ? [d.name.name] : []))
      .join(',');
    const nextDecls = new Map<string, CachedDecl>();
    const textOf = (s: Span) => text.slice(s.start, s.end);
    const result = checkParsed(file, diagnostics, text, options, (decl, deps, used, compute) => {
      const all = [decl, ...deps];
      const key = `${decl.kind}|${used}|${blockNames}|${all.map((d) => `${d.span.end - d.span.start}:${textOf(d.span)}`).join('\u0000')}`;
      const ranges = all.map((d) => ({ start: d.span.start, end: d.span.end, line: lineOf(d.span.start) }));
      const hit = nextDecls.has(key) ? undefined : this.decls.get(key);
      if (hit) {
        const same = hit.ranges.every((r, i) => r.start === ranges[i].start && r.line === ranges[i].line);
        if (!same) moveResult(hit.result, hit.ranges, ranges, seen);
        nextDecls.set(key, { result: hit.result, ranges });
        return hit.result;
      }
      const fresh = compute();
      if (!nextDecls.has(key)) nextDecls.set(key, { result: fresh, ranges });
      return fresh;
    });
    this.decls = nextDecls;
    return result;
  }
}
