// Reading a `--weights W` argument, shared by `netspec predict` and `netspec export`: the
// file's bytes, its safetensors structure and finite values, each fault printed as
// `W: error: ...` with exit status 2. The weights come first in both commands because their
// metadata names the model when the file has several.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeSafetensors } from '../../engine/src/io/safetensors';
import { firstNonFinite } from '../../engine/src/train/weights';
import type { NamedArray } from '../../engine/src/train/types';
import type { CliIO } from './io';
import { EXIT, type Step } from './model_pick';

export interface WeightsFile {
  path: string;
  arrays: NamedArray[];
  metadata: Record<string, string>;
}

/** Reads and checks the weights file `arg` (relative to the working directory). */
export async function readWeightsArg(arg: string, io: CliIO): Promise<Step<WeightsFile>> {
  const path = resolve(io.cwd, arg);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    io.err(`${arg}: error: cannot read the weights file (${(e as { code?: string }).code ?? 'EIO'})\n`);
    return { ok: false, status: EXIT.usage };
  }
  const decoded = decodeSafetensors(bytes);
  if (!decoded.ok) {
    io.err(`${arg}: error: not a safetensors file: ${decoded.message}\n`);
    return { ok: false, status: EXIT.usage };
  }
  const nonFinite = firstNonFinite(decoded.arrays);
  if (nonFinite) {
    io.err(`${arg}: error: ${nonFinite}\n`);
    return { ok: false, status: EXIT.usage };
  }
  return { ok: true, value: { path, arrays: decoded.arrays, metadata: decoded.metadata } };
}
