/**
 * One result model for everything `ihub` checks: validation findings and test results are both
 * rendered by the reporters in `report/`.
 */
export type Severity = "error" | "warning";

export type Finding = {
  /** Stable code, documented in the README (e.g. IH012). */
  code: string;
  severity: Severity;
  /** Slug (folder name) of the integration, or null for repository-wide findings. */
  integration: string | null;
  /** Path relative to the repository root, with forward slashes. */
  file: string | null;
  line: number | null;
  column: number | null;
  /** RFC 6901 JSON pointer into `file` when it is JSON or YAML. */
  pointer: string | null;
  message: string;
  hint: string;
  /** The source line at `line` with a caret under `column` (source-excerpt.ts), where showing it helps. */
  excerpt?: string;
};

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) => [f.integration ?? "", f.file ?? "", String(f.line ?? 0).padStart(9, "0"), String(f.column ?? 0).padStart(9, "0"), f.code];
  return findings.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}
