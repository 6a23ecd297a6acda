// Training data larger than memory: every sample is one fixed-size binary row (each input's
// values, then each target's, 4 bytes a value: float32, or int32 for int inputs and class
// indices) in a RowStore, a temporary file. `RowWriter` appends rows while the CSV's second
// pass parses them; `DiskRows` is the BatchSource the loop reads, keeping only a few blocks
// of rows in memory. DiskRows reads through a RowReader, so npy and IDX files, already
// fixed-size rows, are read in place (array_rows.ts) rather than copied.
//
// Shuffling differs from the in-memory full permutation: each epoch draws a seeded
// permutation of blocks of consecutive rows (BLOCK_ROWS, fewer when the budget is small), then takes the blocks WINDOW_BLOCKS
// at a time and shuffles the rows within each such window. A batch therefore mixes rows of
// a few blocks from anywhere in the file, not rows from the whole file; rows that sit close
// together in the file tend to meet in the same window each epoch. The order is a pure
// function of the loop's seed, so runs repeat. A sorted subset of rows (a validation split)
// is a view over the same file that keeps this locality.

import type { BatchSource, SampleSpec } from '../train/batch_source';
import { shuffledOrder } from '../train/dataset';
import type { ArraySet, Dataset } from '../train/types';
import type { Rng } from '../rng';
import type { RowReader, RowStore } from './files';

/** Rows per block at most, the unit of the block shuffle and of a read from the file. */
export const BLOCK_ROWS = 4096;
/** Blocks shuffled together; the loop holds about twice this many blocks in memory. */
export const WINDOW_BLOCKS = 4;

/** Rows per block such that the blocks held in memory fit `budgetBytes` (between 64 and BLOCK_ROWS). */
export function blockRowsFor(rowBytes: number, budgetBytes: number): number {
  const fit = Math.floor(budgetBytes / (rowBytes * (2 * WINDOW_BLOCKS + 1)));
  return Math.max(64, Math.min(BLOCK_ROWS, Number.isFinite(fit) ? fit : BLOCK_ROWS));
}

export interface RowField {
  group: 'inputs' | 'targets';
  name: string;
  sampleShape: number[];
  size: number;
  dtype: 'float32' | 'int32';
  /** The field's first value within a row. */
  offset: number;
}

export interface RowLayout {
  fields: RowField[];
  /** Values (4 bytes each) per row. */
  rowValues: number;
}

export function rowLayout(fields: Omit<RowField, 'offset'>[]): RowLayout {
  let at = 0;
  const out = fields.map((f) => {
    const field = { ...f, offset: at };
    at += f.size;
    return field;
  });
  return { fields: out, rowValues: at };
}

/** Buffers parsed rows and appends them to the store about 1 MiB at a time. */
export class RowWriter {
  private readonly buffer: ArrayBuffer;
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  private readonly capacity: number;
  private held = 0;
  rows = 0;

  constructor(
    private readonly layout: RowLayout,
    private readonly store: RowStore,
  ) {
    this.capacity = Math.max(1, Math.floor((1 << 20) / (layout.rowValues * 4)));
    this.buffer = new ArrayBuffer(this.capacity * layout.rowValues * 4);
    this.f32 = new Float32Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Appends one row: `values[k]` holds field k's values (in layout order). */
  push(values: readonly (Float32Array | Int32Array)[]): void {
    const base = this.held * this.layout.rowValues;
    this.layout.fields.forEach((f, k) => {
      const target = f.dtype === 'int32' ? this.i32 : this.f32;
      const src = values[k];
      for (let j = 0; j < f.size; j++) target[base + f.offset + j] = src[j];
    });
    this.rows++;
    if (++this.held === this.capacity) this.flush();
  }

  flush(): void {
    if (this.held === 0) return;
    this.store.append(new Uint8Array(this.buffer, 0, this.held * this.layout.rowValues * 4));
    this.held = 0;
  }
}

/** The rows of one block of a view, row k being the view's row (block * blockRows + k). */
interface Block {
  f32: Float32Array;
  i32: Int32Array;
}

/**
 * A BatchSource over the rows of a RowReader (or over a sorted subset of them): a RowStore
 * the CSV reader filled, or an npy or IDX file converted to rows as they are read.
 */
export class DiskRows implements BatchSource {
  readonly kind = 'batch-source' as const;
  readonly count: number;
  readonly inputs: Record<string, SampleSpec> = {};
  readonly targets: Record<string, SampleSpec> = {};
  private readonly cache = new Map<number, Block>();
  /** Bytes read from the store so far (tests check that reads stay block-sized). */
  bytesRead = 0;

