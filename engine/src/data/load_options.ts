// The options every data reader takes: the losses that decide class or value targets,
// whether targets are read at all (prediction ignores them), and the training labels that
// validation and prediction data must map onto.

import type { TrainIR } from '../../catalog/train_ir';
import type { DataFiles } from './files';

export interface LoadOptions {
  config: Pick<TrainIR, 'loss'>;
  /** 'required' when training; 'ignore' when predicting (target columns are still not features). */
  targets: 'required' | 'ignore';
  /** By output: the labels of the training data, so the same label gets the same index. */
  labels?: Record<string, string[] | null>;
  /** The training vocabulary of a text source, which validation and prediction data are read with. */
  vocab?: string[];
  /** Where the bytes come from: the disk in the CLI, memory in the webview. */
  files: DataFiles;
  /**
   * Bytes the numeric arrays of a streamed CSV may take in memory; above it, and where
   * `files.createRowStore` exists, its rows go to a temporary file (disk_rows.ts). Unset: no limit.
   */
  budgetBytes?: number;
}
