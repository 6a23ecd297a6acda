// Reading a train block's data, wherever the bytes are (a DataFiles: the disk for the CLI,
// memory for the editor's webview): a TrainDataSource (csv, json, npy, idx, images) and the
// model IR in, a Dataset shaped to the model out, or an error value that names the file,
// the line and column where there is one, and the fix. Also the validation set: a fraction
// held out after a seeded shuffle, or a second source read the same way with the training
// labels (the split is dataset.ts's splitValidation, from the same seed in the CLI and the
// editor). CSV files are streamed when the DataFiles can (csv_stream_load.ts), so their
// text is never held whole; npy and uncompressed IDX files over the memory budget are read
// in place by byte range (array_rows.ts); the other formats are read into memory. Text
// files must be UTF-8: a bad byte is an error naming its line (utf8.ts), streamed or whole.

import type { ModelIR } from '../../catalog/ir';
import { DEFAULT_SEED, type TrainDataSource, type TrainIR } from '../../catalog/train_ir';
import { dataFail, type DataResult } from './data_error';
import { csvTable, jsonTable } from './records';
import { splitValidation, type Dataset } from './dataset';
import { loadIdx, loadNpy } from './arrays';
import { loadArrayRows } from './array_rows';
import { loadImages } from './images';
import type { LoadOptions } from './load_options';
import { extname, readText, type DataFiles } from './files';
import { tableDataset } from './tabular';
import { loadCsvStreamedSource } from './csv_stream_load';
import type { DiskRows } from './disk_rows';
import { Utf8Checker, utf8Message } from './utf8';
import type { BatchSource } from './batch_source';

export type { LoadOptions } from './load_options';


/** Checks that a file exists and is not empty before it is streamed, with read()'s messages. */
async function probeFile(files: DataFiles, path: string, role: string): Promise<DataResult<true>> {
  if (files.probe) return files.probe(path, role);
  return { ok: true, value: true };
}

type StreamFiles = DataFiles & { stream: NonNullable<DataFiles['stream']> };

/**
 * `files` whose streams check UTF-8 as they go. At a bad byte the stream yields the lines
 * before the bad one (so a fault there is still reported first), then records the fault,
 * which names the line, and ends with an exception; the caller reports the fault instead of
 * the reader's "cannot be read".
 */
function utf8Checked(files: StreamFiles): { files: StreamFiles; fault(): DataResult<never> | null } {
  let fault: DataResult<never> | null = null;
  async function* stream(path: string): AsyncIterable<Uint8Array> {
    const check = new Utf8Checker();
    for await (const chunk of files.stream(path)) {
      const f = check.push(chunk);
      if (f) {
        const lineStart = f.index > 0 ? chunk.lastIndexOf(0x0a, f.index - 1) + 1 : 0;
        if (lineStart > 0) yield chunk.subarray(0, lineStart);
        fault = dataFail(path, utf8Message(f), { line: f.line });
        throw new Error('invalid UTF-8');
      }
      yield chunk;
    }
    const f = check.end();
    if (f) {
      fault = dataFail(path, utf8Message(f), { line: f.line });
      throw new Error('invalid UTF-8');
    }
  }
  return { files: { ...files, stream }, fault: () => fault };
}

