// The export formats by name: the CLI's `--format` and the editor's format picker read this
// table only, so a new format is one module plus one row here.

import type { ExportFormat, Exporter } from './types';
import { PYTORCH_EXPORTER } from './pytorch';

export const EXPORTERS: Partial<Record<ExportFormat, Exporter>> = {
  pytorch: PYTORCH_EXPORTER,
};

export function findExporter(format: string): Exporter | undefined {
  return (EXPORTERS as Record<string, Exporter | undefined>)[format];
}
