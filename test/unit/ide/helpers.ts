// Helpers for the IDE feature tests: check a source with the real parser and checker, and
// mark cursor positions in test sources with `|`.

import { checkText } from '../../../server/src/sema/check';
import type { CheckedFile } from '../../../server/src/sema/checked';

export function check(text: string): CheckedFile {
  return checkText(text, { path: '/tmp/netspec-ide-test/test.netspec' });
}

/** Removes every `|` from `marked`, returning the text and the offsets where they stood. */
export function cursors(marked: string): { text: string; at: number[] } {
  const at: number[] = [];
  let text = '';
  for (const ch of marked) {
    if (ch === '|') at.push(text.length);
    else text += ch;
  }
  return { text, at };
}

/** The offset of the `n`-th occurrence (0-based) of `needle` in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, delta = 0, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`"${needle}" not found`);
  }
  return i + delta;
}

/** The text a span covers. */
export function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

export const MNIST = `model Mnist {
  input image: [28, 28, 1]
  conv = image -> Conv2D(32, 3, activation=relu)
  features = conv -> MaxPool2D() -> Flatten()
  hidden = features -> Dense(64, activation=relu)
  Dense(10)
}

train Mnist {
  data = idx(images="train-images.idx", labels="train-labels.idx")
  loss = cross_entropy
  optimizer = adam(lr=0.001)
  epochs = 2
}
`;

export const WITH_BLOCK = `block Mlp(units, rate=0.1) {
  input x: [n]
  h = x -> Dense(units, activation=relu)
  output y = h -> Dropout(rate)
}

model Net {
  input a: [16]
  h = a -> Mlp(32)
  Mlp(units=8, rate=0.2)
}
`;
