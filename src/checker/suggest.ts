/**
 * "Did you mean" suggestions: the closest known name by edit distance, only when it is close enough that the
 * suggestion is likely what the user meant (a typo, not a different word).
 */

// Three rolling rows (the transposition case needs two back), reused across calls: suggestions run once per
// misspelt name against hundreds of candidates, and fresh arrays each time would be most of the cost.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Damerau-style distance (insert, delete, substitute, swap adjacent), giving up early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  if (rows[0].length < cols) rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < cols; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[cols - 1] as number;
}

/**
 * The best candidate for a misspelled `name`, or undefined when none is close: at most a third of the name's length
 * away (at least 1, none for names of one or two letters), and case-insensitive equality always counts
 * (`sigsegv` → `SIGSEGV`).
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  // One- and two-letter names are too short for a typo to be distinguishable from a different name.
  const limit = name.length <= 2 ? 0 : Math.max(1, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === name) continue;
    if (c.length === name.length && c.toLowerCase() === lower) return c;
    const d = editDistance(name, c, Math.min(bestDistance, limit));
    // On a tie, a candidate with the same letters wins: swapped letters (`rpi` → `rip`) are the commonest typo.
    if (
      d < bestDistance ||
      (d === bestDistance && best !== undefined && sameLetters(c, name) && !sameLetters(best, name))
    ) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

function sameLetters(a: string, b: string): boolean {
  return a.length === b.length && [...a].sort().join('') === [...b].sort().join('');
}
