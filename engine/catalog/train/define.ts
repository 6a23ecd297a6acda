// The vocabulary of the train catalog: how a loss, a metric, or a callable value of a train
// block (an optimizer, a regularizer, a schedule, a data source) describes itself. One entry
// carries everything every reader needs — its arguments with types, ranges and defaults for
// the checker, lowering and the engine; its doc and snippet for hover and completion — so a
// new entry is one object in one file.

import type { ArgSpec } from '../types';

/** A train-function argument. */
export interface TrainArgSpec extends ArgSpec {
  /** Written by position (`csv("data.csv")`, `l2(0.0001)`), so completion offers no `name=` for it. */
  positional?: boolean;
  /** A data-source file, resolved against the model file's folder. */
  file?: boolean;
  /** Column names of a tabular source: a name, a list, or a dict {output: "column"}. */
  columns?: boolean;
}

/** A bare word value: a loss or a metric. */
export interface TrainWord<N extends string = string> {
  readonly name: N;
  /** Hover and completion documentation. */
  readonly doc: string;
}

/** A callable value: `adam(lr=0.002)`, `cosine(decay_steps=1000)`, `csv("d.csv")`. */
export interface TrainFunction<N extends string = string> extends TrainWord<N> {
  /** Snippet inserted on completion; the bare name when absent. */
  readonly snippet?: string;
  /** Positional arguments bind in this order. */
  readonly args: readonly TrainArgSpec[];
}

/** A float argument. */
export function num(name: string, required: boolean, def: number | undefined, doc: string, extra: Partial<TrainArgSpec> = {}): TrainArgSpec {
  return { name, type: 'float', required, default: def, doc, ...extra };
}

/** A string argument (data sources). */
export function str(name: string, required: boolean, doc: string, extra: Partial<TrainArgSpec> = {}): TrainArgSpec {
  return { name, type: 'string', required, doc, ...extra };
}

/** The number and boolean defaults of a function's arguments, keyed by argument name. */
export function argDefaults(fn: TrainFunction): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const a of fn.args) if (typeof a.default === 'number' || typeof a.default === 'boolean') out[a.name] = a.default;
  return out;
}

/** The names completion offers inside a call's parentheses (`name=`). */
export function namedArgs(fn: TrainFunction): string[] {
  return fn.args.filter((a) => !a.positional).map((a) => a.name);
}

/** The entry called `name`, if the table has one. */
export function byName<T extends TrainWord>(table: readonly T[], name: string): T | undefined {
  return table.find((e) => e.name === name);
}

/** The names of a table, in catalog order. */
export function namesOf<T extends TrainWord>(table: readonly T[]): T['name'][] {
  return table.map((e) => e.name);
}
