// Names the language gives things, shared by the checker (which names every call's IR node)
// and by code that writes Netspec text or predicts those names without the checker (the
// Keras importer, whose weights are keyed "node_id/kernel"). One rule, one home.

/** The reserved words of spec §1. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['model', 'block', 'train', 'input', 'output', 'repeat', 'int', 'float', 'true', 'false']);

const SNAKE = new Map<string, string>();

/** "MaxPool2D" -> "max_pool2d", "LSTM" -> "lstm": Keras-style node names (memoised). */
export function snakeName(name: string): string {
  let out = SNAKE.get(name);
  if (out === undefined) {
    out = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .toLowerCase()
      .replace(/(\d)_d(_|$)/, '$1d$2');
    // Layer names are few; block names come from the user, so the table is bounded.
    if (SNAKE.size > 10_000) SNAKE.clear();
    SNAKE.set(name, out);
  }
  return out;
}

/** Numbers repeated names from their second use, as Keras does: "dense", "dense_1", ... */
export class NodeIds {
  private readonly counters = new Map<string, number>();

  next(key: string): string {
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return n === 0 ? key : `${key}_${n}`;
  }
}
