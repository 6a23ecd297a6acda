// The export formats by name: the CLI's `--format` and the editor's format picker read this
// table only, so a new format is one module plus one row here.

import { kerasExporter } from './keras';
import { onnxExporter } from './onnx/exporter';
import { PYTORCH_EXPORTER } from './pytorch';
import { tfjsExporter } from './tfjs';
import type { ExportFormat, Exporter } from './types';

export const EXPORTERS: Partial<Record<ExportFormat, Exporter>> = {
  onnx: onnxExporter,
  pytorch: PYTORCH_EXPORTER,
  tfjs: tfjsExporter,
  keras: kerasExporter,
};

export function findExporter(format: string): Exporter | undefined {
  return (EXPORTERS as Record<string, Exporter | undefined>)[format];
}
