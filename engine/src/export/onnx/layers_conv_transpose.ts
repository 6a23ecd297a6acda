// ONNX mappings of the transposed convolutions: ConvTranspose between NHWC <-> NCHW
// transposes. ONNX's full output is (n-1)*s + k; Keras's is n*s (same) or n*s + max(k-s, 0)
// (valid). Where the full output is longer, explicit pads crop it with the smaller half
// before, as TF does; where shorter (k < s), output_padding adds the missing rows at the
// end. Both depend on k and s only, so symbolic sizes need nothing more. The kernel stays
// float in int8 exports (ConvTranspose has no integer kernel in onnxruntime).

import type { LayerCtx, LayerMapping } from './layer_context';
import { activation, num, pair, str } from './layer_context';
import { channelsFirst } from './layers_basic';

/** Pads (before, after) and output_padding of one axis. */
function cropping(k: number, s: number, same: boolean): { before: number; after: number; extra: number } {
  const diff = same ? k - s : Math.min(k - s, 0);
  if (diff < 0) return { before: 0, after: 0, extra: -diff };
  return { before: Math.floor(diff / 2), after: diff - Math.floor(diff / 2), extra: 0 };
}

function convTranspose(rank: 1 | 2): LayerMapping {
  return (c: LayerCtx) => {
    const { b, node } = c;
    const args = node.args;
    const k = c.weight('kernel');
    // [kh, kw, F, C] -> [C, F, kh, kw]; [k, F, C] -> [C, F, k].
    const perm = rank === 2 ? [3, 2, 0, 1] : [2, 1, 0];
    const dims = perm.map((p) => k.shape[p]);
    const w = b.weight(k.name, { data: k.data, shape: k.shape, quant: null, perm, dims, axis: 1 });
    const strides = rank === 2 ? pair(args, 'stride', [1, 1]) : [num(args, 'stride', 1)];
    const same = str(args, 'padding', 'valid') === 'same';
    const axes = dims.slice(2).map((kk, i) => cropping(kk, strides[i], same));
    const y = channelsFirst(c, rank, (x) => {
      const inputs = [x, w];
      if (node.weights.some((s) => s.name === 'bias')) {
        const bias = c.weight('bias');
        inputs.push(b.floats(bias.name, [bias.data.length], bias.data));
      }
      return b.op1('ConvTranspose', inputs, node.id, {
        kernel_shape: dims.slice(2),
        strides,
        pads: [...axes.map((a) => a.before), ...axes.map((a) => a.after)],
        output_padding: axes.map((a) => a.extra),
      });
    });
    return activation(b, y, str(args, 'activation', 'linear'), node.id);
  };
}

export const CONV_TRANSPOSE_MAPPINGS: Record<string, LayerMapping> = {
  Conv2DTranspose: convTranspose(2),
  Conv1DTranspose: convTranspose(1),
};
