// The checker's front door: parses a file, checks declaration names, checks every model
// (expanding the blocks it uses), every block on its own and every train block, and merges
// the per-declaration results into one CheckedFile. It never throws: a checker bug becomes an
// empty result for the declaration that hit it rather than a crash of the editor.

import { parse } from '../syntax/parser';
import type { BlockDecl, Decl, File, Span, Stmt } from '../syntax/ast';
import type { Diagnostic } from '../syntax/diagnostic';
import type { CallInfo, CheckedFile, StatementInfo, SymbolInfo } from './checked';
import { DiagnosticSink, type DeclResult, type ModelFacts } from './context';
import type { DataProbe } from './train/data_probe';
import { LayerCache } from './model/layer_cache';
import { checkBlock, checkModel } from './model/model_check';
import { lineStartsOf } from './model/state';
import { checkTrain } from './train/train_check';

export interface CheckOptions {
  /** The file's path; data paths in train blocks resolve against its folder. */
  path?: string;
  data?: DataProbe;
}

/**
 * What a declaration's check reads besides the declaration itself, made once per check:
 * `blocks` is the map calls resolve against (first definitions only; a block whose name an
 * earlier model took is not in it), `env` its names in order (unknown calls are suggested
 * among them), and `namesOf` the block names a declaration calls.
 */
export interface DeclScope {
  blocks: ReadonlyMap<string, BlockDecl>;
  env: string;
  namesOf: (d: Decl) => Set<string>;
}

/**
 * Lets incremental.ts reuse a declaration's result. Its check reads the declaration, the
 * scope, the blocks it uses (through the scope) and whether other declarations call it
 * (`used`); `compute` checks it afresh.
 */
export type DeclMemo = (decl: Decl, scope: DeclScope, used: boolean, compute: () => DeclResult) => DeclResult;

export function checkText(text: string, options: CheckOptions = {}): CheckedFile {
  let parsed: { file: File; diagnostics: Diagnostic[] };
  try {
    parsed = parse(text);
  } catch (e) {
    const span = { start: 0, end: Math.min(text.length, 1) };
    const file: File = { kind: 'File', decls: [], tokens: [], span: { start: 0, end: text.length } };
    const message = `the file could not be parsed (${e instanceof Error ? e.message : String(e)})`;
    return { file, diagnostics: [{ code: 'syntax', severity: 'error', message, span, related: [] }], statements: [], calls: [], symbols: [], models: [] };
  }
  return checkParsed(parsed.file, parsed.diagnostics, text, options);
}

const EMPTY: DeclResult = { diagnostics: [], statements: [], calls: [], symbols: [], refs: [], declRefs: [], model: null, facts: null };

function safely(compute: () => DeclResult): DeclResult {
  try {
    return compute();
  } catch {
    return EMPTY;
  }
}

/**
 * The block names each declaration calls. A tree is never edited (only moved), so an entry
 * stays valid as long as its declaration lives; the incremental checker keeps one table
 * across updates, a one-off check uses a plain map for that check alone.
 */
export interface CalledNames {
  get(decl: Decl): Set<string> | undefined;
  set(decl: Decl, names: Set<string>): unknown;
}

/** The names of blocks called anywhere in a body. */
export function calledNames(body: Stmt[], out = new Set<string>()): Set<string> {
  for (const s of body) {
    if (s.kind === 'Repeat') calledNames(s.body, out);
    else if (s.kind !== 'Input') for (const c of s.layers) out.add(c.callee.name);
  }
  return out;
}

export function checkParsed(
  file: File,
  parseDiagnostics: Diagnostic[],
  text: string,
  options: CheckOptions = {},
  memo?: DeclMemo,
  called: CalledNames = new Map(),
): CheckedFile {
  const lineStarts = lineStartsOf(text);
  const sink = new DiagnosticSink();
  const blocks = new Map<string, BlockDecl>();
  const firstDef = new Map<string, Span>();
  const firstTrain = new Map<string, Span>();
  for (const d of file.decls) {
    const id = d.kind === 'Train' ? d.model : d.name;
    if (!id) continue;
    const table = d.kind === 'Train' ? firstTrain : firstDef;
    const prev = table.get(id.name);
    if (prev) {
      const what = d.kind === 'Train' ? `a train block for ${id.name}` : `the name \`${id.name}\``;
      sink.add('duplicate-name', id.span, `${what} is already defined in this file`, [{ span: prev, message: `\`${id.name}\` is first defined here` }]);
      continue;
    }
    table.set(id.name, id.span);
    if (d.kind === 'Block') blocks.set(id.name, d);
  }
  const namesOf = (d: Decl): Set<string> => {
    let names = called.get(d);
    if (!names) called.set(d, (names = d.kind === 'Train' ? new Set() : calledNames(d.body)));
    return names;
  };
  const used = new Set<string>();
  for (const d of file.decls) if (d.kind !== 'Train') for (const n of namesOf(d)) used.add(n);
  // Block names cannot hold a comma, so the joined list names one set and order of blocks.
  const scope: DeclScope = { blocks, env: [...blocks.keys()].join(','), namesOf };
  const run = (d: Decl, isUsed: boolean, compute: () => DeclResult) => (memo ? memo(d, scope, isUsed, () => safely(compute)) : safely(compute));

  const layers = new LayerCache();
  const results: DeclResult[] = [];
  const facts = new Map<string, ModelFacts>();
  for (const d of file.decls) {
    if (d.kind !== 'Model') continue;
    const r = run(d, false, () => checkModel(d, blocks, lineStarts, layers));
    results.push(r);
    if (r.facts && d.name && !facts.has(d.name.name)) facts.set(d.name.name, r.facts);
  }
  // Unused blocks before used ones: where several results define a symbol the first one is
  // kept, and a used block's own check does not expand the blocks it uses (model_check.ts),
  // so the shapes a walk through it found come first.
  for (const usedPass of [false, true]) {
    for (const d of file.decls) {
      if (d.kind !== 'Block' || !d.name || blocks.get(d.name.name) !== d) continue;
      const isUsed = used.has(d.name.name);
      if (isUsed !== usedPass) continue;
      results.push(run(d, isUsed, () => checkBlock(d, blocks, lineStarts, isUsed, layers)));
    }
  }
  for (const d of file.decls) {
    if (d.kind !== 'Train') continue;
    results.push(safely(() => checkTrain(d, facts, { path: options.path, probe: options.data })));
  }
  return merge(file, [...parseDiagnostics, ...sink.list], results);
}

