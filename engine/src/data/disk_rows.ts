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
// function of the loop's seed, so runs repeat. The order is drawn a window at a time
// (`DiskOrder`): it holds the epoch's block permutation (4 bytes a block) and one window's
// rows, never an index per row.
//
// A `validation = 0.2` split (`split`) is a rule, not a list of rows: physical block k
// (rows k*B .. k*B+B-1) holds out floor(end*H/N) - floor(start*H/N) of its rows (N rows in
// all, H held out, so exactly H over the file, spread evenly), and which of its rows is a
// seeded shuffle of the block's rows (hash3(seed, SPLIT_STREAM, k) seeds it). Both sides are
// views over the same file whose block k is block k's rows of that side, in file order; a
// view's row index maps to its block by a binary search over that closed form.

import type { BatchSource, EpochOrder, SampleSpec } from './batch_source';
import { shuffledOrder, type ArraySet, type Dataset } from './dataset';
import { hash3, Rng } from '../rng';
import type { RowReader, RowStore } from './files';

/** Rows per block at most, the unit of the block shuffle and of a read from the file. */
export const BLOCK_ROWS = 4096;
/** Blocks shuffled together; the loop holds about twice this many blocks in memory. */
export const WINDOW_BLOCKS = 4;
/** The stream of the validation split's per-block shuffles (the in-memory split's 0x5e1a). */
export const SPLIT_STREAM = 0x5e1a;

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

/** The rows of one block of a view, in file order. */
interface Block {
  f32: Float32Array;
  i32: Int32Array;
}

/** Which side of a seeded `validation = fraction` split a view holds. */
export interface SplitRule {
  seed: number;
  /** Rows held out for validation over the whole file (H). */
  held: number;
  side: 'train' | 'validation';
}

