// Generates a large, realistic Netspec file for the benchmarks: many models and blocks
// with the statements people write (convnets, sequence models, transformer blocks with
// symbolic sizes, multi-input models, comments), so the measured costs are those of a
// big real file rather than of one statement repeated.

function convnet(k: number): string {
  return `# Convnet ${k}: an image classifier.
model conv_${k} {
  input image: [32, 32, 3]
  Conv2D(32, 3, padding=same, activation=relu)
  BatchNorm()
  Conv2D(32, 3, activation=relu)
  MaxPool2D(2)
  Dropout(0.25)
  Conv2D(64, 3, padding=same, activation=relu)
  Conv2D(64, 3, activation=relu)
  MaxPool2D(2)
  Flatten()
  Dense(${128 + (k % 7)}, activation=relu)
  Dropout(0.5)
  Dense(10, activation=softmax)
}
`;
}

function encoder(k: number): string {
  return `block Encoder_${k}(d, heads=4, ff=128) {
  input x: [seq, d]
  a = x -> MultiHeadAttention(heads, causal=true)
  s = (x, a) -> Add() -> LayerNorm()
  f = s -> Dense(ff, activation=gelu) -> Dense(d)
  output y = (s, f) -> Add() -> LayerNorm()
}

model lm_${k} {
  input ids: [seq] int
  Embedding(5000, 64) -> PositionEmbedding(512)
  repeat 2 {
    Encoder_${k}(d=64, heads=4)
  }
  Encoder_${k}(d=64, heads=8, ff=256)
  Dense(5000)
}
`;
}

function sequence(k: number): string {
  return `model seq_${k} {
  input series: [100, 6]
  Conv1D(32, 5, padding=same, activation=relu)
  MaxPool1D(2)
  LSTM(64, return_sequences=true)
  GRU(32)
  Dense(1)
}
`;
}

function multi(k: number): string {
  return `model tabular_${k} {
  input numeric: [12]
  input tokens: [20] int
  n = numeric -> Dense(32, activation=relu) -> Dropout(0.1)
  t = tokens -> Embedding(1000, 16) -> GlobalAvgPool1D()
  joined = (n, t) -> Concat()
  output kind = joined -> Dense(${3 + (k % 5)}, activation=softmax)
  output amount = joined -> Dense(1)
}
`;
}

/** A file of at least `lines` lines; returns the text. */
export function generateFile(lines: number): string {
  const parts: string[] = ['# A generated benchmark file.\n'];
  let count = 1;
  for (let k = 0; count < lines; k++) {
    const chunk = [convnet, encoder, sequence, multi][k % 4](k) + '\n';
    parts.push(chunk);
    count += chunk.split('\n').length - 1;
  }
  return parts.join('');
}

/** The offset of the last occurrence of `needle` (a late layer call for hover). */
export function lastOffset(text: string, needle: string): number {
  const at = text.lastIndexOf(needle);
  if (at < 0) throw new Error(`'${needle}' is not in the generated file`);
  return at;
}
