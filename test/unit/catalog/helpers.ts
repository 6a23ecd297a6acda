// Shared helpers for the catalog tests: build inputs, apply a layer by name, and add up
// weights, so each test reads as "this layer on this shape gives that".
import assert from 'node:assert/strict';
import { findLayer, type DType, type LayerInput, type LayerIssue, type LayerOutput, type ResolvedArgs, type Shape, type WeightSpec } from '../../../engine/catalog/index';

export function input(shape: Shape, name = 'x', dtype: DType = 'float32'): LayerInput {
  return { name, shape, dtype };
}

export function infer(layer: string, inputs: LayerInput | LayerInput[], args: ResolvedArgs = {}) {
  const spec = findLayer(layer);
  assert.ok(spec, `no layer ${layer}`);
  return spec.infer(Array.isArray(inputs) ? inputs : [inputs], args);
}

/** Applies a layer and requires success. */
export function apply(layer: string, inputs: LayerInput | LayerInput[], args: ResolvedArgs = {}): LayerOutput {
  const r = infer(layer, inputs, args);
  if (!r.ok) assert.fail(`${layer} failed: ${r.issue.code}: ${r.issue.message}`);
  return r;
}

/** Applies a layer and requires failure. */
export function issue(layer: string, inputs: LayerInput | LayerInput[], args: ResolvedArgs = {}): LayerIssue {
  const r = infer(layer, inputs, args);
  if (r.ok) assert.fail(`${layer} unexpectedly gave ${JSON.stringify(r.shape)}`);
  return r.issue;
}

export function size(w: WeightSpec): number {
  return w.shape.reduce((a, d) => a * d, 1);
}

export function params(out: LayerOutput): number {
  return out.weights.reduce((a, w) => a + size(w), 0);
}

export function trainable(out: LayerOutput): number {
  return out.weights.filter((w) => w.trainable).reduce((a, w) => a + size(w), 0);
}

/** Chains single-input layers from an input shape; returns the final shape and total params. */
export function chain(start: LayerInput, layers: [string, ResolvedArgs?][]): { shape: Shape; params: number; flops: number | null } {
  let x = start;
  let total = 0;
  let flops: number | null = 0;
  layers.forEach(([name, args], i) => {
    const out = apply(name, x, args ?? {});
    total += params(out);
    flops = flops === null || out.flops === null ? null : flops + out.flops;
    x = { name: `t${i}`, shape: out.shape, dtype: out.dtype };
  });
  return { shape: x.shape, params: total, flops };
}
