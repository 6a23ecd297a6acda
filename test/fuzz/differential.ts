// The language server's differential fuzzer. It applies random edits (lsp_edits.ts) one after
// another to a text, feeding each to a long-lived IncrementalChecker as the server does, and
// every few edits compares what the incremental checker says with a from-scratch checkText of
// the same text: diagnostics in full, and the statement shapes, calls, symbols and model
// summaries the editor features read. Optionally it drives dist/server.js over stdio with the
// same edits (incremental sync) and compares the diagnostics the server publishes, converted
// back to offsets, with the fresh check. The seeded unit run and `npm run soak` share it.

import { checkText } from '../../server/src/sema/check';
import type { CheckedFile } from '../../server/src/sema/checked';
import { IncrementalChecker } from '../../server/src/sema/incremental/incremental';
import { LineIndex } from '../../server/src/syntax/positions';
import type { PublishedDiagnostics, TestClient } from '../integration/lsp/client';
import { applyEdit, randomEdit, rng, seedTexts, type Edit } from './lsp_edits';

export interface Divergence {
  seed: number;
  step: number;
  where: 'checker' | 'server';
  text: string;
  incremental: string;
  fresh: string;
  /** The last edits before the divergence, newest last. */
  history: string[];
}

export interface DifferentialOptions {
  seed: number;
  edits: number;
  /** Compare after every this many edits (1 = after each). */
  every: number;
  /** When given, the same edits also go to this server, compared every `serverEvery` edits. */
  server?: TestClient;
  serverEvery?: number;
  /** Texts longer than this start over from a seed, so a run explores edits, not growth. */
  maxLength?: number;
  /** Start over from a fresh seed after this many edits. */
  restartEvery?: number;
  /** Called after each comparison (the soak run prints progress). */
  progress?: (counts: DifferentialCounts) => void;
  /** Stop at the first divergence (the unit test); the soak run collects them all. */
  stopAtFirst?: boolean;
}

export interface DifferentialCounts {
  edits: number;
  comparisons: number;
  serverComparisons: number;
  divergences: Divergence[];
}

const PATH = '/tmp/netspec-fuzz/fuzz.netspec';
const URI = 'file://' + PATH;

/** What must agree, as comparable text: everything a feature reads, without the tree. */
export function observable(c: CheckedFile): string {
  return JSON.stringify({
    diagnostics: c.diagnostics,
    statements: c.statements,
    calls: c.calls,
    symbols: c.symbols,
    models: c.models.map((m) => ({ ...m, ir: m.ir ? JSON.stringify(m.ir) : null })),
  });
}

/** Published diagnostics as offsets, sorted, in the form `serverView` gives a fresh check. */
function published(p: PublishedDiagnostics, lines: LineIndex): string[] {
  return p.diagnostics
    .map((d) => `${lines.offsetAt(d.range.start)}-${lines.offsetAt(d.range.end)} ${d.code} ${d.severity} ${d.message}`)
    .sort();
}

function serverView(c: CheckedFile): string[] {
  const severity = { error: 1, warning: 2, information: 3, hint: 4 };
  return c.diagnostics.map((d) => `${d.span.start}-${d.span.end} ${d.code} ${severity[d.severity]} ${d.message}`).sort();
}

function describeEdit(e: Edit): string {
  return `${e.kind} [${e.start}, ${e.end}) ${JSON.stringify(e.text.length > 60 ? e.text.slice(0, 60) + '...' : e.text)}`;
}

export async function runDifferential(o: DifferentialOptions): Promise<DifferentialCounts> {
  const r = rng(o.seed);
  const seeds = seedTexts();
  const counts: DifferentialCounts = { edits: 0, comparisons: 0, serverComparisons: 0, divergences: [] };
  const maxLength = o.maxLength ?? 12_000;
  const restartEvery = o.restartEvery ?? 2_000;
  let checker = new IncrementalChecker();
  let text = '';
  let version = 0;
  let history: string[] = [];
  const server = o.server;
  const serverEvery = o.serverEvery ?? o.every;

  const restart = async () => {
    text = seeds[Math.floor(r() * seeds.length)].text;
    checker = new IncrementalChecker();
    checker.update(text, PATH);
    history = [];
    if (server) {
      if (version > 0) server.notify('textDocument/didClose', { textDocument: { uri: URI } });
      version++;
      server.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'netspec', version, text } });
    }
  };
  await restart();

  for (let step = 1; step <= o.edits; step++) {
    if (text.length > maxLength || step % restartEvery === 0) await restart();
    const before = new LineIndex(text);
    const e = randomEdit(text, r);
    text = applyEdit(text, e);
    counts.edits++;
    history.push(describeEdit(e));
    if (history.length > 12) history.shift();
    // The server checks every version it is asked about; the fuzzer's checker sees each edit too.
    const inc = checker.update(text, PATH);
    if (server) {
      version++;
      const range = { start: before.positionAt(e.start), end: before.positionAt(e.end) };
      server.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ range, text: e.text }] });
    }
    if (step % o.every === 0) {
      counts.comparisons++;
      const fresh = checkText(text, { path: PATH });
      const a = observable(inc);
      const b = observable(fresh);
      if (a !== b) {
        counts.divergences.push({ seed: o.seed, step, where: 'checker', text, incremental: a, fresh: b, history: [...history] });
        if (o.stopAtFirst) return counts;
      }
      if (server && step % serverEvery === 0) {
        counts.serverComparisons++;
        const p = await server.diagnosticsFor(URI, version);
        const got = published(p, new LineIndex(text));
        const want = serverView(fresh);
        if (p.version === version && JSON.stringify(got) !== JSON.stringify(want)) {
          counts.divergences.push({ seed: o.seed, step, where: 'server', text, incremental: got.join('\n'), fresh: want.join('\n'), history: [...history] });
          if (o.stopAtFirst) return counts;
        }
      }
      o.progress?.(counts);
    }
  }
  if (server) server.notify('textDocument/didClose', { textDocument: { uri: URI } });
  return counts;
}

/** A divergence as a readable report: the edits before it, the text, and the first differing line. */
export function formatDivergence(d: Divergence): string {
  const a = d.incremental.split(/(?<=[},\]])/);
  const b = d.fresh.split(/(?<=[},\]])/);
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return [
    `${d.where} diverged at seed ${d.seed}, edit ${d.step}`,
    `last edits:\n  ${d.history.join('\n  ')}`,
    `text:\n${d.text}`,
    `incremental: ...${a.slice(i, i + 3).join('')}`,
    `fresh:       ...${b.slice(i, i + 3).join('')}`,
  ].join('\n');
}
