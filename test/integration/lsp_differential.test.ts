// The differential fuzzer (test/fuzz/differential.ts), seeded, in the normal test run: a few
// thousand random edits over the examples and a file of blocks used across declarations, and
// after every edit or two the incremental checker must say exactly what a from-scratch check
// of the same text says. In the second part the edits also go to dist/server.js over stdio,
// and the diagnostics it publishes must match too. `npm run soak` runs the same for longer.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, buildServer } from './lsp/client';
import { formatDivergence, runDifferential } from '../fuzz/differential';
import { initialize } from '../fuzz/server_memory';

let client: TestClient;

before(async () => {
  await buildServer();
  client = TestClient.start();
  await initialize(client);
});

after(() => {
  if (client && client.child.exitCode === null) client.child.kill();
});

test('incremental checking equals a fresh check after each of 2,000 random edits', async (t) => {
  const counts = await runDifferential({ seed: 20261205, edits: 2_000, every: 2, stopAtFirst: true });
  t.diagnostic(`edits ${counts.edits}, comparisons ${counts.comparisons}, divergences ${counts.divergences.length}`);
  assert.equal(counts.divergences.length, 0, counts.divergences.map(formatDivergence).join('\n\n'));
  assert.equal(counts.comparisons, 1_000);
});

test('the server publishes what a fresh check says, over 800 random edits sent over stdio', async (t) => {
  const counts = await runDifferential({ seed: 41, edits: 800, every: 1, server: client, serverEvery: 8, stopAtFirst: true });
  t.diagnostic(`edits ${counts.edits}, comparisons ${counts.comparisons}, server comparisons ${counts.serverComparisons}, divergences ${counts.divergences.length}`);
  assert.equal(counts.divergences.length, 0, counts.divergences.map(formatDivergence).join('\n\n'));
  assert.equal(counts.serverComparisons, 100);
});
