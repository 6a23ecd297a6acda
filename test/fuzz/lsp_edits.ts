// Random edits of the kind an author makes, for the language server's differential fuzzer
// (differential.ts): characters and brackets typed or deleted, lines duplicated, moved and
// deleted, whole declarations pasted and cut, and declarations renamed, so that names other
// declarations call appear and disappear (the history that once left a stale "did you mean"
// in the incremental checker). Each edit is a range and its replacement, as an editor sends
// it over LSP's incremental sync. The generator is seeded, so a divergence can be replayed.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitPoints } from '../../server/src/sema/incremental/incremental';

export type Rng = () => number;

/** mulberry32: a small, well-mixed 32-bit PRNG. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

/** An edit: replace text[start, end) with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
  kind: string;
}

export function applyEdit(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

/** Names blocks and models take, close to each other and to layer names, so suggestions move. */
const NAMES = ['Head', 'Heads', 'Hea', 'Body', 'Encoder', 'Encode', 'Stem', 'ELU', 'Elu', 'Dens', 'Denser', 'Mlp', 'MLP', 'Block1', 'Block2'];

/** A file of blocks that call each other and models that call them, misspellings included. */
export const CROSS_REFERENCED = `block Stem(d) {
  input x: [d]
  Dense(d, activation=relu)
}

block Body(d, k=2) {
  input x: [d]
  Stem(d=d)
  repeat k {
    Dense(d)
  }
}

block Head(n) {
  input x: [16]
  Dense(n, activation=softmax)
}

model Classifier {
  input x: [16]
  Body(d=16)
  Hea(n=3)
}

model Other {
  input x: [8]
  Stem(d=8)
  Encoder(d=8)
  Head(n=2)
}

block Encoder(d) {
  input x: [d]
  h = x -> Dense(d) -> LayerNorm()
  output h
}

model Third {
  input x: [16]
  Dens(4)
  Body(d=16, k=3)
  Head(n=5)
}
`;

/** The `.netspec` files under a folder, recursively. */
export function netspecFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...netspecFiles(p));
    else if (name.endsWith('.netspec')) out.push(p);
  }
  return out;
}

/** The texts the fuzzer starts from: every example, and the cross-referenced file. */
export function seedTexts(root = '.'): { name: string; text: string }[] {
  const seeds = netspecFiles(join(root, 'examples')).map((p) => ({ name: p, text: readFileSync(p, 'utf8') }));
  seeds.push({ name: 'cross_referenced', text: CROSS_REFERENCED });
  // An example and the cross-referenced blocks in one file: a bigger file, more declarations.
  seeds.push({ name: 'mixed', text: seeds[0].text + '\n' + CROSS_REFERENCED });
  return seeds;
}

function declaration(r: Rng): string {
  const name = pick(r, NAMES);
  const other = pick(r, NAMES);
  switch (int(r, 5)) {
    case 0:
      return `block ${name}(d) {\n  input x: [d]\n  Dense(d)\n}\n`;
    case 1:
      return `block ${name}(n=4) {\n  input x: [16]\n  ${other}(d=16)\n  Dense(n)\n}\n`;
    case 2:
      return `model ${name} {\n  input x: [16]\n  ${other}(n=3)\n}\n`;
    case 3:
      return `model ${name} {\n  input x: [8]\n  ${other}(d=8)\n  Dense(2, activation=softmax)\n}\n`;
    default:
      return `train ${name} {\n  loss = mse\n  epochs = 2\n}\n`;
  }
}

const SNIPPETS = ['(', ')', '[', ']', '{', '}', '\n', ' ', ',', '=', '->', '#', '"', '2', '16', 'x', 'd=', 'Dense(4)', 'repeat 2 {', 'relu', ':'];

/** The declarations of a text: [start, end) of each chunk that starts with a keyword. */
function declRanges(text: string): [number, number][] {
  const points = splitPoints(text);
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i++) {
    const end = i + 1 < points.length ? points[i + 1] : text.length;
    if (/^(model|block|train)\b/.test(text.slice(points[i], points[i] + 6))) out.push([points[i], end]);
  }
  return out;
}

function lineRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) {
      out.push([at, text.length]);
      return out;
    }
    out.push([at, nl + 1]);
    at = nl + 1;
  }
}

/** One random edit of `text`. */
export function randomEdit(text: string, r: Rng): Edit {
  const n = text.length;
  const at = int(r, n + 1);
  const k = r();
  if (k < 0.22) return { start: at, end: at, text: pick(r, SNIPPETS), kind: 'type' };
  if (k < 0.34) return { start: at, end: Math.min(n, at + 1 + int(r, 4)), text: '', kind: 'delete' };
  if (k < 0.4) return { start: at, end: Math.min(n, at + 1), text: String.fromCharCode(32 + int(r, 95)), kind: 'replace-char' };
  if (k < 0.52) {
    // Rename a declaration, or a call: the names other declarations use come and go.
    const re = /\b(model|block|train)\s+([A-Za-z_][A-Za-z0-9_]*)|\b([A-Z][A-Za-z0-9_]*)\(/g;
    const hits = [...text.matchAll(re)];
    if (hits.length > 0) {
      const m = pick(r, hits);
      const word = m[2] ?? m[3];
      const start = m.index! + m[0].indexOf(word);
      return { start, end: start + word.length, text: pick(r, NAMES), kind: 'rename' };
    }
  }
  if (k < 0.64) {
    // Paste a declaration at the start of a line.
    const lines = lineRanges(text);
    const [ls] = pick(r, lines);
    return { start: ls, end: ls, text: declaration(r), kind: 'paste-decl' };
  }
  if (k < 0.72) {
    const decls = declRanges(text);
    if (decls.length > 1) {
      const [s, e] = pick(r, decls);
      return { start: s, end: e, text: '', kind: 'cut-decl' };
    }
  }
  if (k < 0.8) {
    // Copy a declaration elsewhere (a duplicate name until it is renamed).
    const decls = declRanges(text);
    if (decls.length > 0) {
      const [s, e] = pick(r, decls);
      const [ls] = pick(r, lineRanges(text));
      return { start: ls, end: ls, text: text.slice(s, e), kind: 'copy-decl' };
    }
  }
  if (k < 0.88) {
    const lines = lineRanges(text);
    const [s, e] = pick(r, lines);
    if (r() < 0.5) return { start: s, end: e, text: '', kind: 'delete-line' };
    const [t] = pick(r, lines);
    return { start: t, end: t, text: text.slice(s, e).endsWith('\n') ? text.slice(s, e) : text.slice(s, e) + '\n', kind: 'copy-line' };
  }
  if (k < 0.94) {
    // Wrap a stretch in brackets, or nest a few.
    const depth = 1 + int(r, 4);
    const open = pick(r, ['(', '[', '{']);
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    return { start: at, end: at, text: open.repeat(depth) + (r() < 0.7 ? close.repeat(depth) : ''), kind: 'brackets' };
  }
  return { start: at, end: Math.min(n, at + int(r, 40)), text: '', kind: 'delete-range' };
}
