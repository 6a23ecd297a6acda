// Finding where a NaN loss came from. When a step's loss is not finite, the loop re-runs
// that batch's forward pass (same weights, same step, so the same dropout masks) on a twin
// model whose outputs are every node of the IR, and reads the nodes back in order until one
// holds a value that is not finite. The twin is built through Model's public API and gets
// exact copies of the weights, so model.ts needs no debugging hook and the training
// forward pays nothing for this check.

import type { ModelIR } from '../../catalog/ir';
import { Model } from '../model';
import * as o from '../ops';
import { tidy } from '../tensor';
import type { Tensor } from '../tensor';

export interface NonFinite {
  node: string;
  line: number;
  op: string;
}

/** The first node (in IR order) whose output is NaN or infinite for `inputs`, or null. */
export async function firstNonFinite(model: Model, inputs: Record<string, Tensor>, step: number): Promise<NonFinite | null> {
  const ir: ModelIR = { ...model.ir, outputs: model.ir.nodes.map((n) => ({ name: n.id, tensor: n.id })) };
  const built = Model.build(ir, model.seed);
  if (!built.ok) return null;
  const twin = built.model;
  try {
    tidy(() => {
      twin.weights.forEach((w, i) => {
        const src = model.weights[i].tensor;
        w.tensor.assign(o.slice(src, src.shape.map(() => 0), [...src.shape]));
      });
    });
    const outputs = tidy(() => {
      const r = twin.forward(inputs, { training: true, step });
      return r.ok ? r.outputs : null;
    });
    if (!outputs) return null;
    try {
      for (const node of model.ir.nodes) {
        const values = await outputs[node.id].data();
        if (values.some((v) => !Number.isFinite(v))) return { node: node.id, line: node.line, op: node.op };
      }
      return null;
    } finally {
      // A layer may pass its input through unchanged; the caller's batch tensors stay alive.
      const given = new Set(Object.values(inputs));
      for (const t of Object.values(outputs)) if (!given.has(t)) t.dispose();
    }
  } finally {
    twin.dispose();
  }
}
