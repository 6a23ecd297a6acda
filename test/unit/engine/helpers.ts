// Shared test helpers for the engine: the backends every suite runs on (the CPU reference,
// WebAssembly on one thread, and WebGPU), the suite wrapper that selects one and applies
// the no-adapter rule, reading tensors back asynchronously (the only way WebGPU allows),
// tolerant comparison, seeded inputs, a float64 array type for the independent
// references, and central finite differences in float64.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { Backend, TypedArray } from '../../../engine/src/backend';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import type { WebGpuBackend } from '../../../engine/src/webgpu/backend';
import { createWebGpuBackend } from '../../../engine/src/webgpu/backend';
import { WasmBackend } from '../../../engine/src/wasm/backend';

/** Thrown by a backend's `make` when the machine has no such device (not a bug in the engine). */
export class NoDeviceError extends Error {}

let gpu: Promise<WebGpuBackend> | null = null;

/** One WebGPU backend per process: acquiring a Dawn device takes a while and tests share it. */
function webgpu(): Promise<WebGpuBackend> {
  gpu ??= createWebGpuBackend().then((r) => {
    if (!r.ok) throw new NoDeviceError(r.reason);
    return r.backend;
  });
  return gpu;
}

export interface BackendEntry {
  name: string;
  make: () => Backend | Promise<Backend>;
}

export const BACKENDS: BackendEntry[] = [
  { name: 'cpu', make: () => new CpuBackend() },
  { name: 'wasm', make: () => new WasmBackend() },
  { name: 'webgpu', make: () => webgpu() },
];

/** A test body; `backend` is the one the suite selected. */
export type BackendTest = (t: TestContext, backend: Backend) => void | Promise<void>;

/**
 * One `describe` per backend, titled `${title} on ${name}`, whose `before` awaits the
 * backend and selects it. `body` registers its tests through the `test` it receives. With
 * no WebGPU adapter the tests fail with the reason, unless NETSPEC_ALLOW_NO_WEBGPU=1, when
 * each one is skipped loudly with it (the rule of test/unit/engine_webgpu/harness.ts).
 */
export function describeBackends(title: string, body: (test: (name: string, fn: BackendTest) => void, entry: BackendEntry) => void): void {
  for (const entry of BACKENDS) {
    describe(`${title} on ${entry.name}`, () => {
      let backend: Backend | undefined;
      let missing: string | undefined;
      before(async () => {
        try {
          backend = await entry.make();
        } catch (e) {
          if (!(e instanceof NoDeviceError)) throw e;
          if (process.env.NETSPEC_ALLOW_NO_WEBGPU !== '1') {
            throw new Error(`${e.message} (set NETSPEC_ALLOW_NO_WEBGPU=1 to skip the WebGPU tests)`);
          }
          missing = e.message;
          console.warn(`SKIPPING ${entry.name} tests: ${missing}`);
          return;
        }
        assert.equal(backend.name, entry.name, 'the backend made is the one named');
        setBackend(backend);
      });
      body((name, fn) => {
        it(name, async (t) => {
          if (missing !== undefined) {
            t.skip(missing);
            return;
          }
          // Suites of one file share the process; each test reselects its own backend.
          setBackend(backend!);
          await fn(t, backend!);
        });
      }, entry);
    });
  }
}

/** Awaits every tensor's values, then disposes the tensors: the asynchronous end of a `tidy`. */
export async function readAll(ts: readonly Tensor[]): Promise<TypedArray[]> {
  try {
    const out: TypedArray[] = [];
    for (const t of ts) out.push(await t.data());
    return out;
  } finally {
    for (const t of ts) t.dispose();
  }
}

/** One tensor's values (the tensor is kept). */
export async function read(t: Tensor): Promise<number[]> {
  return [...(await t.data())];
}

/** A float64 reference array in row-major order. */
export interface Arr {
  data: number[];
  shape: number[];
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Multi-index of flat position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d] + idx[d];
  return off;
}

/** A small deterministic generator (independent of the engine's Rng). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Values in [lo, hi) rounded to float32, so the engine and the reference see equal inputs. */
export function randomValues(n: number, seed: number, lo = -1, hi = 1): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}

/** Asserts |a - e| <= atol + rtol * |e| elementwise, reporting the worst element. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) assert.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (atol ${atol}, rtol ${rtol})`);
}

/** Max relative error |a-e| / max(|e|, floor), the tfjs oracle's metric. */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-3): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor));
  }
  return worst;
}

/** Central finite differences of a scalar float64 function of `x`, step h. */
export function finiteDifference(f: (x: number[]) => number, x: readonly number[], h = 1e-5): number[] {
  const g: number[] = [];
  const xs = [...x];
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    xs[i] = v + h;
    const up = f(xs);
    xs[i] = v - h;
    const down = f(xs);
    xs[i] = v;
    g.push((up - down) / (2 * h));
  }
  return g;
}
