// The safetensors codec: a round trip keeps names, shapes, values and metadata; the bytes
// follow the format (little-endian u64 header length, JSON header padded with spaces to an
// 8-byte boundary, little-endian float32 data at the declared offsets); corrupt files are
// error values that say what is wrong, never exceptions.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSafetensors, encodeSafetensors } from '../../../engine/src/io/safetensors';
import type { NamedArray } from '../../../engine/src/train/types';

/** A file built by hand: the given header object (or raw text) and data bytes. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), rawLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, rawLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function floats(...v: number[]): Uint8Array {
  const b = new Uint8Array(v.length * 4);
  const view = new DataView(b.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return b;
}

function failure(bytes: Uint8Array): string {
  const r = decodeSafetensors(bytes);
  assert.equal(r.ok, false);
  return (r as { message: string }).message;
}

describe('safetensors', () => {
  it('round-trips arrays and metadata', () => {
    const arrays: NamedArray[] = [
      { name: 'dense/kernel', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, -0, 1e-30]) },
      { name: 'dense/bias', shape: [3], data: Float32Array.from([0.25, NaN, Infinity]) },
      { name: 'scalar', shape: [], data: Float32Array.from([7]) },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    ];
    const r = decodeSafetensors(encodeSafetensors(arrays, { format: 'netspec', epoch: '3' }));
    assert.ok(r.ok, !r.ok ? r.message : '');
    assert.deepEqual(r.metadata, { format: 'netspec', epoch: '3' });
    assert.deepEqual(r.arrays.map((a) => [a.name, a.shape]), arrays.map((a) => [a.name, a.shape]));
    r.arrays.forEach((a, i) => assert.deepEqual(Array.from(a.data), Array.from(arrays[i].data)));
    assert.ok(Object.is(r.arrays[0].data[4], -0), 'the sign of zero is kept');
  });

  it('writes the documented byte layout', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: Float32Array.from([1, -2]) }]);
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    assert.equal(header.length, 54);
    const padded = 56; // the next multiple of 8
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    assert.equal(view.getBigUint64(0, true), BigInt(padded));
    assert.equal(bytes.length, 8 + padded + 8);
    assert.equal(new TextDecoder().decode(bytes.subarray(8, 8 + padded)), header + '  ');
    // 1.0f is 0x3f800000 and -2.0f is 0xc0000000, little-endian.
    assert.deepEqual(Array.from(bytes.subarray(8 + padded)), [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    assert.equal((8 + padded) % 8, 0);
  });

  it('puts metadata under __metadata__ and reads files from other writers', () => {
    const bytes = encodeSafetensors([], { k: 'v' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))), { __metadata__: { k: 'v' } });
    // A file whose tensors are listed out of data order (as the reference writer may do).
    const r = decodeSafetensors(
      file({ b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, floats(1, 2)),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.arrays.map((a) => [a.name, a.data[0]]), [['b', 2], ['a', 1]]);
  });

  it('rejects corrupt files with a message', () => {
    const one = (offsets: number[], extra: object = {}) => ({ a: { dtype: 'F32', shape: [1], data_offsets: offsets, ...extra } });
    assert.match(failure(new Uint8Array(3)), /too short/);
    assert.match(failure(file(one([0, 4]), floats(1), 1000n)), /header claims 1000 bytes/);
    assert.match(failure(file(one([0, 4]), floats(1), 1n << 62n)), /header claims/);
    assert.match(failure(file('{"a": [1,', floats(1))), /not valid JSON/);
    assert.match(failure(file('[1, 2]')), /not a JSON object/);
    assert.match(failure(file(one([0, 4], { dtype: 'F16' }), floats(1))), /dtype "F16"; only F32/);
    assert.match(failure(file(one([0, 8]), floats(1))), /needs 4 bytes, but its data_offsets span 8/);
    assert.match(failure(file(one([4, 8]), floats(1))), /ends at byte 8, past the 4 data bytes/);
    assert.match(failure(file(one([4, 0]), floats(1))), /end before they begin/);
    assert.match(failure(file(one([0, 4], { shape: [-1] }), floats(1))), /invalid shape/);
    assert.match(failure(file(one(['x' as unknown as number, 4]), floats(1))), /invalid data_offsets/);
    const overlap = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    assert.match(failure(file(overlap, floats(1, 2))), /overlaps/);
    assert.match(failure(file(one([4, 8]), floats(1, 2))), /gap of 4 bytes/);
    assert.match(failure(file(one([0, 4]), floats(1, 2))), /4 bytes that no tensor uses/);
    assert.match(failure(file({ __metadata__: { k: 1 } })), /__metadata__\.k is not a string/);
    assert.match(failure(file({ a: 5 })), /tensor a has no dtype/);
  });

  it('never throws on truncated or random bytes', () => {
    const good = encodeSafetensors([{ name: 'w', shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }], { a: 'b' });
    for (let cut = 0; cut < good.length; cut++) assert.equal(decodeSafetensors(good.subarray(0, cut)).ok, false, `cut at ${cut}`);
    let s = 12345;
    for (let i = 0; i < 200; i++) {
      const b = Uint8Array.from(good);
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      b[s % b.length] ^= 1 << (s >>> 29);
      decodeSafetensors(b); // must return, whatever it says
    }
  });
});
