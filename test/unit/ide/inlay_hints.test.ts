// Inlay hints: one hint per statement with a known output shape, at the statement's end,
// none on input statements, none after an error, and only inside the asked range.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlayHints } from '../../../server/src/ide/inlay_hints';
import { MNIST, check, offsetOf } from './helpers';

test('each statement gets its output shape at its end', () => {
  const hints = inlayHints(check(MNIST), MNIST);
  const at = (needle: string) => offsetOf(MNIST, needle) + needle.length;
  assert.deepEqual(hints.map((h) => [h.offset, h.label]), [
    [at('conv = image -> Conv2D(32, 3, activation=relu)'), ': [batch, 26, 26, 32]'],
    [at('features = conv -> MaxPool2D() -> Flatten()'), ': [batch, 5408]'],
    [at('hidden = features -> Dense(64, activation=relu)'), ': [batch, 64]'],
    [at('  Dense(10)'), ': [batch, 10]'],
  ]);
});

test('the range limits the hints, a trailing comment is skipped, unknown shapes get none', () => {
  const text = 'model M {\n  input x: [8]\n  Dense(4)  # four\n  Conv2D(3, 3)\n  Dense(2)\n}\n';
  const c = check(text);
  const all = inlayHints(c, text);
  assert.deepEqual(all.map((h) => [h.offset, h.label]), [[offsetOf(text, 'Dense(4)') + 8, ': [batch, 4]']]);
  assert.deepEqual(inlayHints(c, text, { start: offsetOf(text, 'Conv2D'), end: text.length }), []);
});