/** Reads a data source into a Dataset shaped to `ir`; never throws. */
export async function loadDataset(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset>> {
  return (await loadSource(source, ir, { ...options, budgetBytes: undefined })) as DataResult<Dataset>;
}

/** loadDataset, or rows on disk for a streamed CSV whose arrays exceed `options.budgetBytes`. */
async function loadSource(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset | DiskRows>> {
  try {
    switch (source.kind) {
      case 'csv':
      case 'json': {
        // A text column's vocabulary counts every row's words, so such a CSV is read whole.
        if (source.kind === 'csv' && options.files.stream && !source.text) {
          const files = options.files as StreamFiles;
          // A missing or empty file is reported as the whole-file reader reports it.
          const probe = await probeFile(files, source.path ?? '', 'CSV file');
          if (!probe.ok) return probe;
          const checked = utf8Checked(files);
          const loaded = await loadCsvStreamedSource(source, ir, { ...options, files: checked.files });
          return checked.fault() ?? loaded;
        }
        const path = source.path ?? '';
        const text = await readText(options.files, path, `${source.kind.toUpperCase()} file`);
        if (!text.ok) return text;
        const table = source.kind === 'csv' ? csvTable(text.value, path) : jsonTable(text.value, path);
        if (!table.ok) return table;
        return tableDataset(table.value, source, ir, options);
      }
      case 'npy':
        return (await loadArrayRows(source, ir, options)) ?? (await loadNpy(source, ir, options));
      case 'idx':
        return (await loadArrayRows(source, ir, options)) ?? (await loadIdx(source, ir, options));
      case 'images':
        return await loadImages(source, ir, options);
    }
    return dataFail(source.path ?? '', `unknown data source ${String((source as { kind: unknown }).kind)}`);
  } catch (e) {
    // The readers return error values; an exception here is a bug, reported against the file.
    return dataFail(source.path ?? Object.values(source.files ?? {})[0] ?? '', `the data could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

export interface TrainingData {
  train: Dataset;
  validation: Dataset | null;
}

/** The training set and the validation set of a train block, as loaded and split. */
export async function loadTrainingData(config: TrainIR, ir: ModelIR, files: DataFiles): Promise<DataResult<TrainingData>> {
  if (!config.data) return dataFail('', `the train block for ${config.model} has no data = ... setting`, undefined, 'data-mismatch');
  const options: LoadOptions = { config, targets: 'required', files };
  const data = await loadDataset(config.data, ir, options);
  if (!data.ok) return data;
  const v = config.validation;
  if (v === null || v === 0) return { ok: true, value: { train: data.value, validation: null } };
  if (typeof v === 'number') {
    const split = splitValidation(data.value, v, config.seed ?? DEFAULT_SEED);
    if (!split) return dataFail(config.data.path ?? '', `${data.value.count} sample(s) cannot be split into training and validation; add data or remove validation`, undefined, 'data-mismatch');
    return { ok: true, value: split };
  }
  const validation = await loadDataset(v, ir, { ...options, labels: data.value.labels, vocab: data.value.vocab });
  if (!validation.ok) return validation;
  return { ok: true, value: { train: data.value, validation: validation.value } };
}

export interface TrainingSources {
  train: Dataset | BatchSource;
  validation: Dataset | BatchSource | null;
  /** Deletes the temporary row files behind the sources, if any; call it however the run ends. */
  release(): Promise<void>;
}

/**
 * loadTrainingData with a memory budget (bytes) for the numeric arrays: a streamed CSV above
 * it becomes rows on disk (the DataFiles' row store), an npy or IDX source is read in place, and a `validation = 0.2` split of such
 * rows holds out as many rows as splitValidation, chosen block by block (DiskRows.split), as
 * two views of one file.
 */
export async function loadTrainingSources(config: TrainIR, ir: ModelIR, files: DataFiles, budgetBytes: number): Promise<DataResult<TrainingSources>> {
  if (!config.data) return dataFail('', `the train block for ${config.model} has no data = ... setting`, undefined, 'data-mismatch');
  // A fraction held out in memory is a copy of the arrays (splitValidation), so the arrays
  // and their copy together must fit: half the budget each.
  const fraction = typeof config.validation === 'number' && config.validation > 0 && config.validation < 1;
  const options: LoadOptions = { config, targets: 'required', files, budgetBytes: fraction ? budgetBytes / 2 : budgetBytes };
  const disks: DiskRows[] = [];
  const release = async () => {
    for (const d of disks.splice(0)) await d.store.delete();
  };
  const loaded = await loadSource(config.data, ir, options);
  if (!loaded.ok) return loaded;
  const data = loaded.value;
  if (!('kind' in data)) {
    // In memory: exactly loadTrainingData's split, so the numbers stay those of today.
    const v = config.validation;
    if (typeof v === 'number' && v !== 0) {
      const split = splitValidation(data, v, config.seed ?? DEFAULT_SEED);
      if (!split) return dataFail(config.data.path ?? '', `${data.count} sample(s) cannot be split into training and validation; add data or remove validation`, undefined, 'data-mismatch');
      return { ok: true, value: { ...split, release } };
    }
  } else disks.push(data);
  const v = config.validation;
  if (v === null || v === 0) return { ok: true, value: { train: data, validation: null, release } };
  if (typeof v === 'number') {
    const disk = data as DiskRows;
    if (!(disk.count >= 2 && v > 0 && v < 1)) {
      await release();
      return dataFail(config.data.path ?? '', `${disk.count} sample(s) cannot be split into training and validation; add data or remove validation`, undefined, 'data-mismatch');
    }
    // As many rows as splitValidation holds out, picked by a per-block rule (disk_rows.ts).
    const held = Math.min(Math.max(Math.round(disk.count * v), 1), disk.count - 1);
    const split = disk.split(config.seed ?? DEFAULT_SEED, held);
    return { ok: true, value: { train: split.train, validation: split.validation, release } };
  }
  const validation = await loadSource(v, ir, { ...options, labels: data.labels ?? undefined, vocab: 'vocab' in data ? data.vocab : undefined });
  if (!validation.ok) {
    await release();
    return validation;
  }
  if ('kind' in validation.value) disks.push(validation.value);
  return { ok: true, value: { train: data, validation: validation.value, release } };
}

/**
 * The source that prediction reads: the train block's source with its file swapped for
 * `path` (a .csv, .json, .npy or IDX file), so the same features are picked the same way.
 */
export function predictionSource(path: string, trained: TrainDataSource | null): DataResult<TrainDataSource> {
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  const base = { target: trained?.target, features: trained?.features, text: trained?.text };
  if (ext === '.csv') return { ok: true, value: { kind: 'csv', path, ...base } };
  if (ext === '.json') return { ok: true, value: { kind: 'json', path, ...base } };
  if (ext === '.npy') return { ok: true, value: { kind: 'npy', files: { features: path } } };
  if (/ubyte|\.idx/i.test(path)) return { ok: true, value: { kind: 'idx', files: { images: path } } };
  return dataFail(path, 'prediction reads a .csv, .json, .npy or IDX (*-ubyte[.gz]) file; this file has none of those names', undefined, 'data-mismatch');
}
