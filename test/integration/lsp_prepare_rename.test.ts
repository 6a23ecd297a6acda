// textDocument/prepareRename answers null where nothing can be renamed (LSP 3.17: "If null
// is returned then it is deemed that a 'textDocument/rename' request is not valid at the given
// position"), a range and placeholder on a name; a refused rename is a RequestFailed error.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-jsonrpc/node';
import { TestClient, buildServer } from './lsp/client';
import { initialize } from '../fuzz/server_memory';

const URI = 'file:///tmp/netspec-rename-test/m.netspec';
const TEXT = 'model M {\n  input x: [4]\n  h = x -> Dense(8)\n  output h\n}\n';
let client: TestClient;

before(async () => {
  await buildServer();
  client = TestClient.start();
  await initialize(client);
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'netspec', version: 1, text: TEXT } });
  await client.diagnosticsFor(URI, 1);
});

after(() => {
  if (client && client.child.exitCode === null) client.child.kill();
});

const at = (line: number, character: number) => ({ textDocument: { uri: URI }, position: { line, character } });

test('prepareRename is null on a keyword, a built-in layer, a number and blank space', async () => {
  for (const [line, character] of [[0, 2], [2, 14], [1, 13], [4, 1]]) {
    assert.equal(await client.request('textDocument/prepareRename', at(line, character)), null, `at ${line}:${character}`);
  }
});

test('prepareRename gives the range and name of a tensor', async () => {
  const r = await client.request<{ range: { start: { line: number; character: number } }; placeholder: string }>('textDocument/prepareRename', at(2, 2));
  assert.equal(r.placeholder, 'h');
  assert.deepEqual(r.range.start, { line: 2, character: 2 });
});

test('a refused rename is a RequestFailed error with the reason', async () => {
  await assert.rejects(
    client.request('textDocument/rename', { ...at(0, 2), newName: 'x' }),
    (e: unknown) => e instanceof ResponseError && e.code === -32803 && /keyword/.test(e.message),
  );
});
