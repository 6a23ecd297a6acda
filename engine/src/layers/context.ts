// What a layer's forward needs besides its inputs: its weights by Keras name, its resolved
// arguments, whether it is training, and the randomness and state-update hooks. Every layer
// implementation has the same signature, so the model walks the IR without knowing layers.

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

export function num(args: ResolvedArgs, name: string, fallback: number): number {
  const v = args[name];
  return typeof v === 'number' ? v : fallback;
}

export function bool(args: ResolvedArgs, name: string, fallback: boolean): boolean {
  const v = args[name];
  return typeof v === 'boolean' ? v : fallback;
}

export function str(args: ResolvedArgs, name: string, fallback: string): string {
  const v = args[name];
  return typeof v === 'string' ? v : fallback;
}

export function pairOf(args: ResolvedArgs, name: string, fallback: [number, number]): [number, number] {
  const v = args[name];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  return fallback;
}
