// Reading a lowered train setting back against the catalog: a function call's arguments
// checked for type and range and completed with the defaults, and the TrainIR of a block
// that says nothing. The engine resolves through here, so a TrainIR written by hand (a test,
// the webview) meets the same rules and defaults as one lowered from a checked block.

import { checkArgs } from '../layers/define';
import type { ResolvedArgs } from '../types';
import type { TrainIR } from '../train_ir';
import { argDefaults, byName, type TrainFunction } from './define';
import { DEFAULT_LOSS } from './losses';
import { DEFAULT_OPTIMIZER, OPTIMIZERS } from './optimizers';
import { SETTINGS, type FunctionFamily } from './settings';

export type Resolved<T extends TrainFunction> = { ok: true; entry: T; args: Record<string, number | boolean> } | { ok: false; message: string };

/** `{name, args}` against a family: unknown names, missing and out-of-range arguments are messages. */
export function resolveCall<T extends TrainFunction>(family: FunctionFamily<T>, call: { name: string; args?: Readonly<ResolvedArgs> }): Resolved<T> {
  const entry = byName(family.entries, call.name);
  if (!entry) return { ok: false, message: `unknown ${family.what} ${call.name}; use one of ${family.entries.map((e) => e.name).join(', ')}` };
  const bound = checkArgs(call.name, entry.args, { ...(call.args ?? {}) });
  // checkArgs words its messages for layers ("adam's `lr` must be ..."); the family says what it is.
  if ('issue' in bound) return { ok: false, message: `${family.what} ${'issue' in bound.issue ? bound.issue.issue.message : call.name}` };
  const args: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(bound.args)) if (typeof v === 'number' || typeof v === 'boolean') args[k] = v;
  return { ok: true, entry, args };
}

/** The int settings' defaults by TrainIR field (epochs, batchSize), null where there is none. */
function intDefault(field: string): number | null {
  for (const s of SETTINGS) if (s.kind === 'int' && s.field === field && typeof s.value.default === 'number') return s.value.default;
  return null;
}

/** The TrainIR of a train block with no settings: every default filled in. */
export function defaultTrainIR(model: string): TrainIR {
  return {
    model,
    data: null,
    validation: null,
    loss: DEFAULT_LOSS,
    lossWeights: null,
    optimizer: { name: DEFAULT_OPTIMIZER, args: argDefaults(byName(OPTIMIZERS, DEFAULT_OPTIMIZER)!) },
    regularizer: null,
    epochs: intDefault('epochs')!,
    batchSize: intDefault('batchSize')!,
    metrics: [],
    seed: intDefault('seed'),
    earlyStopping: intDefault('earlyStopping'),
  };
}
