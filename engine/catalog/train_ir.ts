// The train settings of spec §5 as plain JSON, the way the engine and the CLI read them:
// the data source with its path resolved against the model file, and every setting with its
// default filled in. `lowerTrain` in lower.ts produces it from a checked train block. The
// names each field admits come from the train catalog (train/).

import type { OptimizerName } from './train/optimizers';
import type { RegularizerName } from './train/regularizers';
import type { ScheduleName } from './train/schedules';
import type { SourceName } from './train/sources';

export interface TrainDataSource {
  kind: SourceName;
  /** The main file or folder, resolved against the model file's folder (csv, json, images). */
  path?: string;
  /** Other files by argument name, resolved likewise (npy: features, targets; idx: images, labels). */
  files?: Record<string, string>;
  /** The target column(s): one name, several, or one per output. */
  target?: string | string[] | Record<string, string>;
  features?: string[];
  /** A text column fed to the one input as word ids (engine/src/data/text.ts). */
  text?: TextColumn;
}

/** `text=COL, vocab=N, length=L` of a csv or json source. */
export interface TextColumn {
  column: string;
  /** Ids in all, 0 (padding) and 1 (unknown) included. */
  vocab: number;
  /** Ids per sample. */
  length: number;
}

export interface TrainOptimizer {
  name: OptimizerName;
  args: Record<string, number | boolean>;
}

export interface TrainRegularizer {
  name: RegularizerName;
  l1: number;
  l2: number;
}

/** A learning-rate schedule (engine/src/train/schedule.ts says what each name computes). */
export interface TrainSchedule {
  name: ScheduleName;
  args: Record<string, number>;
}

export interface TrainIR {
  model: string;
  data: TrainDataSource | null;
  /** A fraction held out, or another data source. */
  validation: number | TrainDataSource | null;
  /** One loss for every output, or one per output name. */
  loss: string | Record<string, string>;
  lossWeights: Record<string, number> | null;
  optimizer: TrainOptimizer;
  regularizer: TrainRegularizer | null;
  epochs: number;
  batchSize: number;
  /**
   * A list applies each metric to the outputs it fits (classification metrics to outputs
   * trained with cross_entropy or binary_cross_entropy, mae and mse to every output); a
   * dict names the metrics of each output.
   */
  metrics: string[] | Record<string, string[]>;
  seed: number | null;
  earlyStopping: number | null;
  /** Optional: absent or null means a constant learning rate (the optimizer's lr). */
  schedule?: TrainSchedule | null;
}

/**
 * The seed of a run whose train block gives none (Keras examples' favourite, and spec §5's):
 * the model's initial weights, the epochs' shuffles and a `validation = 0.2` split all draw
 * from it, so the CLI and the editor split and train alike.
 */
export const DEFAULT_SEED = 42;
