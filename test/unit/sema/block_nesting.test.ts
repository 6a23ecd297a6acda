// Block uses nest at most MAX_BLOCK_DEPTH deep: a chain within the limit checks as before
// (shape, parameters), a deeper one gives one diagnostic at the call that goes too deep with
// the chain of uses as related information, and a block that uses itself is still reported.
// A used block's own check does not expand the blocks it uses; the shapes of its tensors come
// from the walks through it, wherever the using declaration sits in the file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/sema/check';
import { MAX_BLOCK_DEPTH } from '../../../server/src/sema/model/state';

function chain(n: number): string {
  let s = 'block B0(d) {\n  input x: [d]\n  Dense(d)\n}\n';
  for (let i = 1; i < n; i++) s += `block B${i}(d) {\n  input x: [d]\n  B${i - 1}(d=d)\n}\n`;
  return s + `model M {\n  input x: [8]\n  B${n - 1}(d=8)\n}\n`;
}

test('a chain of blocks within the nesting limit checks fully', () => {
  const c = checkText(chain(MAX_BLOCK_DEPTH - 4));
  assert.deepEqual(c.diagnostics, []);
  assert.equal(c.models[0].params, 8 * 8 + 8);
  assert.deepEqual(c.models[0].outputs, [{ name: 'output', shape: [8] }]);
});

test('a chain deeper than the limit is one diagnostic at the call that goes too deep', () => {
  const n = MAX_BLOCK_DEPTH + 36;
  const text = chain(n);
  const c = checkText(text);
  assert.equal(c.diagnostics.length, 1, c.diagnostics.map((d) => d.message).join('\n'));
  const d = c.diagnostics[0];
  // The model uses B(n-1) (depth 1), which uses B(n-2) ... B(n-64) uses B(n-65): one too many.
  const caller = n - MAX_BLOCK_DEPTH;
  const at = text.indexOf(`B${caller - 1}(d=d)`, text.indexOf(`block B${caller}(d)`));
  assert.equal(d.span.start, at);
  assert.match(d.message, new RegExp(`nest more than ${MAX_BLOCK_DEPTH} uses deep`));
  assert.equal(d.related.length, MAX_BLOCK_DEPTH, 'one related entry per use on the way');
  assert.equal(c.models[0].outputs[0].shape, null);
});

test('a block that uses itself through another is still reported', () => {
  const text = 'block A(d) {\n  input x: [d]\n  B(d=d)\n}\nblock B(d) {\n  input x: [d]\n  A(d=d)\n}\nmodel M {\n  input x: [4]\n  A(d=4)\n}\n';
  const c = checkText(text);
  assert.ok(c.diagnostics.some((d) => d.message === 'block A uses itself, so it cannot be expanded'));
});

test("a used block's tensors take their shapes from the walk through it, even from a later declaration", () => {
  // Inner is used only by Outer, an unused block declared after it: Outer's walk expands Inner
  // with d = 6, and Inner's own check (which does not expand Leaf) does not override it.
  const text = [
    'block Leaf(d) {\n  input x: [d]\n  Dense(d)\n}',
    'block Inner(d) {\n  input x: [d]\n  y = x -> Leaf(d=d)\n  output y\n}',
    'block Outer() {\n  input x: [6]\n  Inner(d=6)\n}',
    '',
  ].join('\n');
  const c = checkText(text);
  const y = c.symbols.find((s) => s.name === 'y');
  assert.deepEqual(y?.shape, [6]);
});
