// The subcommand table. Adding a command means adding one row here and one module beside
// it (`train.ts`, `predict.ts`, ...); main.ts reads usage and dispatch from this table only.

import { runCheck } from './check';
import { runExport } from './export';
import { runImport } from './import';
import { runPredict } from './predict';
import { runTrain } from './train';
import type { Command } from './io';

export interface CommandEntry {
  name: string;
  /** One line shown in `netspec --help`. */
  summary: string;
  run: Command;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'check', summary: 'check FILE... [--json]              report diagnostics and shapes', run: runCheck },
  {
    name: 'train',
    summary: 'train FILE [--model NAME] [--epochs N] [--backend webgpu|wasm|cpu] [--out W] [--json]',
    run: runTrain,
  },
  {
    name: 'predict',
    summary: 'predict FILE --weights W --data SOURCE_FILE [--json]',
    run: runPredict,
  },
  {
    name: 'export',
    summary: 'export FILE --format onnx|pytorch|tfjs|keras [--model NAME] [--weights W] [--out DIR] [--quantize int8] [--json]',
    run: runExport,
  },
  {
    name: 'import',
    summary: 'import FILE [--out FILE.netspec] [--weights W] [--json]   a Keras / TF.js model as Netspec',
    run: runImport,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
