// Reverse-mode differentiation. `valueAndGrads` runs a function with a fresh tape that
// tracks the given tensors, then walks the recorded nodes backwards applying each op's rule
// and summing gradients that meet. Gradient tensors are created in the caller's scope, so
// a surrounding `tidy` reclaims every intermediate once the step is done.

import * as o from '../ops/math';
import type { Tensor } from '../tensor';
import type { OpName } from '../backend';
import { OPS } from '../primitives/index';
import { apply, isPrimitive, Tape, withTape } from './tape';
import type { GradKit } from '../primitives/spec';

/** The ops the op table's gradient rules are written in. */
const KIT: GradKit = { apply, o };
import type { TapeNode } from './tape';

export interface ValueAndGrads {
  value: Tensor;
  /** One gradient per watched tensor, in order; zeros where the value does not depend on it. */
  grads: Tensor[];
}

/** Computes f() and the gradient of its (summed) value with respect to each of `wrt`. */
export function valueAndGrads(f: () => Tensor, wrt: readonly Tensor[]): ValueAndGrads {
  const tape = new Tape();
  for (const t of wrt) tape.tracked.add(t);
  const value = withTape(tape, f);
  const grads = withTape(null, () => backward(tape, value, wrt));
  return { value, grads };
}

/** The node's rule applied; none where no gradient flows back through its op. */
function gradients(node: TapeNode, dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
  if (isPrimitive(node)) return primitiveGradients(node, dy, needs);
  // A reshape's gradient is the same view back.
  return [o.reshape(dy, node.inputs[0].shape)];
}

function primitiveGradients<K extends OpName>(node: TapeNode<K>, dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
  return OPS[node.op].grad?.(node, dy, needs, KIT) ?? [];
}

function backward(tape: Tape, value: Tensor, wrt: readonly Tensor[]): Tensor[] {
  const grads = new Map<Tensor, Tensor>();
  grads.set(value, o.fill(value.shape, 1));
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i];
    const dy = grads.get(node.output);
    if (!dy) continue;
    // Only inputs on the tape take a gradient: model inputs, targets and constants never
    // do, so their rules' branches (a first layer's dX of the data) are not run at all.
    const needs = node.inputs.map((input) => tape.tracked.has(input));
    const dxs = gradients(node, dy, needs);
    for (let j = 0; j < node.inputs.length; j++) {
      const g = dxs[j];
      if (!g || !needs[j]) continue;
      const input = node.inputs[j];
      const prev = grads.get(input);
      grads.set(input, prev ? o.add(prev, g) : g);
    }
  }
  return wrt.map((t) => grads.get(t) ?? o.fill(t.shape, 0));
}
