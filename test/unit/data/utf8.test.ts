// The UTF-8 check of text data files, whole and in chunks: valid text (multi-byte characters
// split across chunk boundaries included) passes, and the first bad byte is found with its
// line however the file is cut, including a character cut off at the end of the file.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Utf8Checker, utf8Fault } from '../../../engine/src/data/utf8';

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

/** Feeds `bytes` in chunks of `size` and returns the first fault. */
function chunked(bytes: Uint8Array, size: number) {
  const c = new Utf8Checker();
  for (let i = 0; i < bytes.length; i += size) {
    const f = c.push(bytes.subarray(i, i + size));
    if (f) return f;
  }
  return c.end();
}

describe('utf8 check', () => {
  const good = enc('name,label\nÅsa,😀\nzoë,日本\n');

  it('passes valid text whole and in every chunk size', () => {
    assert.equal(utf8Fault(good), null);
    for (let size = 1; size <= 8; size++) assert.equal(chunked(good, size), null, `chunks of ${size}`);
  });

  const bad: [string, Uint8Array, number, number][] = [
    ['a lone 0xFF', cat(enc('a,b\n1,x\n2,'), Uint8Array.of(0xff), enc('y\n')), 3, 0xff],
    ['a lead byte without its continuation', cat(enc('a\nb\nc\n'), Uint8Array.of(0xc3, 0x28), enc('\n')), 4, 0xc3],
    ['an overlong encoding', cat(enc('a\n'), Uint8Array.of(0xe0, 0x80, 0xaf)), 2, 0xe0],
    ['a UTF-16 surrogate', cat(enc('a\nb\n'), Uint8Array.of(0xed, 0xa0, 0x80)), 3, 0xed],
    ['a character cut off at the end of the file', cat(enc('a\nb\n😀'.slice(0, 4)), enc('😀').subarray(0, 3)), 3, 0xf0],
  ];
  for (const [name, bytes, line, byte] of bad) {
    it(`finds ${name} at its line, whole and in every chunk size`, () => {
      assert.deepEqual(pick(utf8Fault(bytes)), { line, byte });
      for (let size = 1; size <= 8; size++) assert.deepEqual(pick(chunked(bytes, size)), { line, byte }, `chunks of ${size}`);
    });
  }
});

function pick(f: { line: number; byte: number } | null) {
  return f && { line: f.line, byte: f.byte };
}
