// A kernel's named uniforms: the host packs each field at the word the WGSL struct reads it
// from, which for a shape or strides field means the next 16-byte boundary (WGSL's layout
// of an array of vec4<u32> in the uniform address space). No GPU needed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Uniforms } from '../../../engine/src/webgpu/kernels/uniforms';

describe('kernel uniforms', () => {
  const u = new Uniforms({ n: 'u32', rank: 'u32', shape: 'dims', scale: 'f32', offset: 'i32' });

  it('packs scalars in order and dims on a 16-byte boundary, padded with zeros', () => {
    const words = u.pack({ n: 7, rank: 2, shape: [3, 5], scale: 0.5, offset: -1 });
    assert.deepEqual([...words.slice(0, 2)], [7, 2]);
    assert.deepEqual([...words.slice(4, 12)], [3, 5, 0, 0, 0, 0, 0, 0]);
    assert.equal(new Float32Array(words.buffer)[12], 0.5);
    assert.equal(new Int32Array(words.buffer)[13], -1);
  });

  it('declares the same fields, in the same order, in the WGSL struct', () => {
    const wgsl = u.wgsl();
    assert.match(wgsl, /struct Params \{\s*n: u32,\s*rank: u32,\s*shape: array<vec4<u32>, 2>,\s*scale: f32,\s*offset: i32,\s*\}/);
    assert.match(wgsl, /fn shape_at\(k: u32\) -> u32 \{ return P\.shape\[k \/ 4u\]\[k % 4u\]; \}/);
  });

  it('refuses a rank beyond the widest the kernels index', () => {
    assert.throws(() => u.pack({ n: 1, rank: 9, shape: [1, 1, 1, 1, 1, 1, 1, 1, 1], scale: 1, offset: 0 }), /rank 9/);
  });
});
