// The model view's request over stdio: `netspec/modelGraph` answers the graphs of the
// version the server has, follows an incremental edit at once (the request after a change
// sees it), puts an error on its node, and answers null for a document that is not open.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, buildServer } from './lsp/client';
import type { ModelGraphAnswer } from '../../server/src/ide/model_graph_types';

const URI = 'file:///tmp/netspec-lsp-test/graph.netspec';
const TEXT = ['model Res {', '  input x: [16]', '  h = x -> Dense(16, activation=relu)', '  y = (x, h) -> Add()', '  Dense(4)', '}', ''].join('\n');

let client: TestClient;

before(async () => {
  await buildServer();
  client = TestClient.start();
  await client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
  client.notify('initialized', {});
});

after(async () => {
  if (client && client.child.exitCode === null) client.child.kill();
});

test('netspec/modelGraph answers the open document and follows its edits', async () => {
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'netspec', version: 1, text: TEXT } });
  const first = await client.request<ModelGraphAnswer>('netspec/modelGraph', { uri: URI });
  assert.equal(first.version, 1);
  assert.equal(first.uri, URI);
  const g = first.models[0];
  assert.equal(g.name, 'Res');
  assert.deepEqual(g.nodes.map((n) => [n.id, n.kind, n.line]), [
    ['x', 'input', 1],
    ['dense', 'layer', 2],
    ['add', 'layer', 3],
    ['dense_1', 'layer', 4],
    ['output', 'output', 4],
  ]);
  assert.deepEqual(
    g.edges.map((e) => [e.from, e.to, e.shape]),
    [
      ['x', 'dense', ['batch', 16]],
      ['x', 'add', ['batch', 16]],
      ['dense', 'add', ['batch', 16]],
      ['add', 'dense_1', ['batch', 16]],
      ['dense_1', 'output', ['batch', 4]],
    ],
  );
  const dense = g.nodes.find((n) => n.id === 'dense')!;
  assert.equal(TEXT.slice(dense.span.start, dense.span.end), 'Dense(16, activation=relu)');
  assert.equal(dense.params, 16 * 16 + 16);
  assert.equal(g.params, 16 * 16 + 16 + 16 * 4 + 4);

  // An incremental edit: Dense(4) becomes Conv2D(4, 3), which needs an image.
  client.notify('textDocument/didChange', {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ range: { start: { line: 4, character: 2 }, end: { line: 4, character: 10 } }, text: 'Conv2D(4, 3)' }],
  });
  const second = await client.request<ModelGraphAnswer>('netspec/modelGraph', { uri: URI });
  assert.equal(second.version, 2);
  const conv = second.models[0].nodes.find((n) => n.label === 'Conv2D')!;
  assert.equal(conv.shape, null);
  assert.equal(conv.problems[0]?.severity, 'error');
  assert.equal(second.models[0].flops, null);

  assert.equal(await client.request('netspec/modelGraph', { uri: 'file:///not/open.netspec' }), null);
});
