// The disk-rows order and validation split (engine/src/data/disk_rows.ts) over many virtual
// rows, read from a fake RowReader whose row r holds the number r: each epoch's order is a
// permutation of the training rows, repeatable for a seed; the split holds out exactly the
// in-memory split's number of rows, disjoint from the training rows, spread over the blocks;
// and what the order and the split hold does not grow with the rows (measured after a full
// collection, and as the order's own array sizes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BLOCK_ROWS, DiskOrder, DiskRows, rowLayout, WINDOW_BLOCKS } from '../../../engine/src/data/disk_rows';
import type { RowReader } from '../../../engine/src/data/files';
import { Rng } from '../../../engine/src/rng';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const layout = rowLayout([{ group: 'targets', name: 'y', sampleShape: [], size: 1, dtype: 'int32' }]);

/** `rows` rows of one int32 each, row r holding r; nothing is stored. */
function virtualRows(rows: number, blockRows = BLOCK_ROWS): DiskRows {
  const reader: RowReader = {
    async read(offset, length) {
      const out = new Int32Array(length / 4);
      for (let i = 0; i < out.length; i++) out[i] = offset / 4 + i;
      return new Uint8Array(out.buffer);
    },
    async delete() {},
  };
  return new DiskRows(reader, layout, rows, { y: null }, blockRows);
}

/** Takes an epoch's whole order in batches of `batch`, checking each row comes once; returns a digest of the sequence. */
function takeEpoch(d: DiskRows, rng: Rng, batch: number): number {
  const order = d.epochOrder(rng);
  const seen = new Uint8Array(d.count);
  let taken = 0;
  let digest = 0;
  for (;;) {
    const part = order.next(batch);
    if (part.length === 0) break;
    for (const r of part) {
      assert.ok(r >= 0 && r < d.count && seen[r] === 0, `row ${r} comes once`);
      seen[r] = 1;
      digest = (Math.imul(digest, 31) + r) | 0;
    }
    taken += part.length;
  }
  assert.equal(taken, d.count, 'every training row comes in the epoch');
  return digest;
}

/** The physical rows (the values the fake rows hold) of every row of `d`, read a block at a time. */
async function physicalRows(d: DiskRows): Promise<Int32Array> {
  const out = new Int32Array(d.count);
  for (let start = 0; start < d.count; start += d.blockRows) {
    const wanted = Array.from({ length: Math.min(d.blockRows, d.count - start) }, (_v, i) => start + i);
    out.set((await d.batch(wanted)).targets.y.data as Int32Array, start);
  }
  return out;
}

test('over 1M rows the split is exact and disjoint, and each epoch is a seeded permutation of the training rows', async () => {
  const N = 1_000_003;
  const held = Math.round(N * 0.2);
  const { train, validation } = virtualRows(N).split(42, held);
  assert.equal(validation.count, held, 'exactly the in-memory split size');
  assert.equal(train.count, N - held);

  const trainRows = await physicalRows(train);
  const valRows = await physicalRows(validation);
  const side = new Uint8Array(N);
  for (const r of trainRows) side[r] |= 1;
  for (const r of valRows) {
    assert.equal(side[r] & 2, 0, `validation row ${r} once`);
    side[r] |= 2;
  }
  assert.ok(side.every((s) => s === 1 || s === 2), 'every row on exactly one side');
  for (let i = 1; i < valRows.length; i++) assert.ok(valRows[i] > valRows[i - 1], 'validation rows in file order');
  // Spread over the file: each block holds out its share, to within a row.
  for (let b = 0; b < validation.blocks; b++) {
    const n = validation.blockStart(b + 1) - validation.blockStart(b);
    const size = Math.min(BLOCK_ROWS, N - b * BLOCK_ROWS);
    assert.ok(Math.abs(n - (size * held) / N) <= 1, `block ${b} holds out ${n} of ${size}`);
  }
  // The same seed splits the same way; another seed picks other rows, as many.
  assert.deepEqual(await physicalRows(virtualRows(N).split(42, held).validation), valRows);
  const other = virtualRows(N).split(43, held).validation;
  assert.equal(other.count, held);
  assert.notDeepEqual(await physicalRows(other), valRows);

  // Orders: every training row once per epoch, epochs differ, a seed repeats.
  const rng = new Rng(7, 0x5348);
  const e1 = takeEpoch(train, rng, 1000);
  const e2 = takeEpoch(train, rng, 333);
  assert.notEqual(e1, e2, 'the second epoch has its own order');
  const again = new Rng(7, 0x5348);
  assert.equal(takeEpoch(train, again, 777), e1, 'same seed, same first epoch (whatever the batch size)');
  assert.equal(takeEpoch(train, again, 1000), e2, 'and the same second epoch');
  assert.notEqual(takeEpoch(train, new Rng(8, 0x5348), 1000), e1, 'another seed, another order');
  takeEpoch(validation, new Rng(1, 1), 4096);
  takeEpoch(virtualRows(N), new Rng(1, 1), 512);
});

