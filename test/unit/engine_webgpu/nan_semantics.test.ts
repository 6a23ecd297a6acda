// What a NaN does, stated as expected values and checked on both backends: NaN always wins.
// relu, leaky relu, elu and clip give NaN for NaN; binary max and min give NaN when either
// operand is NaN, whichever side it is on; max pooling and max reductions give NaN when the
// window holds one, wherever it stands; a fused matmul + relu keeps a NaN row. These are the
// Keras and TensorFlow.js semantics, so a NaN weight can never hide behind a plausible 0.
// The parity suite (nan_cases.ts) checks that the kernels agree bit for bit; this file
// checks what they agree on.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Backend, OpAttrs, OpName } from '../../../engine/src/backend';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { gpuOrSkip, runOp, type HostInput } from './harness';

function f32(shape: number[], values: number[]): HostInput {
  return { shape, dtype: 'float32', data: Float32Array.from(values) };
}

interface NanCase<K extends OpName = OpName> {
  name: string;
  op: K;
  inputs: HostInput[];
  attrs: OpAttrs[K];
  expected: number[];
}

function nc<K extends OpName>(name: string, op: K, inputs: HostInput[], attrs: OpAttrs[K], expected: number[]): NanCase {
  return { name, op, inputs, attrs, expected } as unknown as NanCase;
}

const x = f32([5], [NaN, -1, 2, -0.5, 0]);
const pool = { pool: [2, 2] as [number, number], stride: [2, 2] as [number, number], padding: 'valid' as const };

const CASES: NanCase[] = [
  nc('relu keeps NaN', 'unary', [x], { fn: 'relu' }, [NaN, 0, 2, 0, 0]),
  nc('leaky relu keeps NaN', 'unary', [x], { fn: 'leaky_relu', alpha: 0.5 }, [NaN, -0.5, 2, -0.25, 0]),
  nc('elu keeps NaN', 'unary', [f32([2], [NaN, 1])], { fn: 'elu', alpha: 1 }, [NaN, 1]),
  nc('clip keeps NaN', 'unary', [x], { fn: 'clip', alpha: -0.75, beta: 1 }, [NaN, -0.75, 1, -0.5, 0]),
  nc('max: NaN wins on either side', 'binary', [f32([4], [NaN, 1, NaN, 3]), f32([4], [1, NaN, NaN, 2])], { fn: 'max' }, [NaN, NaN, NaN, 3]),
  nc('min: NaN wins on either side', 'binary', [f32([4], [NaN, 1, NaN, 3]), f32([4], [1, NaN, NaN, 2])], { fn: 'min' }, [NaN, NaN, NaN, 2]),
  nc('max against a NaN scalar', 'binary', [f32([3], [-1, 0, 5]), f32([], [NaN])], { fn: 'max' }, [NaN, NaN, NaN]),
  // One 4x4 single-channel image, four 2x2 windows: NaN first, NaN last, none, NaN in the middle.
  nc('max pool: NaN wins wherever it stands in the window', 'pool2d',
    [f32([1, 4, 4, 1], [NaN, 1, 2, 3, /**/ 4, 5, 6, NaN, /**/ 1, 2, 3, 4, /**/ 5, 9, NaN, 8])],
    { fn: 'max', ...pool }, [NaN, NaN, 9, NaN]),
  nc('max pool gradient goes to the first NaN of a NaN window', 'pool2d_grad',
    [f32([1, 2, 2, 1], [1, NaN, NaN, 4]), f32([1, 1, 1, 1], [NaN]), f32([1, 1, 1, 1], [7])],
    { fn: 'max', ...pool }, [0, 7, 0, 0]),
  nc('reduce max: NaN wins wherever it stands', 'reduce', [f32([2, 3], [NaN, 1, 2, 1, 2, NaN])], { fn: 'max', axes: [1], keepdims: false }, [NaN, NaN]),
  nc('matmul + relu keeps a NaN row', 'matmul', [f32([2, 2], [NaN, 1, 1, -1]), f32([2, 1], [1, 1])], { transA: false, transB: false, activation: 'relu' }, [NaN, 0]),
];

function check(got: ArrayLike<number>, want: number[], name: string): void {
  assert.equal(got.length, want.length, `${name}: length`);
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) assert.ok(Number.isNaN(got[i]), `${name}: element ${i} is ${got[i]}, expected NaN`);
    else assert.equal(got[i], want[i], `${name}: element ${i}`);
  }
}

function suite(title: string, backend: (t: TestContext) => Promise<Backend | undefined>): void {
  describe(title, () => {
    for (const c of CASES) {
      it(c.name, async (t) => {
        const b = await backend(t);
        if (!b) return;
        const out = await runOp(b, c.op, c.inputs, c.attrs);
        check(out.data, c.expected, c.name);
      });
    }
  });
}

const cpu = new CpuBackend();
suite('NaN always wins: cpu backend', async () => cpu);
suite('NaN always wins: webgpu backend', (t) => gpuOrSkip(t));
