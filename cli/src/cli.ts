// The top level of the `netspec` command: global flags (`--help`, `--version`) and
// dispatch to a subcommand. Kept apart from main.ts so that it is a function of its
// arguments and IO, with no side effects at import time.

import pkg from '../../package.json';
import { COMMANDS, findCommand } from './commands';
import type { CliIO } from './io';

export const VERSION: string = (pkg as { version: string }).version;

export function usage(): string {
  const rows = COMMANDS.map((c) => `  netspec ${c.summary}`).join('\n');
  return `usage: netspec <command> [options]

Commands:
${rows}

Options:
  --help       show this help (or \`netspec <command> --help\`)
  --version    print the version
`;
}

/** Runs the command line `argv` (without node and the script) and returns the exit status. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(usage());
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(usage());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = findCommand(first);
  if (!command) {
    io.err(`netspec: unknown command '${first}'\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Commands report user errors themselves; reaching here is a bug, reported plainly.
    io.err(`netspec ${first}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}
