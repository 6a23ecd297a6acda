// Measures the language server's memory over a long edit session: dist/server.js runs with
// `--expose-gc` and heap_probe.cjs, receives random edits over stdio (incremental sync), and
// every so often, once it has published diagnostics for the latest version, is asked (by
// SIGUSR2) to collect garbage and report its heap. A heap that keeps growing after forced
// collections is a leak; resident memory alone cannot tell a leak from garbage not yet
// collected. The memory test and `npm run soak` share it.

import { join } from 'node:path';
import { LineIndex } from '../../server/src/syntax/positions';
import { ROOT, TestClient } from '../integration/lsp/client';
import { applyEdit, randomEdit, rng, seedTexts } from './lsp_edits';

export interface HeapSample {
  edits: number;
  /** After forced collections. */
  heapUsed: number;
  rss: number;
  /** Before them: what a process monitor shows. */
  heapUsedBeforeGc: number;
  rssBeforeGc: number;
}

export const PROBE = join(ROOT, 'test', 'fuzz', 'heap_probe.cjs');

/** Starts the server with garbage collection exposed and the heap probe loaded. */
export function startProbedServer(): { client: TestClient; heap: () => Promise<HeapSample> } {
  const client = TestClient.start(['--expose-gc', '--require', PROBE]);
  let buffer = '';
  let waiting: ((s: Omit<HeapSample, 'edits'>) => void)[] = [];
  client.child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('HEAP ')) continue;
      const s = JSON.parse(line.slice(5));
      const w = waiting;
      waiting = [];
      for (const f of w) f(s);
    }
  });
  const heap = () =>
    new Promise<HeapSample>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the server did not report its heap')), 10_000);
      waiting.push((s) => {
        clearTimeout(t);
        resolve({ edits: 0, heapUsed: s.heapUsed, rss: s.rss, heapUsedBeforeGc: s.heapUsedBeforeGc, rssBeforeGc: s.rssBeforeGc });
      });
      client.child.kill('SIGUSR2');
    });
  return { client, heap };
}

export async function initialize(client: TestClient): Promise<void> {
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  client.notify('initialized', {});
}

/**
 * Sends `edits` random edits to one open document (restarting from a seed when it grows past
 * `maxLength`, as a new document under a new URI every `reopenEvery` edits, closing the old
 * one), and samples the heap after a forced collection every `sampleEvery` edits.
 */
export async function editSession(
  client: TestClient,
  heap: () => Promise<HeapSample>,
  o: {
    seed: number;
    edits: number;
    sampleEvery: number;
    maxLength?: number;
    reopenEvery?: number;
    /** Wait for the diagnostics of every this many edits (the server checks those versions). */
    waitEvery?: number;
    /** Start from every seed joined three times (about 20 kB), so a leak per version is large. */
    big?: boolean;
    onSample?: (s: HeapSample) => void;
  },
): Promise<HeapSample[]> {
  const r = rng(o.seed);
  const all = seedTexts(ROOT);
  const joined = all.map((s) => s.text).join('\n');
  const seeds = o.big ? [{ name: 'big', text: [joined, joined, joined].join('\n') }] : all;
  const maxLength = o.maxLength ?? (o.big ? 40_000 : 12_000);
  const waitEvery = o.waitEvery ?? 10;
  const reopenEvery = o.reopenEvery ?? 1_000;
  let version = 0;
  let doc = 0;
  let uri = '';
  let text = '';
  const open = () => {
    if (uri) client.notify('textDocument/didClose', { textDocument: { uri } });
    doc++;
    uri = `file:///tmp/netspec-memory/doc${doc}.netspec`;
    text = seeds[Math.floor(r() * seeds.length)].text;
    version++;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'netspec', version, text } });
  };
  open();
  const samples: HeapSample[] = [];
  for (let i = 1; i <= o.edits; i++) {
    if (i % reopenEvery === 0) open();
    else if (text.length > maxLength) {
      const whole = new LineIndex(text);
      const seed = seeds[Math.floor(r() * seeds.length)].text;
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: whole.positionAt(0), end: whole.positionAt(text.length) }, text: seed }],
      });
      text = seed;
    }
    const before = new LineIndex(text);
    const e = randomEdit(text, r);
    text = applyEdit(text, e);
    version++;
    client.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: before.positionAt(e.start), end: before.positionAt(e.end) }, text: e.text }],
    });
    // Waiting now and then keeps the editor's pace: the server checks what it is sent.
    if (i % waitEvery === 0) await client.diagnosticsFor(uri, version);
    if (i % o.sampleEvery === 0) {
      await client.diagnosticsFor(uri, version);
      const s = { ...(await heap()), edits: i };
      samples.push(s);
      o.onSample?.(s);
    }
  }
  return samples;
}
