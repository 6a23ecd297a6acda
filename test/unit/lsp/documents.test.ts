// Tests of the server's per-document state: one checked snapshot per open document and
// version (checked once), incremental re-checks that equal a full check, and nothing kept
// for a document after it is closed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStates } from '../../../server/src/lsp/documents';
import { checkText } from '../../../server/src/sema/check';

const SRC = `model M {
  input x: [4]
  Dense(3)
}
`;

test('a version is checked once; a new version gets a new snapshot equal to a full check', () => {
  const states = new DocumentStates();
  const uri = 'file:///tmp/netspec-docs/a.netspec';
  const v1 = TextDocument.create(uri, 'netspec', 1, SRC);
  const a = states.snapshot(v1);
  assert.equal(states.snapshot(v1), a, 'the same version answers with the same snapshot');
  const text2 = SRC.replace('Dense(3)', 'Dense(5)');
  const v2 = TextDocument.create(uri, 'netspec', 2, text2);
  const b = states.snapshot(v2);
  assert.notEqual(b, a);
  assert.equal(b.version, 2);
  assert.equal(b.text, text2);
  assert.deepEqual(b.checked, checkText(text2, { path: '/tmp/netspec-docs/a.netspec' }));
  assert.equal(b.checked.models[0].params, 4 * 5 + 5);
});

test('closing a document drops its state, so a reopened one is checked afresh', () => {
  const states = new DocumentStates();
  const uri = 'file:///tmp/netspec-docs/b.netspec';
  const doc = TextDocument.create(uri, 'netspec', 1, SRC);
  const first = states.snapshot(doc);
  states.close(uri);
  const again = states.snapshot(doc);
  assert.notEqual(again, first, 'no snapshot survives close');
  assert.deepEqual(again.checked.diagnostics, first.checked.diagnostics);
});
