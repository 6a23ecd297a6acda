// "Did you mean ...?" for the checker, remembered. Finding the nearest name costs an edit
// distance against every candidate, and a misspelt call inside `repeat 1000 { ... }` or a
// block used many times asks the same question over and over; the answer depends only on
// the name and the candidates, so it is kept (in a bounded table) and reused.

import { suggestName } from '../../../engine/catalog/index';

const MEMO = new Map<string, string | null>();
const MAX_ENTRIES = 5_000;

/** The candidate nearest to `name` (as `suggestName`), computed once per name and candidate list. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  // A separator that no identifier contains keeps different lists from sharing a key.
  const key = `${name}\u0000${list.join('\u0000')}`;
  let hint = MEMO.get(key);
  if (hint === undefined) {
    hint = suggestName(name, list) ?? null;
    if (MEMO.size >= MAX_ENTRIES) MEMO.clear();
    MEMO.set(key, hint);
  }
  return hint ?? undefined;
}
