/** The declared name a misspelt one most likely meant, for "did you mean" in a finding's message. */
import { distance } from "fastest-levenshtein";

/**
 * The candidate nearest to `name` by edit distance (case ignored), first on a tie. Unless `always`,
 * only a near miss counts: at most one edit in a short name, two in a longer one, and fewer edits
 * than the name has letters (any one-letter name is one edit from any other).
 */
export function closestName(name: string, candidates: Iterable<string>, always = false): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best === undefined || bestDistance === 0) return best;
  return always || (bestDistance <= (name.length <= 3 ? 1 : 2) && bestDistance < name.length) ? best : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export const didYouMean = (suggestion: string | undefined): string => (suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`);
