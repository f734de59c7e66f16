/**
 * A readable, unified-style line diff of two JSON values, for "expected vs actual" in failed
 * cases and for the closest fixture of an unmatched request.
 */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Lua has one empty table for both; {} and [] are the same value once they crossed the boundary.
  const emptyA = isEmptyContainer(a);
  if (emptyA && isEmptyContainer(b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqualJson(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqualJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function isEmptyContainer(v: unknown): boolean {
  return typeof v === "object" && v !== null && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
}

const MAX_LINES = 400;

/** Lines prefixed "- " (expected only), "+ " (actual only) and "  " (both), via the longest common subsequence. */
export function lineDiff(expected: string[], actual: string[]): string[] {
  const a = expected.slice(0, MAX_LINES);
  const b = actual.slice(0, MAX_LINES);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  if (expected.length > MAX_LINES || actual.length > MAX_LINES) out.push(`  … (longer than ${MAX_LINES} lines, cut)`);
  return out;
}

export function jsonDiff(expected: unknown, actual: unknown): string {
  const lines = (v: unknown) => (v === undefined ? ["(nothing)"] : JSON.stringify(v, null, 2).split("\n"));
  return ["--- expected", "+++ actual", ...lineDiff(lines(expected), lines(actual))].join("\n");
}
