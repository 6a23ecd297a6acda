// The matrix product: attributes, shape, and the gradient of both operands and the fused bias.

import type { TapeNode } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { matmulDims } from './geometry';
import type { GradKit, OpTable } from './spec';
import { firstDType } from './spec';

export interface LinearAttrs {
  /**
   * a [..., M, K] (or [..., K, M] with transA) times b [..., K, N] (or [..., N, K] with
   * transB); b may have no batch axes. An optional third input is a bias [N] added before
   * `activation` (one whose derivative the output gives, or 'linear').
   */
  matmul: { transA: boolean; transB: boolean; activation: 'linear' | 'relu' | 'sigmoid' | 'tanh' };
}

/** Sums g over leading batch axes it has beyond `shape` (a matrix operand shared by a batch). */
function unbatch(o: GradKit['o'], g: Tensor, shape: readonly number[]): Tensor {
  return g.rank === shape.length ? g : o.sum(g, g.shape.slice(0, g.rank - shape.length).map((_d, i) => i));
}

function matmulGrad(node: TapeNode<'matmul'>, dy: Tensor, needs: readonly boolean[], { apply, o }: GradKit): (Tensor | null)[] {
  const [a, b, bias] = node.inputs;
  const { transA, transB, activation } = node.attrs;
  const y = node.output;
  const g = activation === 'linear' ? dy : apply('unary_grad', [y, y, dy], { fn: activation });
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (!transA && !transB) {
    if (needs[0]) da = o.matmul(g, b, { transB: true });
    if (needs[1]) db = o.matmul(a, g, { transA: true });
  } else if (!transA && transB) {
    if (needs[0]) da = o.matmul(g, b);
    if (needs[1]) db = o.matmul(g, a, { transA: true });
  } else if (transA && !transB) {
    if (needs[0]) da = o.matmul(b, g, { transB: true });
    if (needs[1]) db = o.matmul(a, g);
  } else {
    if (needs[0]) da = o.matmul(b, g, { transA: true, transB: true });
    if (needs[1]) db = o.matmul(g, a, { transA: true, transB: true });
  }
  const grads: (Tensor | null)[] = [da && unbatch(o, da, a.shape), db && unbatch(o, db, b.shape)];
  if (bias) grads.push(needs[2] ? o.sumTo(g, bias.shape) : null);
  return grads;
}

export const LINEAR_OPS: OpTable<keyof LinearAttrs> = {
  matmul: {
    shape: ([a, b], { transA, transB }) => {
      const { batch, m, n } = matmulDims(a, b, transA, transB);
      return [...batch, m, n];
    },
    dtype: firstDType,
    grad: matmulGrad,
  },
};
