/**
 * Text for a failed or broken case: each mismatch with its file:line and pointer, then its diff.
 * The vitest entry prints it plain; `ihub test` passes colours in.
 */
import type { CaseResult } from "./case-result.js";

export type TextStyle = { red(s: string): string; green(s: string): string; dim(s: string): string; cyan(s: string): string };
export const plainStyle: TextStyle = { red: (s) => s, green: (s) => s, dim: (s) => s, cyan: (s) => s };

function place(file: string, line: number | null, column: number | null, pointer: string, style: TextStyle): string {
  const at = [file, line, column].filter((x) => x !== null).join(":");
  return pointer ? `${at} ${style.dim(pointer)}` : at;
}

function paintDiff(diff: string, style: TextStyle): string[] {
  return diff.split("\n").map((l) => (l.startsWith("- ") || l.startsWith("--- ") ? style.red(l) : l.startsWith("+ ") || l.startsWith("+++ ") ? style.green(l) : l));
}

/** Lines describing why a case did not pass (none for a pass), for a file path shown as `fileLabel`. */
export function renderCaseDetails(result: CaseResult, fileLabel: string = result.file, style: TextStyle = plainStyle): string[] {
  if (result.status === "pass") return [];
  if (result.status === "broken") return result.problems.map((p) => `${place(fileLabel, p.line, p.column, p.pointer, style)} ${p.message}`);
  const lines: string[] = [];
  for (const m of result.mismatches) {
    lines.push(`${style.red(m.kind)} ${place(fileLabel, m.line, m.column, m.pointer, style)}`, `  ${m.message}`);
    if ("diff" in m) lines.push(...paintDiff(m.diff, style).map((l) => `    ${l}`));
    if (m.kind === "unmatched_request" && m.closest) {
      lines.push(`  ${style.cyan("closest fixture")} ${m.closest.pointer}${m.closest.differences.length ? ` differs in ${m.closest.differences.join(", ")}` : " (used up)"}:`);
      lines.push(...paintDiff(m.closest.diff, style).map((l) => `    ${l}`));
    }
    if (m.kind === "requests" && m.made.length > 0) lines.push(...m.made.map((r) => `    ${style.dim("made")} ${r}`));
  }
  return lines;
}
