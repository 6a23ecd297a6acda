// ONNX mappings of the element-wise merges beyond Add/Multiply and of Rescaling and
// Activation. Merges fold left to right with the two-input operator, as the engine does, so
// Average is the sum times 1/n and a tie in Max/Min picks the same value.

import type { LayerCtx, LayerMapping } from './layer_context';
import { activation, num, str } from './layer_context';

function fold(op: 'Sub' | 'Max' | 'Min'): LayerMapping {
  return (c) => c.inputs.slice(1).reduce((acc, x) => c.b.op1(op, [acc, x], c.node.id), c.inputs[0]);
}

function scalar(c: LayerCtx, name: string, value: number): string {
  return c.b.floats(`${c.node.id}/${name}`, [], [value]);
}

const Average: LayerMapping = (c) => {
  const sum = c.inputs.slice(1).reduce((acc, x) => c.b.op1('Add', [acc, x], c.node.id), c.inputs[0]);
  return c.b.op1('Mul', [sum, scalar(c, 'inv_count', 1 / c.inputs.length)], c.node.id);
};

const Rescaling: LayerMapping = (c) => {
  const scaled = c.b.op1('Mul', [c.inputs[0], scalar(c, 'scale', num(c.node.args, 'scale', 1))], c.node.id);
  return c.b.op1('Add', [scaled, scalar(c, 'offset', num(c.node.args, 'offset', 0))], c.node.id);
};

/** A linear Activation still needs a node of its own, so the output keeps its name. */
const Activation: LayerMapping = (c) => {
  const y = activation(c.b, c.inputs[0], str(c.node.args, 'activation', 'linear'), c.node.id);
  return y === c.inputs[0] ? c.b.op1('Identity', [y], c.node.id) : y;
};

export const POINTWISE_MAPPINGS: Record<string, LayerMapping> = {
  Subtract: fold('Sub'), Average, Maximum: fold('Max'), Minimum: fold('Min'), Rescaling, Activation,
};
