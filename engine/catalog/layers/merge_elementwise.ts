// Keras's other element-wise merges: Subtract (exactly two inputs, a - b), Average, Maximum
// and Minimum (two or more of one shape, like Add). They share Add's shape rule; Subtract adds
// Keras's two-input limit and Average counts its final scaling in the FLOPs.

import { formatShape } from '../shape';
import type { LayerSpec } from '../types';
import { fail } from './common';
import { elementwise } from './merge';

function subtract(): LayerSpec<'Subtract'> {
  const base = elementwise('Subtract', 'Subtracts');
  return {
    ...base,
    inputDoc: '(a, b) of one shape',
    summary: 'a - b, value by value; the two inputs must have one shape. FLOPs: 1 per value.',
    infer(inputs, args) {
      if (inputs.length > 2) {
        const names = inputs.map((x) => `${x.name} ${formatShape(x.shape)}`).join(', ');
        return fail('shape-mismatch', `Subtract expects exactly two inputs (a, b), but got ${inputs.length}: ${names}`, { input: 2 });
      }
      return base.infer(inputs, args);
    },
  };
}

function average(): LayerSpec<'Average'> {
  const base = elementwise('Average', 'Averages');
  return {
    ...base,
    summary: 'The mean of its inputs value by value; they must all have one shape. FLOPs: n per value for n inputs (n - 1 adds, one scaling).',
    infer(inputs, args) {
      const r = base.infer(inputs, args);
      if (!r.ok || r.flops === null) return r;
      // Add's rule counts n - 1 adds per value; the division by n is one more.
      const values = inputs.length > 1 ? r.flops / (inputs.length - 1) : 0;
      return { ...r, flops: r.flops + values };
    },
  };
}

export const Subtract = subtract();
export const Average = average();
export const Maximum = elementwise('Maximum', 'Takes the maximum of');
export const Minimum = elementwise('Minimum', 'Takes the minimum of');

export const MERGE_ELEMENTWISE_LAYERS = [Subtract, Average, Maximum, Minimum] as const;
