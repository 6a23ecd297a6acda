// The incremental checker's cache of declaration results. A model's or block's result is
// reused when nothing its check reads has changed: its own text, its kind, whether it is
// used, the blocks calls resolve against (check.ts's DeclScope: names and order), and the
// text of every block it uses, directly or through other blocks. The last is decided for all
// declarations at once: blocks whose text changed since the previous update, and every block
// that reaches one of them, are stale (block_graph.ts), and a declaration is re-checked when
// it calls a stale block. Every entry was placed by the previous update, so comparing with
// that update is enough, and the work stays linear in the file even for long chains of
// blocks (a list of dependency texts per declaration would be quadratic).
//
// A reused result is moved to where its spans sit now. It records which declarations its
// spans lie in (itself and blocks it expanded, by name and text) and is moved by theirs.

import type { Decl, Span } from '../../syntax/ast';
import { blocksReaching } from './block_graph';
import type { DeclScope } from '../check';
import type { DeclResult } from '../context';
import { moveResult } from './move_spans';

/** Where a declaration whose spans a result holds sat; `name` null for the result's own. */
interface Placed {
  name: string | null;
  /** The block's text, to confirm that the block of that name is still the same. */
  text: string | null;
  start: number;
  end: number;
  /** The lines of its start and end. */
  line: number;
  endLine: number;
}

interface Entry {
  kind: string;
  used: boolean;
  env: string;
  result: DeclResult;
  placed: Placed[];
}

/** A copy of a slice that does not keep the whole text it was cut from alive. */
export function detached(s: string): string {
  // Slicing a concatenation flattens it into a string of just these characters.
  return (' ' + s).slice(1);
}

export interface UpdateView {
  text: string;
  decls: readonly Decl[];
  lineOf: (offset: number) => number;
}

export class DeclCache {
  private entries = new Map<string, Entry[]>();
  private next = new Map<string, Entry[]>();
  private blockTexts = new Map<string, string>();
  private env: string | null = null;
  private view: UpdateView | null = null;
  private scope: DeclScope | null = null;
  private stale: Set<string> | null = null;

  /** Starts an update: results are looked up in the previous update's entries. */
  begin(view: UpdateView): void {
    this.view = view;
    this.scope = null;
    this.stale = null;
    this.next = new Map();
  }

  /** Ends an update: its entries become the ones the next update may reuse. */
  end(): void {
    this.entries = this.next;
    this.next = new Map();
    const blocks = this.scope?.blocks ?? new Map();
    const texts = new Map<string, string>();
    for (const [name, decl] of blocks) texts.set(name, detached(this.textOf(decl.span)));
    this.blockTexts = texts;
    this.env = this.scope ? this.scope.env : '';
    this.view = null;
    this.scope = null;
  }

  /** Forgets everything (after a failed update). */
  clear(): void {
    this.entries = new Map();
    this.next = new Map();
    this.blockTexts = new Map();
    this.env = null;
  }

  get(decl: Decl, scope: DeclScope, used: boolean, compute: () => DeclResult): DeclResult {
    if (this.scope !== scope) this.enter(scope);
    const own = this.textOf(decl.span);
    const taken = this.next.get(own);
    const fresh = !this.callsStale(decl, scope);
    // Each cached result is placed once per update; a second identical declaration is checked afresh.
    const hit = fresh
      ? this.entries.get(own)?.find((c) => c.kind === decl.kind && c.used === used && c.env === scope.env && !taken?.some((t) => t.result === c.result))
      : undefined;
    let entry: Entry | null = null;
    if (hit) {
      const placed = this.placeAgain(hit.placed, decl, scope);
      if (placed) {
        move(hit.result, hit.placed, placed);
        entry = { ...hit, placed };
      }
    }
    if (!entry) {
      const result = compute();
      const placed = this.placesOf(result, decl, scope);
      // A result with a span outside the declarations it can be moved by is never reused.
      if (!placed) return result;
      entry = { kind: decl.kind, used, env: scope.env, result, placed };
    }
    if (taken) taken.push(entry);
    else this.next.set(detached(own), [entry]);
    return entry.result;
  }

  private textOf(span: Span): string {
    return this.view!.text.slice(span.start, span.end);
  }

