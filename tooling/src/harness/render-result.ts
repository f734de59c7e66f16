/**
 * Text for a failed or broken case: each mismatch with its file:line and pointer, then its diff.
 * The vitest entry prints it plain; `ihub test` passes colours in.
 */
import type { CaseResult } from "./case-result.js";
import type { UnmatchedRequest } from "./fixture-pool.js";

export type TextStyle = { red(s: string): string; green(s: string): string; dim(s: string): string; cyan(s: string): string };
export const plainStyle: TextStyle = { red: (s) => s, green: (s) => s, dim: (s) => s, cyan: (s) => s };

function place(file: string, line: number | null, column: number | null, pointer: string, style: TextStyle): string {
  const at = [file, line, column].filter((x) => x !== null).join(":");
  return pointer ? `${at} ${style.dim(pointer)}` : at;
}

function paintDiff(diff: string, style: TextStyle): string[] {
  return diff.split("\n").map((l) => (l.startsWith("- ") || l.startsWith("--- ") ? style.red(l) : l.startsWith("+ ") || l.startsWith("+++ ") ? style.green(l) : l));
}

/** The closest fixture of an unmatched request: which parts differ, then fixture and request as a diff. */
export function renderClosest(closest: NonNullable<UnmatchedRequest["closest"]>, style: TextStyle = plainStyle): string[] {
  const how = closest.differences.length ? ` differs in ${closest.differences.join(", ")}` : " matches but is used up";
  return [`  ${style.cyan("closest fixture")} ${closest.pointer}${how}:`, ...paintDiff(closest.diff, style).map((l) => `    ${l}`)];
}

/** Lines describing why a case did not pass (none for a pass), for a file path shown as `fileLabel`. */
export function renderCaseDetails(result: CaseResult, fileLabel: string = result.file, style: TextStyle = plainStyle): string[] {
  if (result.status === "pass") return [];
  if (result.status === "broken") return result.problems.map((p) => `${place(fileLabel, p.line, p.column, p.pointer, style)} ${p.message}`);
  const lines: string[] = [];
  for (const m of result.mismatches) {
    lines.push(`${style.red(m.kind)} ${place(fileLabel, m.line, m.column, m.pointer, style)}`, `  ${m.message}`);
    if ("diff" in m) lines.push(...paintDiff(m.diff, style).map((l) => `    ${l}`));
    if (m.kind === "unmatched_request" && m.closest) lines.push(...renderClosest(m.closest, style));
    if (m.kind === "requests" && m.made.length > 0) lines.push(...m.made.map((r) => `    ${style.dim("made")} ${r}`));
  }
  return lines;
}
