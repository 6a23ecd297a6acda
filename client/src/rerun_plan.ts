// Re-run (the runs list): the model as it is now, trained with the settings a recorded run
// used. run.json keeps those settings in the form people compare (engine/catalog/run_record.ts
// `runSettingsOf`), so here they are turned back into the lowered train block's fields over
// the current block; what the record does not keep (targets, metrics, loss weights) stays as
// the block has it now. A field an older record lacks keeps the current value too.

import type { RunSettings } from '../../engine/catalog/run_record';
import type { TrainDataSource, TrainIR, TrainRegularizer, TrainSchedule } from '../../engine/catalog/train_ir';

/** What a Re-run request carries into the Train command: the run and its recorded settings. */
export interface RerunRequest {
  id: string;
  name: string;
  settings: RunSettings;
}

export type RerunTrain = { train: TrainIR } | { problem: string };

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `name(k=v, k2=v2)` as runSettingsOf writes a schedule or regularizer; null when it does not read so. */
export function parseCall(text: string): { name: string; args: Record<string, number> } | null {
  const m = /^\s*([A-Za-z_][\w]*)\s*\((.*)\)\s*$/.exec(text);
  if (!m) return null;
  const args: Record<string, number> = {};
  for (const part of m[2].split(',').map((p) => p.trim()).filter(Boolean)) {
    const kv = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(part);
    if (!kv || !Number.isFinite(Number(kv[2]))) return null;
    args[kv[1]] = Number(kv[2]);
  }
  return { name: m[1], args };
}

/** The data source with the recorded path(s): the file the run read, even if the block now names another. */
function dataOf(recorded: string, current: TrainDataSource | null): TrainDataSource | string {
  if (!current) return 'the train block names no data any more';
  if (current.path !== undefined) return current.path === recorded ? current : { ...current, path: recorded };
  if (current.files) {
    const keys = Object.keys(current.files);
    const paths = recorded.split(', ');
    if (paths.length !== keys.length) return `it read ${recorded}, but the ${current.kind} source now names ${keys.length} file(s)`;
    return { ...current, files: Object.fromEntries(keys.map((k, i) => [k, paths[i]])) };
  }
  return `it read ${recorded}, which the ${current.kind} source cannot name`;
}

/** A validation source recorded by its path (or kind): the current source, pointed at that path. */
function validationOf(recorded: string, current: TrainIR['validation']): TrainIR['validation'] | string {
  if (current === null || typeof current === 'number') return `it validated on ${recorded}, which the train block no longer names`;
  if (current.path === recorded || (current.path === undefined && current.kind === recorded)) return current;
  if (current.path !== undefined) return { ...current, path: recorded };
  return `it validated on ${recorded}, which the ${current.kind} source cannot name`;
}

/**
 * The current lowered train block with every recorded setting put back: epochs, batch size,
 * optimizer and its arguments, loss, validation, seed, early stopping, schedule, regularizer
 * and the data file(s). A problem (a recorded setting the block cannot take now) instead
 * of a train block, said so that it can follow "cannot re-run <run>: ".
 */
export function settingsToTrainOverrides(settings: Partial<RunSettings> | null | undefined, current: TrainIR): RerunTrain {
  const s = (typeof settings === 'object' && settings !== null ? settings : {}) as Partial<RunSettings>;
  const train: TrainIR = { ...current, optimizer: { ...current.optimizer, args: { ...current.optimizer.args } } };
  if (isNum(s.epochs) && s.epochs > 0) train.epochs = s.epochs;
  if (isNum(s.batchSize) && s.batchSize > 0) train.batchSize = s.batchSize;
  if (typeof s.optimizer === 'string' && s.optimizer) {
    const args = typeof s.optimizerArgs === 'object' && s.optimizerArgs !== null ? { ...s.optimizerArgs } : {};
    if (isNum(s.lr)) args.lr = s.lr;
    train.optimizer = { name: s.optimizer as TrainIR['optimizer']['name'], args };
  }
  if (typeof s.loss === 'string' || (typeof s.loss === 'object' && s.loss !== null)) train.loss = typeof s.loss === 'string' ? s.loss : { ...s.loss };
  if (s.seed === null || isNum(s.seed)) train.seed = s.seed;
  if (s.earlyStopping === null || isNum(s.earlyStopping)) train.earlyStopping = s.earlyStopping;
  if (s.validation === null || isNum(s.validation)) train.validation = s.validation;
  else if (typeof s.validation === 'string') {
    const v = validationOf(s.validation, current.validation);
    if (typeof v === 'string') return { problem: v };
    train.validation = v;
  }
  if (s.schedule === null) train.schedule = null;
  else if (typeof s.schedule === 'string') {
    const call = parseCall(s.schedule);
    if (!call) return { problem: `its schedule ${s.schedule} cannot be read back` };
    train.schedule = call as TrainSchedule;
  }
  if (s.regularizer === null) train.regularizer = null;
  else if (typeof s.regularizer === 'string') {
    const call = parseCall(s.regularizer);
    if (!call || !isNum(call.args.l1) || !isNum(call.args.l2)) return { problem: `its regularizer ${s.regularizer} cannot be read back` };
    train.regularizer = { name: call.name, l1: call.args.l1, l2: call.args.l2 } as TrainRegularizer;
  }
  if (typeof s.data === 'string' && s.data) {
    const d = dataOf(s.data, current.data);
    if (typeof d === 'string') return { problem: d };
    train.data = d;
  }
  return { train };
}

/** A Re-run request from a command argument, or undefined when it does not look like one. */
export function parseRerun(x: unknown): RerunRequest | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.settings !== 'object' || o.settings === null) return undefined;
  return { id: o.id, name: typeof o.name === 'string' ? o.name : o.id, settings: o.settings as RunSettings };
}
