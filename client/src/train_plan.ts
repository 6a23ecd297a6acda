// The decisions of the Train command that need no editor: what the command's argument
// means (the code lens passes `{uri, model}`, the editor title passes the file's Uri, the
// palette passes nothing), whether the server's `netspec/modelIR` answer can be trained, and
// how a training error reads in a notification. train_command.ts does the talking to VS Code.

import type { ModelIR } from '../../engine/catalog/ir';
import type { TrainIR } from '../../engine/catalog/train_ir';
import type { RunSnapshot } from '../../webview/protocol';
import { parseRerun, type RerunRequest } from './rerun_plan';

/** The Train Model command's id (commands.ts registers it; the panel's Train again and Re-run run it). */
export const TRAIN_COMMAND = 'netspec.train';

/** The `netspec/modelIR` answer (server/src/ide/summary.ts `modelIR`). */
export interface ModelIRResponse {
  models: { name: string }[];
  ir: ModelIR | null;
  /** Absent from an older server or for a document the server does not have open. */
  train?: TrainIR | null;
  /** The models with a train block, in file order. */
  trained?: string[];
}

export interface TrainArgs {
  uri?: string;
  model?: string;
  /** Re-run of a recorded run: train with its settings instead of the block's (rerun_plan.ts). */
  rerun?: RerunRequest;
}

/** Reads the command's argument: `{uri, model}`, a Uri (anything with `scheme`), a URI string, or nothing. */
export function parseTrainArgs(arg: unknown): TrainArgs {
  if (typeof arg === 'string') return { uri: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const o = arg as Record<string, unknown>;
  if (typeof o.scheme === 'string' && typeof o.toString === 'function' && !('uri' in o)) return { uri: String(arg) };
  const out: TrainArgs = {};
  if (typeof o.uri === 'string') out.uri = o.uri;
  else if (typeof o.uri === 'object' && o.uri !== null && typeof (o.uri as { scheme?: unknown }).scheme === 'string') out.uri = String(o.uri);
  if (typeof o.model === 'string' && o.model !== '') out.model = o.model;
  const rerun = parseRerun(o.rerun);
  if (rerun) out.rerun = rerun;
  return out;
}

/**
 * Which model to train: the one asked for, else the only model with a train block; several
 * mean the user picks (`choices`), none is an error.
 */
export function chooseModel(
  asked: string | undefined,
  response: ModelIRResponse,
): { model: string } | { choices: string[] } | { error: string } {
  if (asked !== undefined) return { model: asked };
  const trained = response.trained ?? [];
  if (trained.length === 1) return { model: trained[0] };
  if (trained.length > 1) return { choices: [...trained] };
  return { error: 'this file has no train block; add one, for example `train MyModel { data = csv("data.csv", target="label") }`' };
}

/** Why the answer cannot be trained, or null when it can. */
export function refusal(model: string, response: ModelIRResponse): string | null {
  if (!response.models.some((m) => m.name === model)) {
    const names = response.models.map((m) => m.name).join(', ') || 'none';
    return `this file has no model ${model} (its models: ${names})`;
  }
  if (!response.ir) return `the model ${model} has errors; fix them first (see the Problems panel)`;
  if (!response.train) return `the model ${model} has no train block`;
  if (!response.train.data) return `the train block of ${model} names no data; add \`data = csv("file.csv", target="column")\``;
  return null;
}

/** A failed run's error as one sentence, with the layer and line when the engine named them. */
export function describeFailure(snapshot: RunSnapshot): string {
  const e = snapshot.error as { code?: string; message?: string; node?: string; line?: number; epoch?: number } | undefined;
  if (!e) return 'training failed for an unknown reason';
  const where: string[] = [];
  if (typeof e.epoch === 'number') where.push(`epoch ${e.epoch}`);
  if (e.node) where.push(`layer ${e.node}`);
  if (typeof e.line === 'number') where.push(`line ${e.line + 1}`);
  return `${e.message ?? e.code ?? 'training failed'}${where.length ? ` (${where.join(', ')})` : ''}`;
}

/** A run id that is unique enough within one window. */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
