/** Findings of the catalog build: what it had to leave out or fall back on, and why. */
import type { Finding } from "../findings/finding.js";

export const isFinding = (v: object): v is Finding => "code" in v && "severity" in v;

export function catalogFinding(f: { code: string; integration: string; file: string; message: string; hint: string; pointer?: string | null }): Finding {
  return { severity: "error", line: null, column: null, pointer: null, ...f };
}