/** floor(a * b / c) exactly, for non-negative integers (a, b <= c < 2^31 in practice). */
function mulDiv(a: number, b: number, c: number): number {
  const p = a * b;
  if (p <= Number.MAX_SAFE_INTEGER) return (p - (p % c)) / c;
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * Which rows of physical block `k` (`n` rows from `first`) a split holds out: `heldHere` of
 * them, picked by a partial Fisher-Yates seeded by (seed, k). 1 marks a validation row.
 */
export function heldMask(seed: number, k: number, n: number, heldHere: number): Uint8Array {
  const mask = new Uint8Array(n);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  const rng = new Rng(hash3(seed, SPLIT_STREAM, k), SPLIT_STREAM);
  for (let i = 0; i < heldHere; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = rows[i];
    rows[i] = rows[j];
    rows[j] = t;
    mask[rows[i]] = 1;
  }
  return mask;
}

/**
 * A BatchSource over the rows of a RowReader (or over one side of a seeded split of them): a
 * RowStore the CSV reader filled, or an npy or IDX file converted to rows as they are read.
 */
export class DiskRows implements BatchSource {
  readonly kind = 'batch-source' as const;
  readonly count: number;
  readonly inputs: Record<string, SampleSpec> = {};
  readonly targets: Record<string, SampleSpec> = {};
  /** Blocks of this view: one per physical block of the file (some may be empty in a split). */
  readonly blocks: number;
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
    /** The side of a split this view holds; null for every row. */
    readonly rule: SplitRule | null = null,
  ) {
    this.blocks = Math.ceil(physicalCount / blockRows);
    this.count = this.blockStart(this.blocks);
    for (const f of layout.fields) this[f.group][f.name] = { sampleShape: f.sampleShape, dtype: f.dtype };
  }

  /**
   * The split that holds out `held` rows (1 .. count-1) for validation, chosen by `seed`:
   * the training view and the validation view, disjoint, sharing the store.
   */
  split(seed: number, held: number): { train: DiskRows; validation: DiskRows } {
    const make = (side: SplitRule['side']) => new DiskRows(this.store, this.layout, this.physicalCount, this.labels, this.blockRows, { seed, held, side });
    return { train: make('train'), validation: make('validation') };
  }

  /** Validation rows among the file's first `r` rows. */
  private heldBefore(r: number): number {
    return mulDiv(r, this.rule!.held, this.physicalCount);
  }

  /** The view's first row in block `k` (0 <= k <= blocks; blockStart(blocks) is the count). */
  blockStart(k: number): number {
    const r = Math.min(k * this.blockRows, this.physicalCount);
    if (!this.rule) return r;
    const held = this.heldBefore(r);
    return this.rule.side === 'validation' ? held : r - held;
  }

  /** The block that holds the view's row `idx` (0 <= idx < count). */
  blockOf(idx: number): number {
    if (!this.rule) return Math.floor(idx / this.blockRows);
    // The last block whose start is at most idx; it is not empty, since the next one starts after idx.
    let lo = 0;
    let hi = this.blocks - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.blockStart(mid) <= idx) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  epochOrder(rng: Rng): EpochOrder {
    return new DiskOrder(this, rng);
  }

  async batch(indices: Int32Array | number[]): Promise<Dataset> {
    const needed = new Map<number, { block: Block; start: number }>();
    const where = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const idx = indices[i];
      if (!(idx >= 0 && idx < this.count)) throw new Error(`row ${idx} is outside the data's ${this.count} rows`);
      const b = this.blockOf(idx);
      where[i] = b;
      if (!needed.has(b)) needed.set(b, { block: await this.block(b), start: this.blockStart(b) });
    }
    const sets: Record<string, ArraySet> = {};
    const out: Dataset = { count: indices.length, inputs: {}, targets: {}, labels: this.labels };
    const rv = this.layout.rowValues;
    for (const f of this.layout.fields) {
      const data = f.dtype === 'int32' ? new Int32Array(indices.length * f.size) : new Float32Array(indices.length * f.size);
      for (let i = 0; i < indices.length; i++) {
        const { block, start } = needed.get(where[i])!;
        const at = (indices[i] - start) * rv + f.offset;
        data.set((f.dtype === 'int32' ? block.i32 : block.f32).subarray(at, at + f.size), i * f.size);
      }
      sets[f.name] = { data, sampleShape: f.sampleShape };
      out[f.group][f.name] = sets[f.name];
    }
    return out;
  }

  /**
   * Block `b` of this view, from the cache or read from the store (the least recently used
   * one goes). A split's block is read as the physical block's byte range and compacted to
   * its side's rows, so the cache holds at most blockRows rows a block.
   */
  private async block(b: number): Promise<Block> {
    const hit = this.cache.get(b);
    if (hit) {
      this.cache.delete(b);
      this.cache.set(b, hit);
      return hit;
    }
    const first = b * this.blockRows;
    const n = Math.min(this.blockRows, this.physicalCount - first);
    const rv = this.layout.rowValues;
    const raw = await this.store.read(first * rv * 4, n * rv * 4);
    this.bytesRead += raw.length;
    let bytes: Uint8Array;
    if (this.rule) {
      // Only this side's rows, in file order.
      const heldHere = this.heldBefore(first + n) - this.heldBefore(first);
      const mask = heldMask(this.rule.seed, b, n, heldHere);
      const want = this.rule.side === 'validation' ? 1 : 0;
      bytes = new Uint8Array((this.blockStart(b + 1) - this.blockStart(b)) * rv * 4);
      let at = 0;
      for (let i = 0; i < n; i++) {
        if (mask[i] !== want) continue;
        bytes.set(raw.subarray(i * rv * 4, (i + 1) * rv * 4), at);
        at += rv * 4;
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

/**
 * One epoch's block-and-window order over a DiskRows, drawn as it is taken: the blocks'
 * permutation is drawn first (as a whole array order drew it), then each window's rows are
 * shuffled from `rng` when the order reaches that window. Taken to its end, it draws from
 * `rng` exactly what the whole-array order drew, in the same sequence, and yields the same
 * rows. It holds 4 bytes a block and one window of rows (WINDOW_BLOCKS * blockRows indices).
 */
export class DiskOrder implements EpochOrder {
  private readonly blockOrder: Int32Array;
  private readonly window: Int32Array;
  /** The window's rows [taken, filled) are still to hand out. */
  private filled = 0;
  private taken = 0;
  /** The first block (in blockOrder) of the next window. */
  private nextBlock = 0;

  constructor(
    private readonly rows: DiskRows,
    private readonly rng: Rng,
  ) {
    this.blockOrder = shuffledOrder(rows.blocks, rng);
    this.window = new Int32Array(Math.min(WINDOW_BLOCKS * rows.blockRows, rows.count));
  }

  /** Bytes this order holds (tests check that it does not grow with the rows). */
  get heldBytes(): number {
    return this.blockOrder.byteLength + this.window.byteLength;
  }

  /** Fills the next window with its blocks' rows and shuffles them; false at the end. */
  private refill(): boolean {
    const { rows, rng } = this;
    const blocks = rows.blocks;
    if (this.nextBlock >= blocks) return false;
    const end = Math.min(this.nextBlock + WINDOW_BLOCKS, blocks);
    let at = 0;
    for (let k = this.nextBlock; k < end; k++) {
      const b = this.blockOrder[k];
      for (let r = rows.blockStart(b), stop = rows.blockStart(b + 1); r < stop; r++) this.window[at++] = r;
    }
    this.nextBlock = end;
    // Fisher-Yates within the window.
    const out = this.window;
    for (let i = at - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    this.filled = at;
    this.taken = 0;
    return true;
  }

  next(n: number): Int32Array {
    const out = new Int32Array(n);
    let at = 0;
    while (at < n) {
      if (this.taken === this.filled && !this.refill()) break;
      const k = Math.min(n - at, this.filled - this.taken);
      out.set(this.window.subarray(this.taken, this.taken + k), at);
      this.taken += k;
      at += k;
    }
    return at === n ? out : out.slice(0, at);
  }
}
