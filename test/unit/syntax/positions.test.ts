// LineIndex tests: offsets and positions round-trip over \n, \r\n and \r line breaks and
// UTF-16 surrogate pairs, and out-of-range input is clamped rather than thrown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/syntax/positions';

test('positions and offsets round-trip over every kind of line break', () => {
  const text = 'ab\ncd\r\nef\rg🙂h\n';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 5);
  for (let off = 0; off <= text.length; off++) {
    const p = idx.positionAt(off);
    const back = idx.offsetAt(p);
    // An offset inside a \r\n pair maps to the end of its line.
    if (off === 6) assert.equal(back, 5);
    else assert.equal(back, off, `offset ${off}`);
  }
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(10), { line: 3, character: 0 });
  // The emoji is two UTF-16 units, so 'h' is at character 3.
  assert.deepEqual(idx.positionAt(13), { line: 3, character: 3 });
  assert.deepEqual(idx.positionAt(text.length), { line: 4, character: 0 });
});

test('out-of-range input is clamped', () => {
  const idx = new LineIndex('abc\nde');
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(100), { line: 1, character: 2 });
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 3);
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), 6);
  assert.equal(idx.offsetAt({ line: -1, character: 0 }), 0);
  assert.equal(idx.offsetAt({ line: 1, character: 1 }), 5);
});

test('an empty text has one line', () => {
  const idx = new LineIndex('');
  assert.equal(idx.lineCount, 1);
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.equal(idx.offsetAt({ line: 0, character: 4 }), 0);
});

test('lookups on a large text agree with counting by hand', () => {
  const text = 'Dense(10)\n'.repeat(100000);
  const idx = new LineIndex(text);
  for (let i = 0; i < 1000; i++) {
    const offset = (i * 7919) % text.length;
    assert.deepEqual(idx.positionAt(offset), { line: Math.floor(offset / 10), character: offset % 10 });
  }
  assert.deepEqual(idx.positionAt(10 * 5000 + 3), { line: 5000, character: 3 });
});
