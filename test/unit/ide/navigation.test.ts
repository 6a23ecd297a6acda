// Definition, references and rename from the checker's symbol table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definition, prepareRename, references, rename } from '../../../server/src/ide/navigation';
import { MNIST, WITH_BLOCK, check, offsetOf, slice } from './helpers';

test('definition and references of a tensor', () => {
  const c = check(MNIST);
  const use = offsetOf(MNIST, 'features ->', 1);
  const def = definition(c, use)!;
  assert.equal(def.start, offsetOf(MNIST, 'features ='));
  const refs = references(c, use, true);
  assert.deepEqual(refs.map((r) => r.start), [offsetOf(MNIST, 'features ='), offsetOf(MNIST, 'features ->')]);
  assert.deepEqual(references(c, use, false).map((r) => r.start), [offsetOf(MNIST, 'features ->')]);
});

test('rename edits the definition and every reference of a block', () => {
  const c = check(WITH_BLOCK);
  const r = rename(c, offsetOf(WITH_BLOCK, 'Mlp', 1), 'Ffn');
  assert.ok('edits' in r);
  let out = WITH_BLOCK;
  for (const e of [...r.edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  assert.equal(out, WITH_BLOCK.replaceAll('Mlp', 'Ffn'));
});

test('rename refuses keywords, layer names, bad identifiers and clashes', () => {
  const c = check(MNIST);
  assert.ok('error' in prepareRename(c, 0));
  assert.ok('error' in prepareRename(c, offsetOf(MNIST, 'Dense', 1)));
  const ok = prepareRename(c, offsetOf(MNIST, 'features', 1));
  assert.ok('span' in ok && slice(MNIST, ok.span) === 'features');
  const at = offsetOf(MNIST, 'features', 1);
  assert.ok('error' in rename(c, at, 'repeat'));
  assert.ok('error' in rename(c, at, 'Dense'));
  assert.ok('error' in rename(c, at, '9lives'));
  assert.ok('error' in rename(c, at, 'hidden'));
  assert.ok('edits' in rename(c, at, 'flat'));
});