test('a window of the order draws from at most WINDOW_BLOCKS blocks, split or not', () => {
  for (const d of [virtualRows(100_000, 256), virtualRows(100_000, 256).split(3, 20_000).train]) {
    const order = d.epochOrder(new Rng(5, 1));
    // A split's blocks differ by up to a row, so a few rows short of a window of the first blocks.
    const rowsPerWindow = d.blockStart(WINDOW_BLOCKS) - d.blockStart(0) - WINDOW_BLOCKS;
    const first = order.next(rowsPerWindow);
    const blocks = new Set(Array.from(first, (r) => d.blockOf(r)));
    assert.ok(blocks.size <= WINDOW_BLOCKS, `${blocks.size} blocks in the first window`);
  }
});

test('the memory an epoch order and a split hold does not grow with the rows', () => {
  /** Heap plus ArrayBuffers held by a split and an epoch order (a few batches in) over `rows` virtual rows. */
  const heldFor = (rows: number) => {
    gc();
    const before = process.memoryUsage();
    const { train, validation } = virtualRows(rows).split(42, Math.round(rows * 0.1));
    const order = train.epochOrder(new Rng(1, 1)) as DiskOrder;
    for (let i = 0; i < 10; i++) order.next(512);
    const whole = virtualRows(rows).epochOrder(new Rng(1, 1)) as DiskOrder;
    whole.next(512);
    gc();
    const after = process.memoryUsage();
    const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
    // The order's arrays: 4 bytes a block and one window of rows.
    const blocks = Math.ceil(rows / BLOCK_ROWS);
    assert.ok(order.heldBytes <= 4 * blocks + 4 * WINDOW_BLOCKS * BLOCK_ROWS, `the order holds ${order.heldBytes} bytes`);
    assert.ok(whole.heldBytes <= 4 * blocks + 4 * WINDOW_BLOCKS * BLOCK_ROWS);
    // Kept alive until measured.
    assert.ok(validation.count > 0 && train.count > 0);
    return { bytes, order, whole };
  };
  heldFor(1_000_000); // warms up the code paths
  const small = heldFor(1_000_000).bytes;
  const large = heldFor(4_000_000).bytes;
  const MB = 1024 * 1024;
  // An index per row (the order's, the split's views) would add 12 to 16 bytes for each of
  // the 3M extra rows: 36 MB or more. What grows is 4 bytes a block: about 3 KB.
  console.log(`order and split: ${(small / MB).toFixed(2)} MB for 1M rows, ${(large / MB).toFixed(2)} MB for 4M rows`);
  assert.ok(large - small < 2 * MB, `4M rows hold ${((large - small) / MB).toFixed(2)} MB more than 1M rows`);
});

test('a split that holds out fewer rows than there are blocks leaves most validation blocks empty, and still reads each row once', async () => {
  const { train, validation } = virtualRows(100_000, 256).split(9, 3);
  assert.equal(validation.count, 3);
  const held = await physicalRows(validation);
  assert.equal(new Set(held).size, 3);
  const kept = new Set(await physicalRows(train));
  assert.equal(kept.size, 99_997);
  for (const r of held) assert.ok(!kept.has(r), `row ${r} is on one side only`);
  takeEpoch(validation, new Rng(2, 1), 2);
  takeEpoch(train, new Rng(2, 1), 1000);
});
