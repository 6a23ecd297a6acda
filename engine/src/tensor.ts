// Tensors and the memory they live in. A Tensor is a shape, a dtype and a reference-counted
// device buffer; reshapes share the buffer. Buffers come from a pool keyed by dtype and
// length, so once a training step has run, the next one finds every buffer it needs in the
// pool and the backend allocates nothing new; `memory()` exposes the counters tests read.
// `tidy(fn)` disposes every tensor created inside fn except what fn returns or `keep`s.

import type { Backend, DeviceBuffer, DType, TypedArray } from './backend';
import { sizeOf } from './backend';

/** A device buffer shared by a tensor and its reshaped views. */
interface Storage {
  buffer: DeviceBuffer;
  length: number;
  refs: number;
}

/** Free device buffers by dtype and length, and the bytes the backend has handed out. */
class BufferPool {
  private free = new Map<string, DeviceBuffer[]>();
  allocatedBytes = 0;
  liveBytes = 0;
  allocations = 0;

  constructor(readonly backend: Backend) {}

  acquire(dtype: DType, length: number): DeviceBuffer {
    const key = `${dtype}:${length}`;
    const list = this.free.get(key);
    const bytes = Math.max(length, 1) * 4;
    this.liveBytes += bytes;
    const reused = list?.pop();
    if (reused) return reused;
    this.allocatedBytes += bytes;
    this.allocations++;
    return this.backend.alloc(bytes, dtype);
  }

  release(buffer: DeviceBuffer, length: number): void {
    const key = `${buffer.dtype}:${length}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buffer);
    this.liveBytes -= buffer.bytes;
  }

  /** Returns every pooled buffer to the device. */
  drain(): void {
    for (const list of this.free.values()) {
      for (const b of list) {
        this.allocatedBytes -= b.bytes;
        this.backend.free(b);
      }
    }
    this.free.clear();
  }
}

let pool: BufferPool | null = null;
const scopes: Tensor[][] = [];

/**
 * True while a gradient tape records. A `tidy` inside a recorded function then hands its
 * tensors to the enclosing scope instead of disposing them, because the tape still needs
 * them for the backward pass.
 */
export const recording = { active: false };

/** Selects the backend every new tensor lives on; drains the previous backend's pool. */
export function setBackend(backend: Backend): void {
  if (pool?.backend === backend) return;
  pool?.drain();
  pool = new BufferPool(backend);
}

export function getBackend(): Backend {
  if (!pool) throw new Error('no backend: call setBackend first');
  return pool.backend;
}

function currentPool(): BufferPool {
  if (!pool) throw new Error('no backend: call setBackend first');
  return pool;
}

/** Memory counters: bytes the backend allocated (pooled or live), bytes in live tensors. */
export function memory(): { allocatedBytes: number; liveBytes: number; allocations: number } {
  const p = currentPool();
  return { allocatedBytes: p.allocatedBytes, liveBytes: p.liveBytes, allocations: p.allocations };
}

export class Tensor {
  private storage: Storage | null;

  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
    storage?: Storage,
  ) {
    const length = sizeOf(shape);
    if (storage) {
      storage.refs++;
      this.storage = storage;
    } else {
      this.storage = { buffer: currentPool().acquire(dtype, length), length, refs: 1 };
    }
    scopes[scopes.length - 1]?.push(this);
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True when another tensor (a view) shares this tensor's buffer. */
  get shared(): boolean {
    return (this.storage?.refs ?? 0) > 1;
  }

  get disposed(): boolean {
    return this.storage === null;
  }

  get buffer(): DeviceBuffer {
    if (!this.storage) throw new Error('tensor used after dispose');
    return this.storage.buffer;
  }

  /** A view with another shape of the same element count, sharing the buffer. */
  view(shape: readonly number[]): Tensor {
    if (!this.storage) throw new Error('tensor used after dispose');
    if (sizeOf(shape) !== this.size) throw new Error(`cannot view [${this.shape}] as [${shape}]`);
    return new Tensor([...shape], this.dtype, this.storage);
  }

  async data(): Promise<TypedArray> {
    const values = await currentPool().backend.download(this.buffer);
    return values.length === this.size ? values : values.slice(0, this.size);
  }

  /** A synchronous copy of the values; only on backends that allow it (the CPU). */
  dataSync(): TypedArray {
    const b = currentPool().backend;
    if (!b.readSync) throw new Error(`backend ${b.name} cannot read synchronously`);
    const values = b.readSync(this.buffer);
    return values.length === this.size ? values : values.slice(0, this.size);
  }

  /** Takes over `source`'s buffer (which must have the same shape); source is disposed. */
  assign(source: Tensor): void {
    if (source.size !== this.size || source.dtype !== this.dtype) throw new Error('assign: shape or dtype differs');
    const s = source.storage;
    if (!s) throw new Error('assign from a disposed tensor');
    s.refs++;
    this.release();
    this.storage = s;
    source.dispose();
  }

  dispose(): void {
    this.release();
  }

  private release(): void {
    const s = this.storage;
    if (!s) return;
    this.storage = null;
    if (--s.refs === 0) currentPool().release(s.buffer, s.length);
  }
}

/** A new tensor holding `values` (copied to the device). */
export function tensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const n = sizeOf(shape);
  if (values.length !== n) throw new Error(`tensor: ${values.length} values for shape [${shape}]`);
  const t = new Tensor([...shape], dtype);
  // A typed array of the right kind goes to the device as it is (upload copies it).
  const typed = dtype === 'int32' ? values instanceof Int32Array : values instanceof Float32Array;
  const data = typed ? (values as TypedArray) : dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  currentPool().backend.upload(t.buffer, data);
  return t;
}

/**
 * A new tensor whose values `write` puts into the array it is given (of the tensor's dtype
 * and size): on a backend with host memory (`hostView`) that array is the tensor's own
 * memory, so the values are written once; elsewhere it is uploaded afterwards.
 */
export function tensorWith(shape: readonly number[], dtype: DType, write: (into: Float32Array | Int32Array) => void): Tensor {
  const t = new Tensor([...shape], dtype);
  const backend = currentPool().backend;
  const n = t.size;
  if (backend.hostView) {
    write(backend.hostView(t.buffer, n));
    return t;
  }
  const data = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  write(data);
  backend.upload(t.buffer, data);
  return t;
}

/** An uninitialised tensor for an op's output. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor([...shape], dtype);
}

/**
 * Runs fn and disposes every tensor it created, except those reachable in its result
 * (a tensor, an array or a record of tensors) and those passed to `keep`.
 */
export function tidy<T>(fn: () => T): T {
  const created: Tensor[] = [];
  scopes.push(created);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  const survivors = new Set<Tensor>();
  collect(result, survivors);
  for (const t of created) {
    if (recording.active || survivors.has(t) || kept.has(t)) scopes[scopes.length - 1]?.push(t);
    else t.dispose();
  }
  return result;
}

const kept = new WeakSet<Tensor>();

/** Marks a tensor to outlive the enclosing `tidy` (parameters, optimizer state). */
export function keep<T extends Tensor>(t: T): T {
  kept.add(t);
  return t;
}

function collect(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into);
  }
}
