// The subcommand table. Adding a command means adding one row here and one module beside
// it (`train.ts`, `predict.ts`, ...); main.ts reads usage and dispatch from this table only.

import { runCheck } from './check';
import type { CliIO, Command } from './io';

export interface CommandEntry {
  name: string;
  /** One line shown in `netspec --help`. */
  summary: string;
  run: Command;
}

/** Stands in for a command that another change will provide. */
function notImplemented(name: string): Command {
  return async (_args: string[], io: CliIO) => {
    io.err(`netspec ${name}: not implemented yet\n`);
    return 2;
  };
}

export const COMMANDS: CommandEntry[] = [
  { name: 'check', summary: 'check FILE... [--json]              report diagnostics and shapes', run: runCheck },
  {
    name: 'train',
    summary: 'train FILE [--model NAME] [--epochs N] [--backend webgpu|cpu] [--out W] [--json]',
    run: notImplemented('train'),
  },
  {
    name: 'predict',
    summary: 'predict FILE --weights W --data SOURCE_FILE [--json]',
    run: notImplemented('predict'),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
