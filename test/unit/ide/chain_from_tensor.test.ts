// A chain that starts from a named tensor (`skip -> Conv2D(...)`) and a binding whose source
// is omitted (`h = Dense(16)`): the editor features treat the head as the tensor it names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/ide/hover';
import { references, rename } from '../../../server/src/ide/navigation';
import { SEMANTIC_TOKEN_TYPES, semanticTokens } from '../../../server/src/ide/semantic_tokens';
import { check, offsetOf } from './helpers';

const TEXT = [
  'model M {',
  '  input image: [8, 8, 3]',
  '  skip = Conv2D(4, 3, padding=same)',
  '  Conv2D(4, 3, padding=same)',
  '  skip -> MaxPool2D(2)',
  '  h = Flatten',
  '  output logits = Dense(10)',
  '}',
  '',
].join('\n');

test('the head of `skip -> MaxPool2D(2)` is the tensor skip, and the chain starts from its shape', () => {
  const c = check(TEXT);
  assert.deepEqual(c.diagnostics, []);
  const shapes = c.statements.map((s) => s.shape);
  assert.deepEqual(shapes.slice(1), [[8, 8, 4], [8, 8, 4], [4, 4, 4], [64], [10]]);
  const md = hover(c, TEXT, offsetOf(TEXT, 'skip ->'))!.markdown;
  assert.match(md, /skip/);
  assert.match(md, /\[batch, 8, 8, 4\]/);
  assert.doesNotMatch(md, /no layer/);
});

test('rename and references include the chain head; it is coloured as a variable', () => {
  const c = check(TEXT);
  const refs = references(c, offsetOf(TEXT, 'skip ='), true).map((r) => r.start);
  assert.deepEqual(refs, [offsetOf(TEXT, 'skip ='), offsetOf(TEXT, 'skip ->')]);
  const r = rename(c, offsetOf(TEXT, 'skip ->'), 'shortcut');
  assert.ok('edits' in r);
  assert.equal(r.edits.length, 2);
  const head = semanticTokens(c).find((t) => t.start === offsetOf(TEXT, 'skip ->'))!;
  assert.equal(SEMANTIC_TOKEN_TYPES[head.type], 'variable');
});

test('`h = Flatten` and `output logits = Dense(10)` apply the layer to the current tensor', () => {
  const c = check(TEXT);
  const flatten = hover(c, TEXT, offsetOf(TEXT, 'Flatten'))!.markdown;
  assert.match(flatten, /\[batch, 4, 4, 4\]` → `\[batch, 64\]/);
  assert.deepEqual(c.models[0].outputs, [{ name: 'logits', shape: [10] }]);
  // The IR holds the same graph as the explicit spelling `h = x -> Flatten()` would.
  const ir = c.models[0].ir!;
  assert.deepEqual(ir.nodes.map((n) => n.op), ['Conv2D', 'Conv2D', 'MaxPool2D', 'Flatten', 'Dense']);
});
