// Layers that merge a tuple of tensors: Add and Multiply (element-wise, one shape) and
// Concat (joined along one axis, equal elsewhere). Errors name the two inputs that
// disagree, with both shapes, and point at the second one.

import { dimSum, formatShape, isKnown, shapeEquals, type Dim } from '../shape';
import type { LayerInput, LayerSpec } from '../types';
import { argInt, elements, fail, ok, optional, product } from './common';
import { defineLayer } from './define';

export function elementwise<N extends string>(name: N, op: string): LayerSpec<N> {
  return defineLayer({
    name,
    category: 'merge',
    arity: 'many',
    args: [],
    inputDoc: '(a, b, ...) of one shape',
    outputDoc: 'that shape',
    paramsDoc: '0',
    summary: `${op} its inputs value by value; they must all have one shape. FLOPs: (n - 1) per value for n inputs.`,
    rule(inputs) {
      const first = inputs[0];
      for (let i = 1; i < inputs.length; i++) {
        const x = inputs[i];
        if (!shapeEquals(first.shape, x.shape)) {
          return fail(
            'shape-mismatch',
            `${name} expects inputs of one shape, but ${first.name} is ${formatShape(first.shape)} and ${x.name} is ${formatShape(x.shape)}`,
            { input: i },
          );
        }
      }
      return ok([...first.shape], 'float32', [], product(inputs.length - 1, elements(first.shape)));
    },
  });
}

export const Add = elementwise('Add', 'Adds');
export const Multiply = elementwise('Multiply', 'Multiplies');

function axisText(inputs: LayerInput[]): string {
  const rank = inputs[0].shape.length;
  return rank === 0 ? 'no axes' : `axes ${-rank} to ${rank - 1}`;
}

export const Concat = defineLayer({
  name: 'Concat',
  category: 'merge',
  arity: 'many',
  args: [optional('axis', 'int', -1, 'The axis to join along, counting the axes of one sample: 0 is the first, -1 the last.')],
  inputDoc: '(a, b, ...) equal except on axis',
  outputDoc: 'sizes summed on axis',
  paramsDoc: '0',
  summary: 'Joins its inputs along `axis`; every other size must agree. FLOPs: 0.',
  rule(inputs, args) {
    const first = inputs[0];
    const rank = first.shape.length;
    const axis = argInt(args, 'axis', -1);
    if (axis < -rank || axis >= rank) {
      return fail('bad-argument', `Concat's axis ${axis} is out of range for ${first.name} ${formatShape(first.shape)} (use ${axisText(inputs)})`, {
        arg: 'axis',
        input: 0,
      });
    }
    const a = axis < 0 ? rank + axis : axis;
    for (let i = 1; i < inputs.length; i++) {
      const x = inputs[i];
      if (x.shape.length !== rank) {
        return fail(
          'rank-mismatch',
          `Concat expects inputs with the same number of axes, but ${first.name} is ${formatShape(first.shape)} and ${x.name} is ${formatShape(x.shape)}`,
          { input: i },
        );
      }
      for (let j = 0; j < rank; j++) {
        if (j !== a && first.shape[j] !== x.shape[j]) {
          return fail(
            'shape-mismatch',
            `Concat along axis ${axis} expects inputs equal on every other axis, but ${first.name} is ${formatShape(first.shape)} and ${x.name} is ${formatShape(x.shape)}`,
            { input: i },
          );
        }
      }
    }
    const shape = [...first.shape];
    shape[a] = dimSum(inputs.map((x) => x.shape[a]));
    return ok(shape, 'float32', [], 0);
  },
});

export const MERGE_LAYERS = [Add, Multiply, Concat] as const;