function merge(file: File, first: Diagnostic[], results: DeclResult[]): CheckedFile {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: Diagnostic) => {
    const key = `${d.code}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(d);
  };
  first.forEach(push);
  let statements: StatementInfo[] = [];
  const calls: CallInfo[] = [];
  const symbols = new Map<number, SymbolInfo>();
  // Per definition, its references as flat [start, end, ...] pairs (duplicates removed below:
  // a block's body is recorded by each use). Arrays, not maps: a big file has thousands.
  const refs = new Map<number, number[]>();
  const addRef = (def: number, start: number, end: number) => {
    const m = refs.get(def);
    if (m) m.push(start, end);
    else refs.set(def, [start, end]);
  };
  const declByName = new Map<string, SymbolInfo>();
  for (const d of file.decls) {
    if (d.kind === 'Train' || !d.name || declByName.has(d.name.name)) continue;
    const s: SymbolInfo = { name: d.name.name, kind: d.kind === 'Model' ? 'model' : 'block', def: d.name.span, refs: [], scope: file.span };
    declByName.set(d.name.name, s);
    symbols.set(s.def.start, s);
  }
  const models = [];
  for (const r of results) {
    r.diagnostics.forEach(push);
    for (const s of r.statements) statements.push(s);
    for (const c of r.calls) calls.push(c);
    for (const s of r.symbols) {
      if (symbols.has(s.def.start)) continue;
      // The declaration's own symbol object is used, its references filled in below.
      s.refs = [];
      symbols.set(s.def.start, s);
    }
    const flat = r.refs;
    for (let i = 0; i + 3 < flat.length; i += 4) addRef(flat[i], flat[i + 2], flat[i + 3]);
    for (const ref of r.declRefs) {
      const s = declByName.get(ref.name);
      if (s) addRef(s.def.start, ref.span.start, ref.span.end);
    }
    if (r.model) models.push(r.model);
  }
  for (const [def, pairs] of refs) {
    const s = symbols.get(def);
    if (s) s.refs = refSpans(def, pairs);
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  // Several uses of a block record its statements; the first one (in result order) is kept.
  // The sort is stable, so the first of each run of equal starts is that one.
  sortBy(statements, (a, b) => a.span.start - b.span.start);
  statements = firstOfEachStart(statements);
  sortBy(calls, (a, b) => a.callSpan.start - b.callSpan.start);
  const symbolList = [...symbols.values()];
  sortBy(symbolList, (a, b) => a.def.start - b.def.start);
  return { file, diagnostics, statements, calls, symbols: symbolList, models };
}

/** References from [start, end, ...] pairs: sorted by start, one per start, the definition left out. */
function refSpans(def: number, pairs: number[]): Span[] {
  const list: Span[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] !== def) list.push({ start: pairs[i], end: pairs[i + 1] });
  if (list.length < 2) return list;
  sortBy(list, (a, b) => a.start - b.start);
  // A later pair with the same start wins, as a map keyed by start would keep it.
  const out: Span[] = [];
  for (const r of list) {
    if (out.length > 0 && out[out.length - 1].start === r.start) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

/** Drops statements whose start equals the previous one's (the list is sorted by start). */
function firstOfEachStart(sorted: StatementInfo[]): StatementInfo[] {
  let dup = false;
  for (let i = 1; i < sorted.length && !dup; i++) dup = sorted[i].span.start === sorted[i - 1].span.start;
  if (!dup) return sorted;
  return sorted.filter((s, i) => i === 0 || s.span.start !== sorted[i - 1].span.start);
}

/** Sorts (stably) with `compare`, skipping the sort when the list is already in order. */
function sortBy<T>(list: T[], compare: (a: T, b: T) => number): void {
  for (let i = 1; i < list.length; i++) {
    if (compare(list[i - 1], list[i]) > 0) {
      list.sort(compare);
      return;
    }
  }
}
