// A small, strict argument parser shared by the subcommands. It knows which flags take a
// value and which are booleans, accepts `--flag=value` and `--flag value`, treats `--` as
// the end of flags, and reports an unknown flag as an error value rather than throwing,
// so every command can answer bad usage with its usage text and exit status 2.

export interface FlagSpec {
  /** Flags that take no value, e.g. `json`. */
  booleans: string[];
  /** Flags that take one value, e.g. `model`. */
  values: string[];
}

export interface ParsedArgs {
  positional: string[];
  booleans: Set<string>;
  values: Map<string, string>;
}

export type ParseResult = { ok: true; args: ParsedArgs } | { ok: false; message: string };

/** Splits `argv` into positional arguments and known flags. */
export function parseArgs(argv: string[], spec: FlagSpec): ParseResult {
  const args: ParsedArgs = { positional: [], booleans: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.startsWith('-') && a !== '-') return { ok: false, message: `unknown option '${a}'` };
      args.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.booleans.includes(name)) {
      if (eq >= 0) return { ok: false, message: `option '--${name}' takes no value` };
      args.booleans.add(name);
    } else if (spec.values.includes(name)) {
      let value: string | undefined;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      if (value === undefined) return { ok: false, message: `option '--${name}' needs a value` };
      args.values.set(name, value);
    } else {
      return { ok: false, message: `unknown option '--${name}'` };
    }
  }
  return { ok: true, args };
}
