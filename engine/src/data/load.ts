// The CLI's front door to training data: a TrainDataSource (csv, json, npy, idx, images)
// and the model IR in, a Dataset shaped to the model out, or an error value that names the
// file, the line and column where there is one, and the fix. Also the validation set: a
// fraction held out after a seeded shuffle, or a second source read the same way with the
// training labels (the split is the engine's splitValidation, which the editor uses
// too). CSV files are streamed when the DataFiles can (csv_stream_load.ts), so their text
// is never held whole; the other formats are read into memory.

import type { ModelIR } from '../../catalog/ir';
import type { TrainDataSource, TrainIR } from '../../catalog/train_ir';
import { dataFail, type DataResult } from './data_error';
import { csvTable, jsonTable } from './records';
import { splitValidation } from '../train/dataset';
// The loop's default seed, so the split and the shuffles agree when the block sets none.
import { DEFAULT_SEED } from '../train/run';
import type { Dataset } from '../train/types';
import { loadIdx, loadNpy } from './arrays';
import { loadImages } from './images';
import type { LoadOptions } from './load_options';
import { extname, readText, type DataFiles } from './files';
import { tableDataset } from './tabular';
import { loadCsvStreamed } from './csv_stream_load';

export type { LoadOptions } from './load_options';


/** Checks that a file exists and is not empty before it is streamed, with read()'s messages. */
async function probeFile(files: DataFiles, path: string, role: string): Promise<DataResult<true>> {
  if (files.probe) return files.probe(path, role);
  return { ok: true, value: true };
}

/** Reads a data source into a Dataset shaped to `ir`; never throws. */
export async function loadDataset(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset>> {
  try {
    switch (source.kind) {
      case 'csv':
      case 'json': {
        if (source.kind === 'csv' && options.files.stream) {
          const files = options.files as LoadOptions['files'] & { stream: NonNullable<DataFiles['stream']> };
          // A missing or empty file is reported as the whole-file reader reports it.
          const probe = await probeFile(files, source.path ?? '', 'CSV file');
          if (!probe.ok) return probe;
          return await loadCsvStreamed(source, ir, { ...options, files });
        }
        const path = source.path ?? '';
        const text = await readText(options.files, path, `${source.kind.toUpperCase()} file`);
        if (!text.ok) return text;
        const table = source.kind === 'csv' ? csvTable(text.value, path) : jsonTable(text.value, path);
        if (!table.ok) return table;
        return tableDataset(table.value, source, ir, options);
      }
      case 'npy':
        return await loadNpy(source, ir, options);
      case 'idx':
        return await loadIdx(source, ir, options);
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
  const validation = await loadDataset(v, ir, { ...options, labels: data.value.labels });
  if (!validation.ok) return validation;
  return { ok: true, value: { train: data.value, validation: validation.value } };
}

/**
 * The source that prediction reads: the train block's source with its file swapped for
 * `path` (a .csv, .json, .npy or IDX file), so the same features are picked the same way.
 */
export function predictionSource(path: string, trained: TrainDataSource | null): DataResult<TrainDataSource> {
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  const base = { target: trained?.target, features: trained?.features };
  if (ext === '.csv') return { ok: true, value: { kind: 'csv', path, ...base } };
  if (ext === '.json') return { ok: true, value: { kind: 'json', path, ...base } };
  if (ext === '.npy') return { ok: true, value: { kind: 'npy', files: { features: path } } };
  if (/ubyte|\.idx/i.test(path)) return { ok: true, value: { kind: 'idx', files: { images: path } } };
  return dataFail(path, 'prediction reads a .csv, .json, .npy or IDX (*-ubyte[.gz]) file; this file has none of those names', undefined, 'data-mismatch');
}
