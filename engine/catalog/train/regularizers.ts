// Weight regularizers of spec §5, applied to kernels only (engine/src/losses.ts).

import { num, type TrainFunction } from './define';

export const REGULARIZERS = [
  { name: 'l1', doc: 'l1(x): x·Σ|w| over kernels.', snippet: 'l1(${1:0.0001})', args: [num('l1', true, undefined, 'The L1 factor.', { min: 0, positional: true })] },
  { name: 'l2', doc: 'l2(x): x·Σw² over kernels.', snippet: 'l2(${1:0.0001})', args: [num('l2', true, undefined, 'The L2 factor.', { min: 0, positional: true })] },
  {
    name: 'l1_l2',
    doc: 'l1_l2(l1=x, l2=y).',
    snippet: 'l1_l2(l1=${1:0.0001}, l2=${2:0.0001})',
    args: [num('l1', false, 0, 'The L1 factor.', { min: 0 }), num('l2', false, 0, 'The L2 factor.', { min: 0 })],
  },
] as const satisfies readonly TrainFunction[];

export type RegularizerName = (typeof REGULARIZERS)[number]['name'];
