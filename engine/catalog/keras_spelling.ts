// Keras spells some layers and arguments differently from Netspec. Users who write Keras
// every day type its names first; the checker recognises them, says what Netspec calls
// them, offers a quick fix, and checks the rest of the model as if the Netspec name had
// been written (so one habit costs one diagnostic, not a cascade).

/** Keras class name → Netspec layer name, for the layers whose names differ. */
const KERAS_LAYERS: Readonly<Record<string, string>> = {
  BatchNormalization: 'BatchNorm',
  LayerNormalization: 'LayerNorm',
  MaxPooling1D: 'MaxPool1D',
  MaxPooling2D: 'MaxPool2D',
  AveragePooling1D: 'AvgPool1D',
  AveragePooling2D: 'AvgPool2D',
  GlobalAveragePooling1D: 'GlobalAvgPool1D',
  GlobalAveragePooling2D: 'GlobalAvgPool2D',
  GlobalMaxPooling1D: 'GlobalMaxPool1D',
  GlobalMaxPooling2D: 'GlobalMaxPool2D',
  Concatenate: 'Concat',
};

/** Keras argument name → Netspec argument name; it applies where the layer has that argument. */
const KERAS_ARGUMENTS: Readonly<Record<string, string>> = {
  kernel_size: 'kernel',
  strides: 'stride',
  use_bias: 'bias',
  pool_size: 'pool',
  epsilon: 'eps',
  num_heads: 'heads',
  target_shape: 'target',
  input_dim: 'vocab',
  output_dim: 'dim',
  use_causal_mask: 'causal',
  negative_slope: 'alpha',
  maxlen: 'max_len',
  dims: 'axes',
  merge_mode: 'merge',
};

/** The Netspec layer a Keras class name means, when Netspec spells it differently. */
export function netspecLayerFor(kerasName: string): string | undefined {
  return Object.hasOwn(KERAS_LAYERS, kerasName) ? KERAS_LAYERS[kerasName] : undefined;
}

/** The Netspec argument a Keras argument name means, when Netspec spells it differently. */
export function netspecArgumentFor(kerasName: string): string | undefined {
  return Object.hasOwn(KERAS_ARGUMENTS, kerasName) ? KERAS_ARGUMENTS[kerasName] : undefined;
}

/** The Keras layer names Netspec recognises, as candidates for "did you mean". */
export function kerasLayerNames(): string[] {
  return Object.keys(KERAS_LAYERS);
}

/** The Keras argument names Netspec recognises, as candidates for "did you mean". */
export function kerasArgumentNames(): string[] {
  return Object.keys(KERAS_ARGUMENTS);
}
