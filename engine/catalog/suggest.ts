// "Did you mean ...?": the nearest known name to a misspelt one, by case-insensitive
// Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
// substitutions and swaps of neighbours each cost 1). Used for unknown layers, arguments
// and names alike, so it lives in the leaf catalog.

/** Edit distance with adjacent transpositions, compared case-insensitively. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const m = s.length;
  const n = t.length;
  // d[i][j] is the distance between the first i characters of s and the first j of t.
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[m][n];
}

/**
 * The candidate nearest to `name`, if it is within max(2, floor(len/3)) edits of it (len is
 * the length of `name`). Ties go to the candidate that comes first; a name that is itself a
 * candidate gets no suggestion. Never throws.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    // A name that is itself a candidate needs no suggestion.
    if (c === name) return undefined;
    // The distance is at least the difference in length; skip hopeless candidates cheaply.
    if (Math.abs(c.length - name.length) > limit) continue;
    const dist = editDistance(name, c);
    if (dist <= limit && dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}
