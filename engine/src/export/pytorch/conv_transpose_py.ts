// The transposed convolutions in model.py. PyTorch's ConvTranspose pads symmetrically, while
// Keras crops TF's way (the smaller half before) and, when the kernel is shorter than the
// stride, yields n*s rows, more than ConvTranspose's full (n-1)*s + k. So the classes run
// the full transposed convolution without bias, crop or zero-extend it to Keras's size, then
// add the bias. Their weight [in, out, kh, kw] is the Keras kernel [kh, kw, out, in]
// permuted as a convolution's is, so weights.ts converts both alike.

import type { IRNode } from '../../../catalog/ir';

export const CONV_TRANSPOSE_OPS: ReadonlySet<string> = new Set(['Conv2DTranspose', 'Conv1DTranspose']);

export const CONV_TRANSPOSE_LIBRARY_PY = String.raw`

def transposed_extent(size, window, stride, same):
    """(first row, rows) of Keras's transposed-convolution output within the full one."""
    out = size * stride if same else size * stride + max(window - stride, 0)
    full = (size - 1) * stride + window
    return max(full - out, 0) // 2, out


def keras_window(y, dim, start, length):
    """Rows [start, start + length) of axis dim, zero-extended where the full output is shorter."""
    short = start + length - y.shape[dim]
    if short > 0:
        pad = [0, 0] * (y.dim() - 1 - dim) + [0, short]
        y = F.pad(y, pad)
    return y.narrow(dim, start, length)


class Conv2DTranspose(nn.ConvTranspose2d):
    """A transposed convolution over [batch, height, width, channels]; weight [in, out, kh, kw]."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=(1, 1), padding="valid", bias=True, activation="linear"):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, bias=bias)
        self.same = padding == "same"
        self.activation = activation

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        h0, oh = transposed_extent(x.shape[2], self.kernel_size[0], self.stride[0], self.same)
        w0, ow = transposed_extent(x.shape[3], self.kernel_size[1], self.stride[1], self.same)
        y = F.conv_transpose2d(x, self.weight, None, self.stride)
        y = keras_window(keras_window(y, 2, h0, oh), 3, w0, ow)
        if self.bias is not None:
            y = y + self.bias[:, None, None]
        return activation(y.permute(0, 2, 3, 1), self.activation)


class Conv1DTranspose(nn.ConvTranspose1d):
    """A transposed convolution over [batch, length, channels]; weight [in, out, k]."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding="valid", bias=True, activation="linear"):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, bias=bias)
        self.same = padding == "same"
        self.activation = activation

    def forward(self, x):
        x = x.permute(0, 2, 1)
        l0, ol = transposed_extent(x.shape[2], self.kernel_size[0], self.stride[0], self.same)
        y = keras_window(F.conv_transpose1d(x, self.weight, None, self.stride), 2, l0, ol)
        if self.bias is not None:
            y = y + self.bias[:, None]
        return activation(y.permute(0, 2, 1), self.activation)
`;

/** The constructor call of a transposed convolution (kernel [kh, kw, out, in] / [k, out, in]). */
export function convTransposeConstructor(n: IRNode): string {
  const kernel = n.weights.find((w) => w.name === 'kernel')?.shape ?? [];
  const hasBias = n.weights.some((w) => w.name === 'bias');
  const act = typeof n.args.activation === 'string' ? n.args.activation : 'linear';
  // Padding and activation are catalog enum values, plain identifiers safe inside quotes.
  const tail = `padding="${n.args.padding === 'same' ? 'same' : 'valid'}", bias=${hasBias ? 'True' : 'False'}, activation="${act}")`;
  const s = n.args.stride;
  if (n.op === 'Conv1DTranspose') {
    const [k, f, c] = kernel;
    return `Conv1DTranspose(in_channels=${c}, out_channels=${f}, kernel_size=${k}, stride=${typeof s === 'number' ? s : 1}, ${tail}`;
  }
  const [kh, kw, f, c] = kernel;
  const [sh, sw] = Array.isArray(s) ? s : typeof s === 'number' ? [s, s] : [1, 1];
  return `Conv2DTranspose(in_channels=${c}, out_channels=${f}, kernel_size=(${kh}, ${kw}), stride=(${sh}, ${sw}), ${tail}`;
}