  constructor(
    readonly store: RowReader,
    readonly layout: RowLayout,
    readonly physicalCount: number,
    readonly labels: Record<string, string[] | null>,
    /** Rows per block (blockRowsFor the budget). */
    readonly blockRows: number = BLOCK_ROWS,
    /** Ascending physical rows of this view; null for every row. */
    private readonly rows: Int32Array | null = null,
  ) {
    this.count = rows ? rows.length : physicalCount;
    for (const f of layout.fields) this[f.group][f.name] = { sampleShape: f.sampleShape, dtype: f.dtype };
  }

  /** The rows `physical` (ascending) of this file as their own source, sharing the store. */
  view(physical: Int32Array): DiskRows {
    return new DiskRows(this.store, this.layout, this.physicalCount, this.labels, this.blockRows, physical);
  }

  order(rng: Rng): Int32Array {
    const B = this.blockRows;
    const blocks = Math.ceil(this.count / B);
    const blockOrder = shuffledOrder(blocks, rng);
    const out = new Int32Array(this.count);
    let at = 0;
    for (let w = 0; w < blocks; w += WINDOW_BLOCKS) {
      const start = at;
      for (let k = w; k < Math.min(w + WINDOW_BLOCKS, blocks); k++) {
        const b = blockOrder[k];
        for (let r = b * B; r < Math.min((b + 1) * B, this.count); r++) out[at++] = r;
      }
      // Fisher-Yates within the window.
      for (let i = at - 1; i > start; i--) {
        const j = start + Math.floor(rng.next() * (i - start + 1));
        const t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }
    return out;
  }

  async batch(indices: Int32Array | number[]): Promise<Dataset> {
    const needed = new Map<number, Block>();
    for (let i = 0; i < indices.length; i++) {
      const idx = indices[i];
      if (!(idx >= 0 && idx < this.count)) throw new Error(`row ${idx} is outside the data's ${this.count} rows`);
      const b = Math.floor(idx / this.blockRows);
      if (!needed.has(b)) needed.set(b, await this.block(b));
    }
    const sets: Record<string, ArraySet> = {};
    const out: Dataset = { count: indices.length, inputs: {}, targets: {}, labels: this.labels };
    const rv = this.layout.rowValues;
    for (const f of this.layout.fields) {
      const data = f.dtype === 'int32' ? new Int32Array(indices.length * f.size) : new Float32Array(indices.length * f.size);
      for (let i = 0; i < indices.length; i++) {
        const idx = indices[i];
        const block = needed.get(Math.floor(idx / this.blockRows))!;
        const at = (idx % this.blockRows) * rv + f.offset;
        data.set((f.dtype === 'int32' ? block.i32 : block.f32).subarray(at, at + f.size), i * f.size);
      }
      sets[f.name] = { data, sampleShape: f.sampleShape };
      out[f.group][f.name] = sets[f.name];
    }
    return out;
  }

  private physical(idx: number): number {
    return this.rows ? this.rows[idx] : idx;
  }

  /**
   * Block `b` of this view, from the cache or read from the store (the least recently used
   * one goes). A view's block is read as one byte range and compacted to its own rows, so
   * the cache holds blockRows rows a block whatever the view skips.
   */
  private async block(b: number): Promise<Block> {
    const hit = this.cache.get(b);
    if (hit) {
      this.cache.delete(b);
      this.cache.set(b, hit);
      return hit;
    }
    const start = b * this.blockRows;
    const end = Math.min(start + this.blockRows, this.count);
    const first = this.physical(start);
    const last = this.physical(end - 1);
    const rv = this.layout.rowValues;
    const raw = await this.store.read(first * rv * 4, (last - first + 1) * rv * 4);
    this.bytesRead += raw.length;
    let bytes: Uint8Array;
    if (this.rows) {
      // Only the view's rows, in view order.
      bytes = new Uint8Array((end - start) * rv * 4);
      for (let i = start; i < end; i++) {
        const from = (this.rows[i] - first) * rv * 4;
        bytes.set(raw.subarray(from, from + rv * 4), (i - start) * rv * 4);
      }
    } else {
      // A copy at offset 0 where needed, so that 4-byte views line up whatever buffer the store returned.
      bytes = raw.byteOffset % 4 === 0 ? raw : raw.slice();
    }
    const block: Block = {
      f32: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4),
      i32: new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4),
    };
    this.cache.set(b, block);
    while (this.cache.size > 2 * WINDOW_BLOCKS + 1) this.cache.delete(this.cache.keys().next().value as number);
    return block;
  }
}
