// Moving a model's weights around: copies kept on the device (the last finished epoch's
// weights for a cancelled run, the best epoch's for early stopping), downloads to named
// float32 arrays (checkpoints), and loading named arrays back into a built model with a
// clear error for a missing, extra, mis-shaped or non-finite weight.

import type { Model } from '../model';
import * as o from '../ops';
import { keep, tensor, tidy } from '../tensor';
import type { Tensor } from '../tensor';
import type { NamedArray } from './types';

/** An exact device copy of `t` (a full slice, so even the sign of zero is kept). */
function copyOf(t: Tensor): Tensor {
  return o.slice(t, t.shape.map(() => 0), [...t.shape]);
}

/** One device copy of every weight of a model (BatchNorm moving statistics included). */
export class WeightSnapshot {
  private copies: Tensor[] | null = null;

  constructor(private readonly model: Model) {}

  get taken(): boolean {
    return this.copies !== null;
  }

  /** Copies the model's current weights, reusing the snapshot's tensors after the first time. */
  take(): void {
    tidy(() => {
      const ws = this.model.weights;
      if (!this.copies) this.copies = ws.map((w) => keep(copyOf(w.tensor)));
      else ws.forEach((w, i) => this.copies![i].assign(copyOf(w.tensor)));
    });
  }

  /** Copies this snapshot into another (both of the same model). */
  copyTo(other: WeightSnapshot): void {
    if (!this.copies) return;
    tidy(() => {
      if (!other.copies) other.copies = this.copies!.map((t) => keep(copyOf(t)));
      else this.copies!.forEach((t, i) => other.copies![i].assign(copyOf(t)));
    });
  }

  /** Writes the snapshot back into the model's weights (which keep their identity). */
  restore(): void {
    if (!this.copies) return;
    tidy(() => this.model.weights.forEach((w, i) => w.tensor.assign(copyOf(this.copies![i]))));
  }

  /** The snapshot as named arrays. */
  download(): Promise<NamedArray[]> {
    if (!this.copies) return downloadWeights(this.model);
    return downloadTensors(this.model, this.copies);
  }

  dispose(): void {
    for (const t of this.copies ?? []) t.dispose();
    this.copies = null;
  }
}

/** Every weight of the model as named float32 arrays, in the model's weight order. */
export function downloadWeights(model: Model): Promise<NamedArray[]> {
  return downloadTensors(model, model.weights.map((w) => w.tensor));
}

async function downloadTensors(model: Model, tensors: Tensor[]): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (let i = 0; i < model.weights.length; i++) {
    const w = model.weights[i];
    const values = await tensors[i].data();
    out.push({ name: w.name, shape: [...w.spec.shape], data: values instanceof Float32Array ? values : Float32Array.from(values) });
  }
  return out;
}

export type LoadResult = { ok: true } | { ok: false; message: string };

/** The row-major index of element `flat` of an array of `shape`, e.g. [1, 0]. */
function unflatten(flat: number, shape: readonly number[]): number[] {
  const at = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    at[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return at;
}

/**
 * The message for the first NaN or infinite value among `arrays`, naming the weight and the
 * element's index, or null when every value is finite. A non-finite weight would make every
 * prediction NaN (or, through a masking op, a plausible constant), so it is refused on load.
 */
export function firstNonFinite(arrays: readonly NamedArray[]): string | null {
  for (const a of arrays) {
    const d = a.data;
    for (let i = 0; i < d.length; i++) {
      if (Number.isFinite(d[i])) continue;
      const where = a.shape.length > 1 ? `element ${i} (index [${unflatten(i, a.shape).join(', ')}] of shape [${a.shape.join(', ')}])` : `element ${i}`;
      return `weight ${a.name} holds ${d[i]} at ${where}; the weights are corrupt or come from a run that diverged, so they cannot be used`;
    }
  }
  return null;
}

/**
 * Replaces every weight of `model` with the array of the same name. Nothing changes unless
 * every weight is found with the right shape, every value is finite, and no array is left over.
 */
export function loadWeights(model: Model, arrays: readonly NamedArray[]): LoadResult {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  const missing: string[] = [];
  for (const w of model.weights) {
    const a = byName.get(w.name);
    if (!a) {
      missing.push(w.name);
      continue;
    }
    const want = w.spec.shape;
    const count = a.shape.reduce((p, d) => p * d, 1);
    if (a.shape.length !== want.length || a.shape.some((d, i) => d !== want[i]) || a.data.length !== count) {
      return { ok: false, message: `weight ${w.name} has shape [${a.shape.join(', ')}] in the file, but the model needs [${want.join(', ')}]` };
    }
  }
  if (missing.length > 0) {
    return { ok: false, message: `the weights lack ${missing.join(', ')}, which model ${model.ir.name} needs; were they saved from another model?` };
  }
  const bad = firstNonFinite(model.weights.map((w) => byName.get(w.name)!));
  if (bad) return { ok: false, message: bad };
  const known = new Set(model.weights.map((w) => w.name));
  const extra = arrays.filter((a) => !known.has(a.name)).map((a) => a.name);
  if (extra.length > 0) {
    return { ok: false, message: `the weights hold ${extra.join(', ')}, which model ${model.ir.name} does not have; were they saved from another model?` };
  }
  for (const w of model.weights) {
    const a = byName.get(w.name)!;
    w.tensor.assign(tensor(a.data, w.spec.shape, w.tensor.dtype));
  }
  return { ok: true };
}