  /** Works out, once per update, which blocks reach a block whose text changed. */
  private enter(scope: DeclScope): void {
    this.scope = scope;
    if (scope.env !== this.env) {
      this.stale = null;
      return;
    }
    const changed: string[] = [];
    for (const [name, decl] of scope.blocks) if (this.blockTexts.get(name) !== this.textOf(decl.span)) changed.push(name);
    this.stale = blocksReaching(changed, scope.blocks, (d) => scope.namesOf(d));
  }

  private callsStale(decl: Decl, scope: DeclScope): boolean {
    if (this.stale === null) return true;
    if (decl.kind === 'Train') return false;
    for (const name of scope.namesOf(decl)) if (this.stale.has(name)) return true;
    return false;
  }

  /** Where the declarations a cached result lies in sit now (null when one is gone or changed). */
  private placeAgain(old: Placed[], decl: Decl, scope: DeclScope): Placed[] | null {
    const out: Placed[] = [];
    for (const p of old) {
      let span = decl.span;
      if (p.name !== null) {
        const block = scope.blocks.get(p.name);
        if (!block || this.textOf(block.span) !== p.text) return null;
        span = block.span;
      }
      out.push({ name: p.name, text: p.text, start: span.start, end: span.end, line: this.view!.lineOf(span.start), endLine: this.view!.lineOf(span.end) });
    }
    return separateLines(out) ? out : null;
  }

  /** The declarations a fresh result's spans lie in, or null when one is not a block the check could use. */
  private placesOf(result: DeclResult, decl: Decl, scope: DeclScope): Placed[] | null {
    const decls = this.view!.decls;
    const touched = new Set<Decl>([decl]);
    let outside = false;
    moveResult(
      result,
      (start) => {
        // The last declaration starting at or before `start` (declarations are in text order).
        let lo = 0;
        let hi = decls.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (decls[mid].span.start <= start) lo = mid;
          else hi = mid - 1;
        }
        const d = decls[lo];
        if (d && d.span.start <= start && start <= d.span.end) touched.add(d);
        else outside = true;
        return 0;
      },
      (n) => n,
    );
    if (outside) return null;
    const placed: Placed[] = [];
    for (const d of touched) {
      let name: string | null = null;
      let text: string | null = null;
      if (d !== decl) {
        if (d.kind !== 'Block' || !d.name || scope.blocks.get(d.name.name) !== d) return null;
        name = d.name.name;
        text = detached(this.textOf(d.span));
      }
      placed.push({ name, text, start: d.span.start, end: d.span.end, line: this.view!.lineOf(d.span.start), endLine: this.view!.lineOf(d.span.end) });
    }
    return separateLines(placed) ? placed : null;
  }
}

/**
 * True when no two places share a line. Line numbers in a result (a model's layers, IR nodes)
 * are moved by the place whose lines hold them; two declarations on one line (`} model B {`)
 * could move apart by an edit between them, so such a result is checked afresh instead.
 */
function separateLines(places: Placed[]): boolean {
  if (places.length < 2) return true;
  const order = [...places].sort((a, b) => a.line - b.line);
  for (let i = 1; i < order.length; i++) if (order[i].line <= order[i - 1].endLine) return false;
  return true;
}

/** Moves a result from the places it was made for to new ones (offsets and line numbers). */
function move(r: DeclResult, from: Placed[], to: Placed[]): void {
  if (from.every((p, i) => p.start === to[i].start && p.line === to[i].line)) return;
  // Declarations do not overlap: sorted by start, a span's start finds its own by binary search.
  const order = from.map((_, i) => i).sort((a, b) => from[a].start - from[b].start);
  const find = (start: number): number => {
    let lo = 0;
    let hi = order.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (from[order[mid]].start <= start) lo = mid;
      else hi = mid - 1;
    }
    return order[lo];
  };
  const byLine = from.map((_, i) => i).sort((a, b) => from[a].line - from[b].line);
  moveResult(
    r,
    (start) => {
      const i = find(start);
      return start >= from[i].start && start <= from[i].end ? to[i].start - from[i].start : 0;
    },
    (n) => {
      // A line belongs to the declaration whose first line is the nearest at or before it.
      let lo = 0;
      let hi = byLine.length - 1;
      if (from[byLine[0]].line > n) return n;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (from[byLine[mid]].line <= n) lo = mid;
        else hi = mid - 1;
      }
      const i = byLine[lo];
      return n + to[i].line - from[i].line;
    },
  );
}
