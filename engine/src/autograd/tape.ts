// Running a primitive and recording it. Every op in the engine goes through `apply`, which
// allocates the output from the op's shape rule, runs the backend kernel and, while a tape
// is active and an input is tracked, appends a node that `backward` later walks in reverse.
// Reshape is a view, not a kernel, so it is recorded as its own node kind.

import type { NodeAttrs, NodeOp, OpAttrs, OpName } from '../backend';
import { outputDType, outputShape } from '../primitives/index';
import { empty, getBackend, recording, Tensor } from '../tensor';

export interface TapeNode<K extends NodeOp = NodeOp> {
  op: K;
  inputs: Tensor[];
  output: Tensor;
  attrs: NodeAttrs[K];
}

export class Tape {
  readonly nodes: TapeNode[] = [];
  readonly tracked = new Set<Tensor>();
}

let active: Tape | null = null;

/** Runs fn with `tape` recording (restoring the previous one afterwards). */
export function withTape<T>(tape: Tape | null, fn: () => T): T {
  const prev = active;
  const prevRecording = recording.active;
  active = tape;
  recording.active = tape !== null;
  try {
    return fn();
  } finally {
    active = prev;
    recording.active = prevRecording;
  }
}

function record(op: NodeOp, inputs: Tensor[], output: Tensor, attrs: NodeAttrs[NodeOp]): void {
  if (!active || !inputs.some((t) => active!.tracked.has(t))) return;
  active.tracked.add(output);
  active.nodes.push({ op, inputs, output, attrs });
}

/** Runs one primitive on the current backend and returns its new output tensor. */
export function apply<K extends OpName>(op: K, inputs: Tensor[], attrs: OpAttrs[K]): Tensor {
  const shape = outputShape(op, inputs.map((t) => t.shape), attrs);
  const dtype = outputDType(op, inputs.map((t) => t.dtype), attrs);
  const out = empty(shape, dtype);
  getBackend().run(
    op,
    inputs.map((t) => ({ buffer: t.buffer, shape: t.shape, dtype: t.dtype })),
    { buffer: out.buffer, shape: out.shape, dtype: out.dtype },
    attrs,
  );
  record(op, inputs, out, attrs);
  return out;
}

/** Whether a node ran a primitive (every node but reshape's), so the op table has its rule. */
export function isPrimitive(node: TapeNode): node is TapeNode<OpName> {
  return node.op !== 'reshape';
}

/** A recorded view of x with another shape (the same element count). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  const out = x.view(resolved);
  record('reshape', [x], out, { shape: resolved });
  return out;
}
