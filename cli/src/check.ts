// `netspec check FILE... [--json]`: the checker of the editor, on the command line, for CI
// (spec §7). Exit status: 0 when no file has an error (warnings alone pass), 1 when any
// diagnostic is an error, 2 on bad usage or when a file cannot be read. An unreadable
// file prints `path: error: cannot read file (ENOENT)` on stdout in text form, and an
// entry with an `error` field and no diagnostics in JSON form; the other files are still
// checked. Per-file summaries go to standard error so stdout stays one line per diagnostic.

import { resolve } from 'node:path';
import { checkText } from '../../server/src/sema/check';
import { parseArgs } from './args';
import { fileToJson, formatText, summarize, type FileOutcome } from './check_report';
import type { CliIO } from './io';

export const CHECK_USAGE = `usage: netspec check FILE... [--json]

Checks Netspec files and prints one line per diagnostic:
  path:line:col: severity[code]: message      (1-based line and column)
With --json, prints one object {"files":[{"path","diagnostics","models"}]} with
0-based LSP positions and shapes as arrays that start with "batch".

Exit status: 0 no errors (warnings allowed), 1 some error, 2 bad usage or unreadable file.
`;

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/** Reads and checks one path; never throws. */
export async function checkPath(path: string, io: CliIO): Promise<FileOutcome> {
  let text: string;
  try {
    text = await io.readText(resolve(io.cwd, path));
  } catch (e) {
    return { path, failure: `cannot read file (${errorCode(e)})` };
  }
  try {
    return { path, text, checked: checkText(text, { path: resolve(io.cwd, path) }) };
  } catch (e) {
    // The checker promises never to throw; if it does, say so rather than crash.
    return { path, failure: `internal checker error (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** The exit status for a set of outcomes (see the module comment). */
export function exitStatus(outcomes: FileOutcome[]): number {
  if (outcomes.some((o) => 'failure' in o)) return 2;
  const hasError = outcomes.some((o) => 'checked' in o && o.checked.diagnostics.some((d) => d.severity === 'error'));
  return hasError ? 1 : 0;
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['json', 'help'], values: [] });
  if (!parsed.ok) {
    io.err(`netspec check: ${parsed.message}\n${CHECK_USAGE}`);
    return 2;
  }
  const { positional, booleans } = parsed.args;
  if (booleans.has('help')) {
    io.out(CHECK_USAGE);
    return 0;
  }
  if (positional.length === 0) {
    io.err(`netspec check: no files given\n${CHECK_USAGE}`);
    return 2;
  }
  const outcomes: FileOutcome[] = [];
  for (const path of positional) outcomes.push(await checkPath(path, io));

  if (booleans.has('json')) {
    io.out(JSON.stringify({ files: outcomes.map(fileToJson) }) + '\n');
  } else {
    for (const o of outcomes) {
      if ('failure' in o) {
        io.out(`${o.path}: error: ${o.failure}\n`);
        continue;
      }
      const lines = formatText(o.path, o.text, o.checked);
      if (lines.length > 0) {
        io.out(lines.join('\n') + '\n');
        io.err(`${o.path}: ${summarize(o.checked)}\n`);
      }
    }
  }
  return exitStatus(outcomes);
}
