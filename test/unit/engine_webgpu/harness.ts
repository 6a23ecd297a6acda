// Shared by the WebGPU tests: one backend per process (acquired once), the rule for a
// machine without an adapter (fail with the reason unless NETSPEC_ALLOW_NO_WEBGPU=1, then
// skip loudly), seeded inputs, and running one op on any backend from host arrays.

import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Backend, DType, OpAttrs, OpName, TypedArray } from '../../../engine/src/backend';
import { sizeOf } from '../../../engine/src/backend';
import { outputDType, outputShape } from '../../../engine/src/primitives/index';
import type { WebGpuBackend, WebGpuOptions, WebGpuResult } from '../../../engine/src/webgpu/backend';
import { createWebGpuBackend } from '../../../engine/src/webgpu/backend';

const cache = new Map<string, Promise<WebGpuResult>>();

/** A WebGPU backend for this process (one per option set), or undefined after skipping or failing `t`. */
export async function gpuOrSkip(t: TestContext, options: WebGpuOptions = {}): Promise<WebGpuBackend | undefined> {
  const key = JSON.stringify(options);
  let p = cache.get(key);
  if (!p) cache.set(key, (p = createWebGpuBackend(options)));
  const r = await p;
  if (r.ok) return r.backend;
  if (process.env.NETSPEC_ALLOW_NO_WEBGPU === '1') {
    console.warn(`SKIPPING WebGPU tests: ${r.reason}`);
    t.skip(r.reason);
    return undefined;
  }
  assert.fail(`${r.reason} (set NETSPEC_ALLOW_NO_WEBGPU=1 to skip the WebGPU tests)`);
}

/** A small deterministic generator, independent of the engine's Rng. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface HostInput {
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

/** Float32 values in [lo, hi), optionally kept `away` from zero (kinks of relu, abs, ...). */
export function floats(shape: number[], seed: number, lo = -1, hi = 1, away = 0): HostInput {
  const r = lcg(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    let v = lo + (hi - lo) * r();
    if (Math.abs(v) < away) v = v < 0 ? -away : away;
    data[i] = v;
  }
  return { shape, dtype: 'float32', data };
}

/** Int32 values in [lo, hi). */
export function ints(shape: number[], seed: number, lo: number, hi: number): HostInput {
  const r = lcg(seed);
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + Math.floor((hi - lo) * r());
  return { shape, dtype: 'int32', data };
}

/** Uploads the inputs, runs `op` and downloads its output, all on `backend`. */
export async function runOp<K extends OpName>(backend: Backend, op: K, inputs: readonly HostInput[], attrs: OpAttrs[K]): Promise<{ shape: number[]; dtype: DType; data: TypedArray }> {
  const tensors = inputs.map((h) => {
    const buffer = backend.alloc(Math.max(h.data.length, 1) * 4, h.dtype);
    backend.upload(buffer, h.data);
    return { buffer, shape: h.shape, dtype: h.dtype };
  });
  const shape = outputShape(op, inputs.map((h) => h.shape), attrs);
  const dtype = outputDType(op, inputs.map((h) => h.dtype), attrs);
  const out = { buffer: backend.alloc(Math.max(sizeOf(shape), 1) * 4, dtype), shape, dtype };
  backend.run(op, tensors, out, attrs);
  const full = await backend.download(out.buffer);
  for (const t of tensors) backend.free(t.buffer);
  backend.free(out.buffer);
  return { shape, dtype, data: full.slice(0, sizeOf(shape)) };
}

/** Asserts |a - e| <= atol + rtol * |e| elementwise (NaN only matches NaN), naming the worst element. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) assert.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (atol ${atol}, rtol ${rtol})`);
}
