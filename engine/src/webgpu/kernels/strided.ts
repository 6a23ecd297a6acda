// Kernels that move values without computing them, as bit copies over u32 so one pipeline
// serves float32 and int32 alike. Two shapes of loop cover broadcast, transpose, slice,
// slice_grad and concat: a strided read (each output element pulls from an offset that is
// a dot product of its coordinates with source strides) and a strided write (each input
// element pushes to such an offset in the output).

import { broadcastStrides } from '../../primitives/geometry';
import type { DeviceTensor, OpAttrs } from '../../backend';
import type { Dispatch } from './common';
import { elements, flatGroups, flatMain, prelude, stridesOf } from './common';
import { Uniforms } from './uniforms';
import { fillDispatch } from './elementwise';

const STRIDED_UNIFORMS = new Uniforms({ n: 'u32', rank: 'u32', base: 'u32', shape: 'dims', strides: 'dims' });

/** The offset loop: walks `i` over the shape and dots it with the strides. */
const OFFSET = `
  var rem = i;
  var off = P.base;
  for (var d = P.rank; d > 0u; d--) {
    let k = d - 1u;
    let size = shape_at(k);
    let c = rem % size;
    rem = rem / size;
    off += c * strides_at(k);
  }`;

/**
 * A copy between a dense tensor and a strided view of another: `read` pulls
 * out[i] = src[base + coords(i) . strides]; a write pushes dst[base + ...] = src[i].
 */
function stridedCopy(mode: 'read' | 'write', src: DeviceTensor, out: DeviceTensor, shape: readonly number[], strides: readonly number[], base: number): Dispatch {
  const n = sizeOfShape(shape);
  return {
    key: `strided_${mode}`,
    wgsl: () => prelude(STRIDED_UNIFORMS, ['u32'], 'u32') + flatMain(OFFSET + (mode === 'read' ? '\n  out[i] = in0[off];' : '\n  out[off] = in0[i];')),
    inputs: [src],
    output: out,
    params: STRIDED_UNIFORMS.pack({ n, rank: shape.length, base, shape, strides }),
    groups: flatGroups(n),
  };
}

function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function broadcast([x]: readonly DeviceTensor[], out: DeviceTensor): Dispatch[] {
  return [stridedCopy('read', x, out, out.shape, broadcastStrides(x.shape, out.shape), 0)];
}

export function transpose([x]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['transpose']): Dispatch[] {
  const s = stridesOf(x.shape);
  return [stridedCopy('read', x, out, out.shape, a.perm.map((p) => s[p]), 0)];
}

export function slice([x]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['slice']): Dispatch[] {
  const s = stridesOf(x.shape);
  const base = a.begin.reduce((acc, b, d) => acc + b * s[d], 0);
  return [stridedCopy('read', x, out, a.size, s, base)];
}

export function sliceGrad([dy]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['slice_grad']): Dispatch[] {
  const s = stridesOf(out.shape);
  const base = a.begin.reduce((acc, b, d) => acc + b * s[d], 0);
  const copies = elements(dy) > 0 ? [stridedCopy('write', dy, out, dy.shape, s, base)] : [];
  return [fillDispatch(out, 0), ...copies];
}

export function concat(inputs: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['concat']): Dispatch[] {
  const s = stridesOf(out.shape);
  const dispatches: Dispatch[] = [];
  let offset = 0;
  for (const t of inputs) {
    if (elements(t) > 0) dispatches.push(stridedCopy('write', t, out, t.shape, s, offset * s[a.axis]));
    offset += t.shape[a.axis];
  }
  return dispatches;
}
