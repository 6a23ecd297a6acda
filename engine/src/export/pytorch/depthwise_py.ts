// DepthwiseConv2D and SeparableConv2D in model.py: nn.Conv2d with groups = C (weight
// [C*dm, 1, kh, kw], output channel c*dm + m as in Keras) and TF's 'same' padding, and the
// separable layer as that depthwise module followed by a 1x1 Conv2D. weights.ts converts the
// depthwise kernel [kh, kw, C, dm] as a convolution kernel [kh, kw, 1, C*dm].

import type { IRNode } from '../../../catalog/ir';

export const DEPTHWISE_OPS: ReadonlySet<string> = new Set(['DepthwiseConv2D', 'SeparableConv2D']);

export const DEPTHWISE_LIBRARY_PY = String.raw`

class DepthwiseConv2D(nn.Conv2d):
    """Each channel of [batch, height, width, channels] convolved with its own depth_multiplier filters."""

    def __init__(self, channels, depth_multiplier, kernel_size, stride=(1, 1), padding="valid", bias=True, activation="linear"):
        super().__init__(channels, channels * depth_multiplier, kernel_size, stride=stride, padding=0, groups=channels, bias=bias)
        self.same = padding == "same"
        self.activation = activation

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.same:
            ph = same_padding(x.shape[2], self.kernel_size[0], self.stride[0])
            pw = same_padding(x.shape[3], self.kernel_size[1], self.stride[1])
            x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]))
        y = F.conv2d(x, self.weight, self.bias, self.stride, groups=self.groups)
        return activation(y.permute(0, 2, 3, 1), self.activation)


class SeparableConv2D(nn.Module):
    """DepthwiseConv2D (no bias) then a 1x1 Conv2D to filters channels."""

    def __init__(self, channels, depth_multiplier, filters, kernel_size, stride=(1, 1), padding="valid", bias=True, activation="linear"):
        super().__init__()
        self.depthwise = DepthwiseConv2D(channels, depth_multiplier, kernel_size, stride=stride, padding=padding, bias=False)
        self.pointwise = Conv2D(channels * depth_multiplier, filters, (1, 1), bias=bias, activation=activation)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
`;

/** The constructor call of a depthwise or separable convolution. */
export function depthwiseConstructor(n: IRNode): string {
  const [kh, kw, c, dm] = n.weights.find((w) => w.name === 'depthwise_kernel')?.shape ?? [];
  const s = n.args.stride;
  const [sh, sw] = Array.isArray(s) ? s : typeof s === 'number' ? [s, s] : [1, 1];
  const act = typeof n.args.activation === 'string' ? n.args.activation : 'linear';
  const hasBias = n.weights.some((w) => w.name === 'bias');
  // Padding and activation are catalog enum values, plain identifiers safe inside quotes.
  const tail = `kernel_size=(${kh}, ${kw}), stride=(${sh}, ${sw}), padding="${n.args.padding === 'same' ? 'same' : 'valid'}", bias=${hasBias ? 'True' : 'False'}, activation="${act}")`;
  if (n.op === 'SeparableConv2D') {
    const filters = n.weights.find((w) => w.name === 'pointwise_kernel')?.shape[3];
    return `SeparableConv2D(channels=${c}, depth_multiplier=${dm}, filters=${filters}, ${tail}`;
  }
  return `DepthwiseConv2D(channels=${c}, depth_multiplier=${dm}, ${tail}`;
}
