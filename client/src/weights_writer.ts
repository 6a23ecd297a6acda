// Where a run's weights go and how they get there. The file is `<Model>.safetensors`
// beside the model file (the CLI's default too), or in the `netspec.weightsFolder` setting's
// folder. Writing goes through a temporary file and a rename, so a crash or a second write
// in flight never leaves a half-written checkpoint under the real name. The file name and
// the temporary file's name (unique per write: process id and a random part, beside the
// target) follow engine/catalog/weights_file.ts, the contract the CLI's writer follows
// too. The file system is injected (train_command.ts passes `vscode.workspace.fs`, which
// has no fsync), so tests run without an editor.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { weightsFileName, weightsTempName } from '../../engine/catalog/weights_file';

/** The operations the writer needs, by absolute path. */
export interface WriteFs {
  writeFile(p: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(p: string): Promise<void>;
  mkdir(p: string): Promise<void>;
}

/**
 * The weights file for `model` defined in `modelFile`. `folder` is the setting: empty means
 * beside the model, a relative folder is taken against `workspaceFolder` (or the model's
 * folder outside a workspace), an absolute one as it is.
 */
export function weightsPath(modelFile: string, model: string, folder: string, workspaceFolder?: string): string {
  const name = weightsFileName(model);
  const beside = path.dirname(modelFile);
  if (!folder) return path.join(beside, name);
  return path.resolve(workspaceFolder ?? beside, folder, name);
}

/** Writes `bytes` to `target` through a unique temporary file beside it and a rename; the error, if any, as a message. */
export async function writeWeights(target: string, bytes: Uint8Array, fs: WriteFs): Promise<string | null> {
  const tmp = path.join(path.dirname(target), weightsTempName(path.basename(target), process.pid, randomBytes(8).toString('hex')));
  try {
    await fs.mkdir(path.dirname(target));
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
    return null;
  } catch (e) {
    await fs.remove(tmp).catch(() => undefined);
    return `cannot write the weights to ${target}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * The bytes of a `weights` message. VS Code delivers typed arrays from a webview as typed
 * arrays, but an older host or a JSON round trip gives an ArrayBuffer, a plain array or an
 * index-keyed object; anything else is null.
 */
export function toBytes(x: unknown): Uint8Array | null {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (Array.isArray(x)) return x.every((v) => typeof v === 'number') ? Uint8Array.from(x) : null;
  if (x !== null && typeof x === 'object') {
    const values = Object.values(x as Record<string, unknown>);
    const keys = Object.keys(x as Record<string, unknown>);
    if (keys.every((k, i) => k === String(i)) && values.every((v) => typeof v === 'number')) return Uint8Array.from(values as number[]);
  }
  return null;
}
