// npy and IDX sources larger than the memory budget, read in place. Both formats are
// already fixed-size rows after a short header, so nothing is copied: only the headers are
// read up front, then a full pass over the features file in chunks checks every value as
// the in-memory reader does (finite, whole numbers for int inputs), and training reads a
// block of rows at a time by byte range (DataFiles.readRange), converting each value to
// float32 or int32 as it is read. The targets (labels) file is small and is read whole.
// A gzipped IDX file cannot be read by range; it is read whole as before (the docs say to
// decompress it to train on more than memory holds).

import type { ModelIR } from '../../catalog/ir';
import type { TrainDataSource } from '../../catalog/train_ir';
import { checkFinite, fitFeatureShape, fitTargets, idxFile, npyFile, type FileArray } from './arrays';
import { dataFail, type DataResult } from './data_error';
import { blockRowsFor, DiskRows, rowLayout, type RowLayout } from './disk_rows';
import type { DataFiles, RowReader } from './files';
import { IDX_TYPES, idxRoleFault, idxScale } from './idx';
import type { LoadOptions } from './load_options';
import type { InputSlot } from './model_fit';
import { parseNpyHeader } from './npy';

type RangeFiles = DataFiles & { readRange: NonNullable<DataFiles['readRange']> };

/** Where a file's values begin, how to read one, and what a sample is called. */
interface Region {
  file: string;
  shape: number[];
  dataStart: number;
  elemSize: number;
  get: (v: DataView, o: number) => number;
  /** Float dtypes stay float32; integer dtypes wrap to int32 first, as the whole-file readers store them. */
  float: boolean;
  /** What values are divided by: idxScale for IDX pixels (255 unsigned, 128 signed bytes), else 1. */
  scale: number;
  noun: string;
}

/** The value the whole-file reader would hold: float32 after int32 wrapping and scaling. */
function convert(region: Region, raw: number): number {
  const v = region.float ? raw : raw | 0;
  return Math.fround(region.scale === 1 ? v : v / region.scale);
}

/** Checks that the file holds every value its header promises, reading only its last byte. */
async function checkLength(files: RangeFiles, region: Region): Promise<DataResult<true>> {
  const count = region.shape.reduce((a, b) => a * b, 1);
  const end = region.dataStart + count * region.elemSize;
  const last = count === 0 ? new Uint8Array(1) : await files.readRange(region.file, end - 1, 1);
  if (last.length === 1) return { ok: true, value: true };
  return dataFail(region.file, `the file ends before the ${count} values its header promises for shape (${region.shape.join(', ')}); the file is truncated`);
}

async function npyRegion(files: RangeFiles, path: string): Promise<DataResult<Region>> {
  const start = await files.readRange(path, 0, 12);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (magic.some((m, i) => start[i] !== m)) return parseNpyHeader(start, path) as DataResult<never>;
  const headerLen = start.length >= 12 ? (start[6] === 1 ? start[8] | (start[9] << 8) : new DataView(start.buffer, start.byteOffset).getUint32(8, true)) : 0;
  const head = await files.readRange(path, 0, 12 + headerLen);
  const parsed = parseNpyHeader(head, path);
  if (!parsed.ok) return parsed;
  const h = parsed.value;
  return { ok: true, value: { file: path, shape: h.shape, dataStart: h.dataStart, elemSize: h.reader.size, get: h.reader.get, float: h.reader.float, scale: 1, noun: 'row' } };
}

/** An uncompressed IDX file's region, or null for a gzipped one. */
async function idxRegion(files: RangeFiles, path: string): Promise<DataResult<Region> | null> {
  const start = await files.readRange(path, 0, 4);
  if (start[0] === 0x1f && start[1] === 0x8b) return null;
  const type = IDX_TYPES[start[2]];
  if (start.length < 4 || start[0] !== 0 || start[1] !== 0 || !type) {
    return dataFail(path, 'not an IDX file (the magic number should be 00 00 TYPE RANK, as in MNIST\'s train-images-idx3-ubyte)');
  }
  const rank = start[3];
  const head = await files.readRange(path, 0, 4 + 4 * rank);
  if (head.length < 4 + 4 * rank) return dataFail(path, 'the IDX header is truncated');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shape = Array.from({ length: rank }, (_v, i) => view.getUint32(4 + 4 * i));
  const role = idxRoleFault(shape, path, 'images');
  if (role) return role;
  return { ok: true, value: { file: path, shape, dataStart: 4 + 4 * rank, elemSize: type.size, get: type.get, float: type.float, scale: idxScale(start[2]), noun: 'image' } };
}

/** Rows of features read from a file region, with the targets (held in memory) appended. */
class RegionRows implements RowReader {
  constructor(
    private readonly files: RangeFiles,
    private readonly region: Region,
    private readonly layout: RowLayout,
    private readonly per: number,
    private readonly targets: Float32Array | Int32Array | null,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const rowBytes = this.layout.rowValues * 4;
    const first = offset / rowBytes;
    const n = length / rowBytes;
    const values = await readValues(this.files, this.region, first * this.per, n * this.per);
    const out = new ArrayBuffer(length);
    const f32 = new Float32Array(out);
    const i32 = new Int32Array(out);
    const rv = this.layout.rowValues;
    for (const f of this.layout.fields) {
      const target = f.dtype === 'int32' ? i32 : f32;
      for (let r = 0; r < n; r++) {
        const base = r * rv + f.offset;
        if (f.group === 'inputs') {
          for (let j = 0; j < f.size; j++) target[base + j] = values[r * this.per + f.offset + j];
        } else {
          const src = this.targets!;
          for (let j = 0; j < f.size; j++) target[base + j] = src[(first + r) * f.size + j];
        }
      }
    }
    return new Uint8Array(out);
  }

