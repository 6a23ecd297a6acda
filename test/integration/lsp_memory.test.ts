// The language server's memory stays bounded over a long edit session. dist/server.js runs
// with garbage collection exposed (test/fuzz/heap_probe.cjs), takes 600 random edits over
// stdio to documents of about 20 kB (opened and closed in turn), checking every third
// version, and reports its heap after forced collections every 150 edits. What it holds must
// not grow with the number of edits (a leak such as a cache keeping every checked version of a
// document grows by 20 kB a version: about 4 MB here), and stays under an absolute bound.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildServer, type TestClient } from './lsp/client';
import { editSession, initialize, startProbedServer } from '../fuzz/server_memory';

const MB = 1024 * 1024;
let client: TestClient | undefined;

after(() => {
  if (client && client.child.exitCode === null) client.child.kill();
});

test('the server heap after garbage collection does not grow with the number of edits', async (t) => {
  await buildServer();
  const probed = startProbedServer();
  client = probed.client;
  await initialize(client);
  const start = await probed.heap();
  assert.ok(start.heapUsed > 0);
  const samples = await editSession(client, probed.heap, { seed: 5, edits: 600, sampleEvery: 150, reopenEvery: 250, waitEvery: 3, big: true });
  const line = samples.map((s) => `${s.edits}: ${(s.heapUsed / MB).toFixed(1)} MB (rss ${(s.rss / MB).toFixed(0)} MB)`).join(', ');
  t.diagnostic(`heap after gc: start ${(start.heapUsed / MB).toFixed(1)} MB; ${line}`);
  // The first samples include what warming up allocates for good (compiled code, tables).
  const early = Math.min(samples[0].heapUsed, samples[1].heapUsed);
  const late = Math.max(samples[samples.length - 1].heapUsed, samples[samples.length - 2].heapUsed);
  assert.ok(late - early < 3 * MB, `the heap grew by ${((late - early) / MB).toFixed(1)} MB over 300 edits: ${line}`);
  assert.ok(late < 40 * MB, `the heap is ${(late / MB).toFixed(1)} MB after 600 edits: ${line}`);
});
