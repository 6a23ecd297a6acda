// "Did you mean ...?" for the checker, remembered. Finding the nearest name costs an edit
// distance against every candidate, and a misspelt call inside `repeat 1000 { ... }` or a
// block used many times asks the same question over and over; the answer depends only on
// the name and the candidates, so it is kept and reused.
//
// The answers are filed under their exact candidate list (so a list that gains or loses a
// block name never sees another list's answers), and the table is bounded by the characters
// it holds, not only by its entries: a file with thousands of blocks has candidate lists of
// tens of kilobytes, and a language server keeps this table for its whole life.

import { suggestName } from '../../../engine/catalog/index';

/** Answers per candidate list, most recently used list last. */
const BY_LIST = new Map<string, Map<string, string | null>>();
/** The characters the table holds (list keys and names), and the bound on them. */
let held = 0;
const MAX_CHARS = 256_000;
const MAX_NAMES_PER_LIST = 5_000;

/** The candidate nearest to `name` (as `suggestName`), computed once per name and candidate list. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  // A separator that no identifier contains keeps different lists from sharing a key.
  const key = list.join('\u0000');
  let answers = BY_LIST.get(key);
  if (answers) {
    // Move the list to the end: the oldest lists are the ones dropped.
    BY_LIST.delete(key);
    BY_LIST.set(key, answers);
  } else {
    answers = new Map();
    BY_LIST.set(key, answers);
    held += key.length;
  }
  let hint = answers.get(name);
  if (hint === undefined) {
    hint = suggestName(name, list) ?? null;
    if (answers.size >= MAX_NAMES_PER_LIST) {
      for (const n of answers.keys()) held -= n.length;
      answers.clear();
    }
    answers.set(name, hint);
    held += name.length;
    trim(key);
  }
  return hint ?? undefined;
}

/** Drops the least recently used lists until the table is within its bound (never `keep`). */
function trim(keep: string): void {
  for (const [k, answers] of BY_LIST) {
    if (held <= MAX_CHARS) return;
    if (k === keep) continue;
    held -= k.length;
    for (const n of answers.keys()) held -= n.length;
    BY_LIST.delete(k);
  }
}

/** How many characters the table holds (for tests of its bound). */
export function suggestTableChars(): number {
  return held;
}
