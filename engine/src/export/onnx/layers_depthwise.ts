// ONNX mappings of DepthwiseConv2D and SeparableConv2D: a grouped Conv (group = C) whose
// weight [C*dm, 1, kh, kw] is the depthwise kernel [kh, kw, C, dm] with output channel
// c*dm + m (Keras's order), then for SeparableConv2D a 1x1 Conv. NHWC <-> NCHW around them,
// 'same' as SAME_UPPER like Conv2D. Kernels stay float in int8 exports.

import type { LayerCtx, LayerMapping } from './layer_context';
import { activation, pair, str } from './layer_context';
import { channelsFirst } from './layers_basic';

function depthwise(c: LayerCtx, x: string, withBias: boolean): string {
  const { b, node } = c;
  const k = c.weight('depthwise_kernel');
  const [kh, kw, ch, dm] = k.shape;
  const w = b.weight(k.name, { data: k.data, shape: k.shape, quant: null, perm: [2, 3, 0, 1], dims: [ch * dm, 1, kh, kw], axis: 0 });
  const inputs = [x, w];
  if (withBias) {
    const bias = c.weight('bias');
    inputs.push(b.floats(bias.name, [bias.data.length], bias.data));
  }
  return b.op1('Conv', inputs, node.id, {
    kernel_shape: [kh, kw],
    strides: pair(node.args, 'stride', [1, 1]),
    auto_pad: str(node.args, 'padding', 'valid') === 'same' ? 'SAME_UPPER' : 'VALID',
    group: ch,
  });
}

const hasBias = (c: LayerCtx) => c.node.weights.some((s) => s.name === 'bias');

const DepthwiseConv2D: LayerMapping = (c) => {
  const y = channelsFirst(c, 2, (x) => depthwise(c, x, hasBias(c)));
  return activation(c.b, y, str(c.node.args, 'activation', 'linear'), c.node.id);
};

const SeparableConv2D: LayerMapping = (c) => {
  const { b, node } = c;
  const y = channelsFirst(c, 2, (x) => {
    const p = c.weight('pointwise_kernel');
    const w = b.weight(p.name, { data: p.data, shape: p.shape, quant: null, perm: [3, 2, 0, 1], dims: [p.shape[3], p.shape[2], 1, 1], axis: 0 });
    const inputs = [depthwise(c, x, false), w];
    if (hasBias(c)) {
      const bias = c.weight('bias');
      inputs.push(b.floats(bias.name, [bias.data.length], bias.data));
    }
    return b.op1('Conv', inputs, node.id, { kernel_shape: [1, 1] });
  });
  return activation(b, y, str(node.args, 'activation', 'linear'), node.id);
};

export const DEPTHWISE_MAPPINGS: Record<string, LayerMapping> = { DepthwiseConv2D, SeparableConv2D };
