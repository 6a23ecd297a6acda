// The command line's only contact with the outside world. Every subcommand takes a CliIO
// instead of touching process.stdout or the file system, so a command is a plain function
// that the unit tests can drive with strings and the real entry point drives with Node.

import { readFile } from 'node:fs/promises';

export interface CliIO {
  /** Writes text to standard output (the caller supplies newlines). */
  out(text: string): void;
  /** Writes text to standard error (the caller supplies newlines). */
  err(text: string): void;
  /** Reads a file as UTF-8 text; rejects with a Node error (with `code`) when it cannot. */
  readText(path: string): Promise<string>;
  /** The directory relative paths are resolved against. */
  cwd: string;
}

/** A subcommand: its arguments after the command name, the IO, and the exit status it returns. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** The real IO of a running process. */
export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readText: (path) => readFile(path, 'utf8'),
    cwd: process.cwd(),
  };
}
