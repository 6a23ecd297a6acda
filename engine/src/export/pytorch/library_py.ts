// The fixed part of model.py: layers with the netspec engine's semantics (Keras's) on
// channels-last tensors, and a small safetensors reader and writer (json + numpy) so the
// export needs nothing but torch and numpy. Convolutions and pooling permute to PyTorch's
// channels-first layout internally and back; 'same' padding is TensorFlow's (the smaller
// half before); average pooling divides by the in-bounds count; BatchNorm normalises over
// every axis but the last with Keras's momentum; LSTM and GRU are nn.LSTM and nn.GRU with
// the Keras weights converted (nn.GRU's equations are Keras's reset_after=True); Bidirectional
// holds two of them and flips the time axis for the backward one.

export const MODEL_LIBRARY_PY = String.raw`import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- safetensors (float32, int64 and int32 tensors) without the safetensors package ----

_DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "F16": np.float16}
_NAMES = {np.dtype(v).str: k for k, v in _DTYPES.items()}


def load_safetensors(path):
    """(tensors by name as numpy arrays, metadata dict) of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        tensors[name] = np.frombuffer(raw, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=base + begin).reshape(info["shape"]).astype(dtype.newbyteorder("="))
    return tensors, metadata


def save_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor or array} (in the given order) and string metadata, atomically."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
        key = _NAMES.get(np.dtype(a.dtype).newbyteorder("=").str) or _NAMES[np.dtype(np.float32).str]
        b = a.tobytes()
        header[name] = {"dtype": key, "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


# ---- the engine's layers ----

def activation(x, name, alpha=0.01):
    if name == "linear":
        return x
    if name == "relu":
        return F.relu(x)
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "softmax":
        return torch.softmax(x, dim=-1)
    if name == "gelu":
        return F.gelu(x)  # exact (erf), as the engine computes it
    if name == "silu":
        return F.silu(x)
    if name == "elu":
        return F.elu(x, alpha=1.0)
    if name == "leaky_relu":
        return F.leaky_relu(x, negative_slope=alpha)
    raise ValueError("unknown activation " + name)


def same_padding(size, window, stride):
    """TensorFlow's 'same' padding of one axis: (before, after), the smaller half before."""
    out = -(-size // stride)
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


class Dense(nn.Linear):
    """x @ kernel + bias on the last axis (nn.Linear's weight is the kernel transposed)."""

    def __init__(self, in_features, out_features, bias=True, activation="linear"):
        super().__init__(in_features, out_features, bias=bias)
        self.activation = activation

    def forward(self, x):
        return activation(super().forward(x), self.activation)


class Conv2D(nn.Conv2d):
    """A convolution over [batch, height, width, channels]; weight [out, in, kh, kw]."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=(1, 1), padding="valid", bias=True, activation="linear"):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=0, bias=bias)
        self.same = padding == "same"
        self.activation = activation

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.same:
            ph = same_padding(x.shape[2], self.kernel_size[0], self.stride[0])
            pw = same_padding(x.shape[3], self.kernel_size[1], self.stride[1])
            x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]))
        y = F.conv2d(x, self.weight, self.bias, self.stride)
        return activation(y.permute(0, 2, 3, 1), self.activation)


class Conv1D(nn.Conv1d):
    """A convolution over [batch, length, channels]; weight [out, in, k]."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding="valid", bias=True, activation="linear"):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=0, bias=bias)
        self.same = padding == "same"
        self.activation = activation

    def forward(self, x):
        x = x.permute(0, 2, 1)
        if self.same:
            x = F.pad(x, same_padding(x.shape[2], self.kernel_size[0], self.stride[0]))
        y = F.conv1d(x, self.weight, self.bias, self.stride)
        return activation(y.permute(0, 2, 1), self.activation)


def pool2d(x, kind, pool, stride, padding):
    """Max or average pooling over [batch, height, width, channels]; 'same' windows count only in-bounds values."""
    x = x.permute(0, 3, 1, 2)
    if padding == "same":
        ph = same_padding(x.shape[2], pool[0], stride[0])
        pw = same_padding(x.shape[3], pool[1], stride[1])
        pads = (pw[0], pw[1], ph[0], ph[1])
        if kind == "max":
            y = F.max_pool2d(F.pad(x, pads, value=float("-inf")), pool, stride)
        else:
            ones = torch.ones_like(x[:1, :1])
            y = F.avg_pool2d(F.pad(x, pads), pool, stride) / F.avg_pool2d(F.pad(ones, pads), pool, stride)
    else:
        y = F.max_pool2d(x, pool, stride) if kind == "max" else F.avg_pool2d(x, pool, stride)
    return y.permute(0, 2, 3, 1)


def pool1d(x, kind, pool, stride, padding):
    """Max or average pooling over [batch, length, channels]."""
    x = x.permute(0, 2, 1)
    if padding == "same":
        pads = same_padding(x.shape[2], pool, stride)
        if kind == "max":
            y = F.max_pool1d(F.pad(x, pads, value=float("-inf")), pool, stride)
        else:
            ones = torch.ones_like(x[:1, :1])
            y = F.avg_pool1d(F.pad(x, pads), pool, stride) / F.avg_pool1d(F.pad(ones, pads), pool, stride)
    else:
        y = F.max_pool1d(x, pool, stride) if kind == "max" else F.avg_pool1d(x, pool, stride)
    return y.permute(0, 2, 1)


def global_pool(x, kind):
    """Reduces every axis between the batch and the channels."""
    dims = tuple(range(1, x.dim() - 1))
    return x.amax(dim=dims) if kind == "max" else x.mean(dim=dims)


class BatchNorm(nn.Module):
    """Keras BatchNormalization over every axis but the last: batch statistics (biased
    variance) in training, folded into the moving ones as moving * momentum + batch * (1 - momentum)."""

    def __init__(self, num_features, momentum=0.99, eps=0.001):
        super().__init__()
        self.momentum = momentum
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if not self.training:
            scale = self.weight / torch.sqrt(self.running_var + self.eps)
            return (x - self.running_mean) * scale + self.bias
        dims = tuple(range(x.dim() - 1))
        mean = x.mean(dim=dims)
        centered = x - mean
        var = (centered * centered).mean(dim=dims)
        with torch.no_grad():
            self.running_mean.mul_(self.momentum).add_(mean.detach() * (1 - self.momentum))
            self.running_var.mul_(self.momentum).add_(var.detach() * (1 - self.momentum))
        return centered / torch.sqrt(var + self.eps) * self.weight + self.bias


class LayerNorm(nn.LayerNorm):
    """Normalises the last axis (biased variance), gamma = weight, beta = bias."""


class Embedding(nn.Embedding):
    """Integer ids [batch, ...] -> [batch, ..., dim]."""

    def forward(self, ids):
        return super().forward(ids.long())


class PositionEmbedding(nn.Module):
    """Adds the first T rows of a learned [max_len, dim] table to every sequence."""

    def __init__(self, max_len, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(max_len, dim))

    def forward(self, x):
        return x + self.weight[: x.shape[1]]


class SimpleRNN(nn.Module):
    """h = activation(x W_ih^T + h W_hh^T + bias), from h = 0; the last state or every state."""

    def __init__(self, input_size, units, activation="tanh", return_sequences=False):
        super().__init__()
        self.activation = activation
        self.return_sequences = return_sequences
        self.weight_ih = nn.Parameter(torch.zeros(units, input_size))
        self.weight_hh = nn.Parameter(torch.zeros(units, units))
        self.bias = nn.Parameter(torch.zeros(units))

    def forward(self, x):
        xw = F.linear(x, self.weight_ih, self.bias)
        h = x.new_zeros(x.shape[0], self.weight_hh.shape[0])
        states = []
        for t in range(x.shape[1]):
            h = activation(xw[:, t] + F.linear(h, self.weight_hh), self.activation)
            states.append(h)
        return torch.stack(states, dim=1) if self.return_sequences else h


class LSTM(nn.LSTM):
    """nn.LSTM (gate order i, f, g, o, the same as Keras's i, f, c, o) from zero states. Keras
    has one bias: it is bias_ih_l0, and bias_hh_l0 stays zero (frozen)."""

    def __init__(self, input_size, units, return_sequences=False):
        super().__init__(input_size, units, batch_first=True)
        self.return_sequences = return_sequences
        with torch.no_grad():
            self.bias_hh_l0.zero_()
        self.bias_hh_l0.requires_grad_(False)

    def forward(self, x):
        y, _ = super().forward(x)
        return y if self.return_sequences else y[:, -1]


class GRU(nn.GRU):
    """nn.GRU: its equations are Keras's GRU with reset_after=True; the Keras gates (z, r, h)
    are reordered to PyTorch's (r, z, n) and the two bias rows are bias_ih_l0 and bias_hh_l0."""

    def __init__(self, input_size, units, return_sequences=False):
        super().__init__(input_size, units, batch_first=True)
        self.return_sequences = return_sequences

    def forward(self, x):
        y, _ = super().forward(x)
        return y if self.return_sequences else y[:, -1]


class Bidirectional(nn.Module):
    """Keras's Bidirectional: the backward layer reads the sequence reversed in time, and its
    sequence is reversed back before the merge (concat on the last axis, sum, mul or ave)."""

    def __init__(self, forward_layer, backward_layer, merge="concat", return_sequences=False):
        super().__init__()
        self.forward_layer = forward_layer
        self.backward_layer = backward_layer
        self.merge = merge
        self.return_sequences = return_sequences

    def forward(self, x):
        y = self.forward_layer(x)
        y_back = self.backward_layer(torch.flip(x, [1]))
        if self.return_sequences:
            y_back = torch.flip(y_back, [1])
        if self.merge == "concat":
            return torch.cat([y, y_back], dim=-1)
        if self.merge == "sum":
            return y + y_back
        if self.merge == "mul":
            return y * y_back
        return (y + y_back) * 0.5


class MultiHeadAttention(nn.Module):
    """Keras MultiHeadAttention: per-head projections of size key_dim, scores scaled by
    1/sqrt(key_dim), softmax over the keys (causal: -1e9 above the diagonal), output projection."""

    def __init__(self, query_dim, key_value_dim, heads, key_dim, causal=False):
        super().__init__()
        self.heads = heads
        self.key_dim = key_dim
        self.causal = causal
        self.query = nn.Linear(query_dim, heads * key_dim)
        self.key = nn.Linear(key_value_dim, heads * key_dim)
        self.value = nn.Linear(key_value_dim, heads * key_dim)
        self.output = nn.Linear(heads * key_dim, query_dim)

    def forward(self, q, kv=None):
        kv = q if kv is None else kv
        n, tq, tk = q.shape[0], q.shape[1], kv.shape[1]
        h, k = self.heads, self.key_dim
        query = self.query(q).reshape(n, tq, h, k).transpose(1, 2) * (1.0 / math.sqrt(k))
        key = self.key(kv).reshape(n, tk, h, k).transpose(1, 2)
        value = self.value(kv).reshape(n, tk, h, k).transpose(1, 2)
        scores = query @ key.transpose(-1, -2)
        if self.causal:
            scores = scores + torch.triu(torch.full((tq, tk), -1e9, device=scores.device, dtype=scores.dtype), diagonal=1)
        attended = torch.softmax(scores, dim=-1) @ value
        return self.output(attended.transpose(1, 2).reshape(n, tq, h * k))


def take_inputs(names, dtypes, args, kwargs):
    """The inputs in declaration order, from positional arguments, keywords, or one dict."""
    if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
        kwargs, args = args[0], ()
    if len(args) + len(kwargs) != len(names):
        raise TypeError("the model takes %d input(s): %s" % (len(names), ", ".join(names)))
    values = list(args) + [None] * (len(names) - len(args))
    for key, v in kwargs.items():
        if key not in names:
            raise TypeError("no input named %s; the inputs are %s" % (key, ", ".join(names)))
        values[names.index(key)] = v
    out = []
    for name, v in zip(names, values):
        v = torch.as_tensor(v)
        out.append(v.long() if dtypes[name] == "int32" else v.float())
    return out
`;
