// What a layer's forward needs besides its inputs: its weights by Keras name, its resolved
// arguments, whether it is training, and the randomness and state-update hooks. Every layer
// implementation has the same signature, so the model walks the IR without knowing layers.
//
// Arguments arrive resolved by the catalog (resolveArgs: defaults filled, size2 as pairs),
// so forwards repeat no defaults; the readers below only narrow a value's type.

import type { ResolvedArgs } from '../../catalog/types';
import type { Tensor } from '../tensor';

export interface LayerContext {
  training: boolean;
  /** Seed and step for dropout masks; `salt` separates layers within one step. */
  seed: number;
  step: number;
  salt: number;
  /** Non-trainable state to set after the step (BatchNorm's moving statistics). */
  updates: { target: Tensor; value: () => Tensor }[];
}

export type LayerForward = (inputs: Tensor[], weights: Record<string, Tensor>, args: ResolvedArgs, ctx: LayerContext) => Tensor;

function unresolved(name: string, want: string): Error {
  return new Error(`argument ${name} is not a resolved ${want}`);
}

export function num(args: ResolvedArgs, name: string): number {
  const v = args[name];
  if (typeof v !== 'number') throw unresolved(name, 'number');
  return v;
}

export function bool(args: ResolvedArgs, name: string): boolean {
  const v = args[name];
  if (typeof v !== 'boolean') throw unresolved(name, 'flag');
  return v;
}

export function str(args: ResolvedArgs, name: string): string {
  const v = args[name];
  if (typeof v !== 'string') throw unresolved(name, 'string');
  return v;
}

export function pairOf(args: ResolvedArgs, name: string): [number, number] {
  const v = args[name];
  if (!Array.isArray(v) || v.length !== 2) throw unresolved(name, 'pair');
  return [v[0], v[1]];
}

export function ints(args: ResolvedArgs, name: string): number[] {
  const v = args[name];
  if (!Array.isArray(v)) throw unresolved(name, 'list of integers');
  return v;
}