  async delete(): Promise<void> {
    // Nothing to remove: the rows are the user's own file.
  }
}

/** Values `from`..`from + n` of the region, converted as the whole-file reader does. */
async function readValues(files: RangeFiles, region: Region, from: number, n: number): Promise<Float64Array> {
  const bytes = await files.readRange(region.file, region.dataStart + from * region.elemSize, n * region.elemSize);
  if (bytes.length < n * region.elemSize) throw new Error(`${region.file} ended early (it changed while training?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = convert(region, region.get(view, i * region.elemSize));
  return out;
}

/** One pass over the features in chunks: the in-memory reader's value checks, nothing kept. */
async function checkValues(files: RangeFiles, region: Region, count: number, per: number, slots: InputSlot[]): Promise<DataResult<true>> {
  const chunkRows = Math.max(1, Math.floor((1 << 20) / Math.max(1, per * region.elemSize)));
  for (let r0 = 0; r0 < count; r0 += chunkRows) {
    const n = Math.min(chunkRows, count - r0);
    const values = await readValues(files, region, r0 * per, n * per);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        return dataFail(region.file, `${region.noun} ${r0 + Math.floor(i / per)} holds ${v} at value ${i % per}; NaN and infinite values cannot be trained on (clean the array first)`);
      }
    }
    let offset = 0;
    for (const slot of slots) {
      if (slot.int) {
        for (let r = 0; r < n; r++) {
          for (let j = 0; j < slot.size; j++) {
            const v = values[r * per + offset + j];
            if (!Number.isInteger(v)) return dataFail(region.file, `${region.noun} ${r0 + r}, value ${offset + j} is ${v}, but input ${slot.name} takes integer ids (it is declared int)`);
          }
        }
      }
      offset += slot.size;
    }
  }
  return { ok: true, value: true };
}

/**
 * An npy or uncompressed IDX training source as rows read in place, when its arrays (4 bytes
 * a value) exceed `options.budgetBytes` and the DataFiles can read by range; null otherwise,
 * for the whole-file readers (arrays.ts), so the numbers under the budget are unchanged.
 */
export async function loadArrayRows(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<DiskRows> | null> {
  const budget = options.budgetBytes;
  const files = options.files;
  if (budget === undefined || !files.readRange || options.targets !== 'required') return null;
  if (source.kind !== 'npy' && source.kind !== 'idx') return null;
  const rf = files as RangeFiles;
  const isNpy = source.kind === 'npy';
  const fpath = isNpy ? source.files?.features : source.files?.images;
  const tpath = isNpy ? source.files?.targets : source.files?.labels;
  // Missing settings are the whole-file readers' errors.
  if (!fpath || !tpath) return null;
  const role = isNpy ? 'npy file' : 'IDX file';
  if (files.probe) {
    const probe = await files.probe(fpath, role);
    if (!probe.ok) return probe;
  }
  const region = isNpy ? await npyRegion(rf, fpath) : await idxRegion(rf, fpath);
  if (region === null) return null;
  if (!region.ok) return region;
  const r = region.value;
  const fit = fitFeatureShape(fpath, r.shape, r.noun, ir);
  if (!fit.ok) return fit;
  const { count, slots } = fit.value;
  const per = r.shape.slice(1).reduce((a, b) => a * b, 1);
  // The targets' size is not known before they are read; the features alone decide, with at
  // least one target value a row.
  if (!(count * (per + 1) * 4 > budget)) return null;
  const length = await checkLength(rf, r);
  if (!length.ok) return length;
  const values = await checkValues(rf, r, count, per, slots);
  if (!values.ok) return values;
  const t = isNpy ? await npyFile(files, tpath, 'row') : await idxFile(files, tpath, 'label', false);
  if (!t.ok) return t;
  const targets: FileArray = t.value;
  const finite = checkFinite(targets);
  if (!finite.ok) return finite;
  const fitted = fitTargets(fpath, count, r.noun, targets, ir, options);
  if (!fitted.ok) return fitted;
  const set = fitted.value.set;
  const size = set.data.length / Math.max(1, count);
  const layout = rowLayout([
    ...slots.map((s) => ({ group: 'inputs' as const, name: s.name, sampleShape: s.shape, size: s.size, dtype: s.int ? ('int32' as const) : ('float32' as const) })),
    { group: 'targets' as const, name: fitted.value.name, sampleShape: set.sampleShape, size, dtype: set.data instanceof Int32Array ? ('int32' as const) : ('float32' as const) },
  ]);
  const reader = new RegionRows(rf, r, layout, per, set.data);
  return { ok: true, value: new DiskRows(reader, layout, count, { [fitted.value.name]: null }, blockRowsFor(layout.rowValues * 4, budget)) };
}
