// The webview's entry to the data loaders: the extension read the files a train block names
// and sent their bytes; this wraps them as in-memory DataFiles and loads the training and
// validation sets exactly as `netspec train` does, so the panel and the CLI agree.

import type { ModelIR } from '../../catalog/ir';
import type { TrainIR } from '../../catalog/train_ir';
import type { DataResult } from './data_error';
import { memoryFiles, type DataFiles } from './files';
import { loadTrainingData, type TrainingData } from './load';

export function prepareData(
  train: TrainIR,
  files: ReadonlyMap<string, Uint8Array>,
  ir: ModelIR,
  gunzip: DataFiles['gunzip'],
  decodeImage?: DataFiles['decodeImage'],
): Promise<DataResult<TrainingData>> {
  return loadTrainingData(train, ir, memoryFiles(files, gunzip, decodeImage));
}
