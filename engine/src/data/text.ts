// Text as word ids, for `csv(..., text=COL, vocab=N, length=L)` and its json twin. The rule,
// the same in training, validation and prediction:
// - a text is lowercased (String.prototype.toLowerCase) and split into words: maximal runs
//   of Unicode letters and digits, so punctuation, white space and symbols only separate
//   words ("Don't!" is the words "don" and "t"; "café au lait" three words);
// - the vocabulary is built from the training rows only: words by count, most frequent
//   first, ties in code-point order of the word, cut to `vocab - 2` words; word i of it has
//   the id i + 2, since 0 is padding and 1 is any word outside it;
// - a text becomes its first `length` ids, followed by 0s up to `length`.
// The vocabulary (its words, in id order from 2) is saved with the weights, so `netspec
// predict` reads raw text and maps it exactly as training did.

import type { IRInput, IRNode } from '../../catalog/ir';
import { formatShape } from '../../catalog/shape';
import type { TextColumn } from '../../catalog/train_ir';
import { dataFail, type DataResult } from './data_error';

/** Why `features=` and `text=` cannot be given together. */
export const TEXT_WITH_FEATURES = 'features= cannot be combined with text=: the text column is the whole input (its word ids); remove features=';

/** The id of padding. */
export const PAD_ID = 0;
/** The id of a word outside the vocabulary. */
export const UNKNOWN_ID = 1;

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a text, lowercased. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The vocabulary of `texts`: at most `vocab - 2` words, most frequent first, ties by code point; the word at index i has id i + 2. */
export function buildVocabulary(texts: Iterable<string>, vocab: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of tokenize(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, vocab - 2))
    .map(([w]) => w);
}

/** Maps words to ids under one vocabulary. */
export class WordIds {
  private readonly ids: Map<string, number>;

  constructor(readonly words: readonly string[], readonly length: number) {
    this.ids = new Map(words.map((w, i) => [w, i + 2]));
  }

  /** The ids of `text` into `out` at `offset`: the first `length` words, then padding. */
  encodeInto(text: string, out: Int32Array, offset: number): void {
    const words = tokenize(text);
    const n = Math.min(words.length, this.length);
    for (let i = 0; i < n; i++) out[offset + i] = this.ids.get(words[i]) ?? UNKNOWN_ID;
    out.fill(PAD_ID, offset + n, offset + this.length);
  }

  /** The ids of every text, `length` per text. */
  encode(texts: readonly string[]): Int32Array {
    const out = new Int32Array(texts.length * this.length);
    texts.forEach((t, r) => this.encodeInto(t, out, r * this.length));
    return out;
  }
}

/** A text column feeds the model's one input, which must be `[length] int`. */
export function checkTextInput(inputs: readonly IRInput[], text: TextColumn, file: string): DataResult<IRInput> {
  const input = inputs[0];
  const fits = inputs.length === 1 && input.dtype === 'int32' && input.shape.length === 1 && input.shape[0] === text.length;
  if (!fits) {
    const has = inputs.length === 1 ? `input ${input.name} is ${formatShape(input.shape)}${input.dtype === 'int32' ? ' int' : ''}` : `the model has ${inputs.length} inputs`;
    return dataFail(file, `text="${text.column}" gives ${text.length} word ids per sample (length=${text.length}), so the model needs one input [${text.length}] int, but ${has}; declare \`input ${inputs[0]?.name ?? 'x'}: [${text.length}] int\``, undefined, 'data-mismatch');
  }
  return { ok: true, value: input };
}

/**
 * Each Embedding that reads the text input directly must take every id the vocabulary can
 * give (0 to vocab - 1): an id past its table would be looked up as zeros, silently.
 */
export function checkTextEmbeddings(ir: { inputs: readonly IRInput[]; nodes: readonly IRNode[] }, text: TextColumn, file: string): DataResult<true> {
  const input = ir.inputs[0]?.name;
  for (const node of ir.nodes) {
    if (node.op !== 'Embedding' || !node.inputs.includes(input)) continue;
    const size = node.args.vocab;
    if (typeof size === 'number' && size < text.vocab) {
      return dataFail(file, `text="${text.column}" gives ids up to ${text.vocab - 1} (vocab=${text.vocab}), but the Embedding on line ${node.line + 1} takes ids 0 to ${size - 1}; make it Embedding(${text.vocab}, ...) or give vocab=${size}`, undefined, 'data-mismatch');
    }
  }
  return { ok: true, value: true };
}
