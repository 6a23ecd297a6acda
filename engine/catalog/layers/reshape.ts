// Layers that rearrange values without computing: Flatten (one axis of all the values) and
// Reshape (a new shape with the same element count, one -1 inferred). Both keep the input's
// dtype, so they also work on integer ids. The element counts must be checkable, which is
// why a symbolic size is an error unless Reshape's -1 can absorb it.

import { dimProduct, formatShape, isKnown, type Dim } from '../shape';
import { fail, ok, required } from './common';
import { defineLayer } from './define';

export const Flatten = defineLayer({
  name: 'Flatten',
  category: 'reshape',
  arity: 'one',
  accepts: 'any',
  args: [],
  inputDoc: '[...] with every size known',
  outputDoc: '[product of the sizes]',
  paramsDoc: '0',
  summary: 'Lays every value of a sample out along one axis, in row-major order. FLOPs: 0.',
  rule(inputs) {
    const [x] = inputs;
    let n = 1;
    for (const d of x.shape) {
      if (!isKnown(d)) {
        return fail(
          'symbolic-size',
          `Flatten needs every size of ${x.name} ${formatShape(x.shape)} to be known, but ${d} is symbolic; pool it away first (e.g. GlobalAvgPool2D)`,
          { input: 0 },
        );
      }
      n *= d;
    }
    return ok([n], x.dtype, [], 0);
  },
});

export const Reshape = defineLayer({
  name: 'Reshape',
  category: 'reshape',
  arity: 'one',
  accepts: 'any',
  args: [required('target', 'ints', 'The new shape of one sample, e.g. [7, 7, 64]; one size may be -1 to infer it.')],
  inputDoc: '[...]',
  outputDoc: '[target...], the same element count',
  paramsDoc: '0',
  summary: 'Gives each sample a new shape with the same number of values, in row-major order; one -1 is inferred. FLOPs: 0.',
  rule(inputs, args) {
    const [x] = inputs;
    const target = Array.isArray(args.target) ? args.target : [];
    const shown = formatShape(target, false);
    if (target.length === 0) return fail('bad-argument', 'Reshape needs a target shape with at least one size, e.g. Reshape([7, 7, 64])', { arg: 'target' });
    const free = target.filter((d) => d === -1).length;
    if (free > 1) return fail('bad-argument', `Reshape's target ${shown} has ${free} sizes of -1, but at most one can be inferred`, { arg: 'target' });
    const badSize = target.find((d) => d !== -1 && d < 1);
    if (badSize !== undefined) return fail('bad-argument', `Reshape's target ${shown} has the size ${badSize}; sizes must be at least 1 (or -1 once)`, { arg: 'target' });
    const p = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
    let known = 1;
    const symbolic: string[] = [];
    for (const d of x.shape) {
      if (isKnown(d)) known *= d;
      else symbolic.push(d);
    }
    if (symbolic.length === 0) {
      if (free === 0) {
        if (p !== known) {
          return fail('size-mismatch', `Reshape to ${shown} needs ${p} elements per sample, but ${x.name} ${formatShape(x.shape)} has ${known}`, { input: 0, arg: 'target' });
        }
        return ok([...target], x.dtype, [], 0);
      }
      if (known % p !== 0) {
        return fail(
          'size-mismatch',
          `Reshape to ${shown} cannot infer -1: ${x.name} ${formatShape(x.shape)} has ${known} elements per sample, which is not a multiple of ${p}`,
          { input: 0, arg: 'target' },
        );
      }
      return ok(target.map((d) => (d === -1 ? known / p : d)), x.dtype, [], 0);
    }
    if (free === 1 && known % p === 0) {
      const fill = dimProduct(symbolic, known / p);
      return ok(target.map((d): Dim => (d === -1 ? fill : d)), x.dtype, [], 0);
    }
    return fail(
      'symbolic-size',
      `Reshape to ${shown} cannot check the element count of ${x.name} ${formatShape(x.shape)}, because ${symbolic.join(', ')} ${symbolic.length === 1 ? 'is' : 'are'} symbolic; use -1 for the axis that absorbs it`,
      { input: 0, arg: 'target' },
    );
  },
});

export const RESHAPE_LAYERS = [Flatten, Reshape] as const;
