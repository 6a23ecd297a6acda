// The weights-file contract, in one place for every writer: the CLI (cli/src/weights_file.ts
// writes with Node's fs), the editor's extension (client/src/weights_writer.ts, through
// workspace.fs) and the panel's worker (which encodes the bytes). It says what the
// safetensors metadata holds (what `netspec predict` reads back), what the default file is
// called (MODEL.safetensors beside the model file), and how the temporary file of an atomic
// write is named: beside the target, unique per write (the writer's process id and a random
// part), so two runs writing the same output never share one, and a temporary file left by a
// process that was killed can be recognised by its process id and removed. Pure rules on
// strings: it imports nothing, so the client may use it without reaching the engine.

/** The `format` value of a Netspec weights file. */
export const WEIGHTS_FORMAT = 'netspec';

/** The labels of each output (null where the targets were class indices or values). */
export type OutputLabels = Record<string, readonly string[] | null>;

/**
 * The safetensors metadata that predict reads back: the model, each output's labels, the
 * epoch, and for a text source its vocabulary (`vocab`: JSON, the word of each id from 2 on).
 */
export function weightsMetadata(model: string, labels: OutputLabels | undefined, epoch: number, vocab?: readonly string[]): Record<string, string> {
  const meta: Record<string, string> = { format: WEIGHTS_FORMAT, model, labels: JSON.stringify(labels ?? {}), epoch: String(epoch) };
  if (vocab) meta.vocab = JSON.stringify(vocab);
  return meta;
}

/** The default weights file's name for `model`: MODEL.safetensors, with any character that could leave the folder replaced. */
export function weightsFileName(model: string): string {
  const safe = model.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+$/, '_') || 'model';
  return `${safe}.safetensors`;
}

/** The default weights file: MODEL.safetensors in the folder of `modelFile` ('/' or '\' separated). */
export function defaultWeightsPath(modelFile: string, model: string): string {
  const cut = Math.max(modelFile.lastIndexOf('/'), modelFile.lastIndexOf('\\'));
  const name = weightsFileName(model);
  if (cut < 0) return name;
  return `${modelFile.slice(0, cut + 1)}${name}`;
}

/**
 * The temporary file's name for one write of `targetName` (a file name, not a path): in
 * the same folder, so the final rename never crosses file systems; `pid` names the writing
 * process and `unique` (a random string of letters and digits) tells one write from another.
 */
export function weightsTempName(targetName: string, pid: number, unique: string): string {
  return `${targetName}.${pid}-${unique}.tmp`;
}

/** The process id in a temporary name that `weightsTempName(targetName, …)` made, or null for any other name. */
export function weightsTempPid(targetName: string, name: string): number | null {
  if (!name.startsWith(`${targetName}.`) || !name.endsWith('.tmp')) return null;
  const middle = name.slice(targetName.length + 1, -'.tmp'.length);
  const m = /^(\d+)-[A-Za-z0-9]+$/.exec(middle);
  return m ? Number(m[1]) : null;
}
