// The contract every export format implements: what goes in (the checked model's IR, its
// train block, its weights by engine name) and what comes out (files as bytes or text,
// relative to the export folder, or an error value naming the layer a format cannot
// express). Exporters never touch the file system: the CLI and the editor write the files
// (into a temporary folder renamed at the end, so nothing is ever half-written), and tests
// can read them from memory.

import type { ModelIR } from '../../catalog/ir';
import type { TrainIR } from '../../catalog/train_ir';
import type { Dataset } from '../data/dataset';
import type { NamedArray } from '../train/types';

export const EXPORT_FORMATS = ['onnx', 'pytorch', 'tfjs', 'keras'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportSource {
  model: ModelIR;
  /** The model's lowered train block; null when the file has none for this model. */
  train: TrainIR | null;
  /** Every weight of the model in the engine's order and names ("dense/kernel", Keras layouts). */
  weights: NamedArray[];
  /** False when no weights file was given and `weights` are freshly initialised. */
  trained: boolean;
  /** The weights file's safetensors metadata (labels, model, ...); empty when untrained. */
  metadata: Record<string, string>;
  /** The absolute path of the .netspec file (data paths in `train` are already absolute). */
  modelFile: string;
}

export interface ExportOptions {
  quantize: 'int8' | null;
  /**
   * Optional: loads the train block's validation data (its training data when it has no
   * validation) and its training data, so a quantizing exporter can calibrate activations and
   * measure the accuracy change. Absent in callers
   * that cannot read data; an exporter then says the change was not measured.
   */
  validation?: () => Promise<ValidationData>;
}

export type ValidationData =
  | {
    ok: true;
    data: Dataset;
    what: string;
    /** The train block's training rows, to calibrate int8's activation ranges on (a sample is taken). */
    calibration?: Dataset;
  }
  | { ok: false; message: string };

export interface ExportFile {
  /** A path relative to the export folder, with forward slashes. */
  path: string;
  data: Uint8Array | string;
}

export interface ExportError {
  message: string;
  /** The IR node the problem belongs to, with its 0-based source line, where there is one. */
  node?: string;
  line?: number;
}

export type ExportOutcome =
  | {
      ok: true;
      files: ExportFile[];
      /** Sentences for the user (e.g. "weights are freshly initialised"). */
      notes: string[];
      /** Figures for `--json` (sizes, accuracy change of a quantized model, ...). */
      report?: Record<string, unknown>;
    }
  | { ok: false; error: ExportError };

export interface Exporter {
  format: ExportFormat;
  /** One line for `netspec export --help`. */
  summary: string;
  /** Whether `--quantize int8` applies to this format. */
  quantizes: boolean;
  run(source: ExportSource, options: ExportOptions): Promise<ExportOutcome>;
}
