// A burst of edits over stdio, sent without waiting between them, as a fast typist or a
// paste-and-fix macro does: the server must publish diagnostics for the final version, every
// publication must describe the text of the version it names, and no version may be published
// after a newer one. No timing is asserted; how many checks the burst cost is only reported.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, applyEdits, buildServer } from './lsp/client';
import { initialize } from '../fuzz/server_memory';

const URI = 'file:///tmp/netspec-lsp-burst/burst.netspec';

// Line 2 alternates between a Flatten (Conv2D then sees [batch, 784]: rank-mismatch) and a
// Dropout (no error), so each version's diagnostics tell which text they were checked from.
const FLATTEN = '  Flatten()';
const DROPOUT = '  Dropout(0.5)';
const lines = (second: string) => ['model Burst {', '  input x: [28, 28, 1]', second, '  Conv2D(32, 3)', '  Dense(10)', '}', ''].join('\n');

let client: TestClient;

before(async () => {
  await buildServer();
  client = TestClient.start();
  await initialize(client);
});

after(() => {
  if (client && client.child.exitCode === null) client.child.kill();
});

test('a burst of 50 edits yields diagnostics for the final version and never an older one after a newer', async (t) => {
  const texts = new Map<number, string>();
  let text = lines(FLATTEN);
  texts.set(1, text);
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'netspec', version: 1, text } });
  const opened = await client.diagnosticsFor(URI, 1);
  assert.equal(opened.version, 1);
  assert.ok(opened.diagnostics.some((d) => d.code === 'rank-mismatch'), JSON.stringify(opened.diagnostics));

  const EDITS = 50;
  for (let i = 1; i <= EDITS; i++) {
    const version = i + 1;
    const current = text.split('\n')[2];
    const change = {
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: current.length } },
      newText: i % 2 === 0 ? DROPOUT : FLATTEN,
    };
    text = applyEdits(text, [change]);
    texts.set(version, text);
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ range: change.range, text: change.newText }] });
  }
  const finalVersion = EDITS + 1;
  assert.ok(text.includes(DROPOUT), 'the final text has no error');

  const final = await client.diagnosticsFor(URI, finalVersion);
  assert.equal(final.version, finalVersion);
  assert.deepEqual(final.diagnostics.filter((d) => d.severity === 1), [], JSON.stringify(final.diagnostics));

  // A request answered after the final publication: anything the server still meant to publish
  // for the burst was written to stdout before its answer.
  await client.request('textDocument/documentSymbol', { textDocument: { uri: URI } });

  const published = client.publishedFor(URI);
  const versions = published.map((p) => p.version ?? -1);
  t.diagnostic(`${EDITS} edits, ${published.length - 1} publications after the open: versions ${versions.join(' ')}`);
  for (let k = 1; k < versions.length; k++) {
    assert.ok(versions[k] >= versions[k - 1], `version ${versions[k]} published after ${versions[k - 1]}: ${versions.join(' ')}`);
  }
  assert.equal(versions[versions.length - 1], finalVersion, `the last publication is for the final version: ${versions.join(' ')}`);
  for (const p of published) {
    const source = texts.get(p.version ?? -1);
    assert.ok(source !== undefined, `a publication names version ${p.version}, which was never sent`);
    const flattened = source.includes(FLATTEN);
    assert.equal(
      p.diagnostics.some((d) => d.code === 'rank-mismatch'),
      flattened,
      `version ${p.version} (${flattened ? 'Flatten' : 'Dropout'}) published ${JSON.stringify(p.diagnostics)}`,
    );
  }
});
