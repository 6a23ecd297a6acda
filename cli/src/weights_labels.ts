// The `labels` metadata of a weights file, checked before `netspec predict` computes
// anything (the finite-values check is the engine's firstNonFinite). It should be what
// `netspec train` wrote: a JSON object
// that maps outputs of the model to lists of distinct label strings (or null), no longer than
// the output's classes. Each fault is a sentence that says what is wrong; the caller names
// the file.

import type { ModelIR } from '../../engine/catalog/ir';
import type { OutputSlot } from '../../engine/src/data/model_fit';
import type { TrainDataSource } from '../../engine/catalog/train_ir';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The labels of each output from the `labels` metadata (absent: none). `slots` are the
 * model's outputs under the train block's losses, for the class counts.
 */
export function parseLabelsMetadata(text: string | undefined, ir: ModelIR, slots: readonly OutputSlot[]): Checked<Record<string, string[] | null>> {
  if (text === undefined) return { ok: true, value: {} };
  const fail = (why: string): Checked<never> => ({ ok: false, message: `the "labels" metadata ${why}` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail(`is not JSON (it reads ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}); it should map each output to its list of labels, e.g. {"output": ["cat", "dog"]}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail(`is ${Array.isArray(parsed) ? 'a list' : parsed === null ? 'null' : `a ${typeof parsed}`}, but should be an object that maps each output to its list of labels`);
  }
  const outputs = ir.outputs.map((o) => o.name);
  const labels: Record<string, string[] | null> = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!outputs.includes(name)) return fail(`names output "${name}", which model ${ir.name} does not have (its outputs: ${outputs.join(', ')})`);
    if (value === null) {
      labels[name] = null;
      continue;
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      return fail(`for output ${name} should be a list of label strings or null, but is ${JSON.stringify(value)}`);
    }
    const list = value as string[];
    const twice = list.find((l, i) => list.indexOf(l) !== i);
    if (twice !== undefined) return fail(`for output ${name} lists the label ${JSON.stringify(twice)} twice; each class needs its own label`);
    const slot = slots.find((s) => s.name === name);
    const classes = slot?.kind === 'class' ? slot.units : 2;
    if (list.length > classes) {
      return fail(`for output ${name} lists ${list.length} labels (${list.join(', ')}), but the output has ${classes} classes; were the weights saved from another model?`);
    }
    labels[name] = list;
  }
  return { ok: true, value: labels };
}

/**
 * The vocabulary of a text source from the `vocab` metadata: the word of each id from 2 on,
 * as `netspec train` wrote it (engine/src/data/text.ts). Undefined when the train block
 * reads no text; a fault when it does and the weights hold no vocabulary or a malformed one
 * (without it, raw text cannot be mapped to the ids the weights were trained on).
 */
export function parseVocabMetadata(text: string | undefined, source: TrainDataSource | null): Checked<string[] | undefined> {
  if (!source?.text) return { ok: true, value: undefined };
  const fail = (why: string): Checked<never> => ({ ok: false, message: `the "vocab" metadata ${why}` });
  if (text === undefined) return fail(`is missing, but the train block reads text="${source.text.column}"; retrain with \`netspec train\` to save the vocabulary with the weights`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('is not JSON; it should be the list of words of ids 2, 3, ...');
  }
  if (!Array.isArray(parsed) || !parsed.every((w) => typeof w === 'string')) return fail('should be a list of word strings');
  const words = parsed as string[];
  if (new Set(words).size !== words.length) return fail('lists a word twice; each id needs its own word');
  if (words.length > source.text.vocab - 2) {
    return fail(`lists ${words.length} words, but vocab=${source.text.vocab} has room for ${source.text.vocab - 2} (ids 2 to ${source.text.vocab - 1}); were the weights saved from another train block?`);
  }
  return { ok: true, value: words };
}
