// The Model IR: the checked, lowered model as plain JSON. The checker produces it, the
// client hands it to the webview, the engine builds layers from it. Blocks are inlined and
// `repeat` is unrolled, so a node is always a catalog layer.

import type { DType, Shape } from './shape';
import type { ResolvedArgs, WeightSpec } from './types';

export const IR_VERSION = 1;

export interface IRInput {
  name: string;
  shape: Shape;
  dtype: DType;
}

export interface IRNode {
  /** Unique within the model, Keras-style: "dense", "dense_1", "encoder/dense_2". */
  id: string;
  /** The catalog layer name (aliases resolved). */
  op: string;
  args: ResolvedArgs;
  /** Tensor ids: input names or node ids, in call order. */
  inputs: string[];
  shape: Shape;
  dtype: DType;
  weights: WeightSpec[];
  /** 0-based line of the call in the source, for messages from training. */
  line: number;
}

export interface IROutput {
  name: string;
  /** The node id (or input name) that produces it. */
  tensor: string;
}

export interface ModelIR {
  version: typeof IR_VERSION;
  name: string;
  inputs: IRInput[];
  nodes: IRNode[];
  outputs: IROutput[];
  params: number;
  trainableParams: number;
}
