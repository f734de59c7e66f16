/**
 * The three gates' reports regrouped by integration: what the comment shows per folder. Pure;
 * a gate that was not given, or did not produce a report, contributes nothing here (the
 * renderer says so once, at the top).
 */
import type { CaseResult } from "../../harness/case-result.js";
import type { Finding } from "../../findings/finding.js";
import type { GateOutcomes, VersionReportDocument } from "./gate-documents.js";

export type VersionEntry = VersionReportDocument["integrations"][number];

export type IntegrationSummary = {
  /** Folder name, or null for repository-wide findings. */
  slug: string | null;
  /** Null when validate did not look at this integration. */
  validate: { errors: Finding[]; warnings: Finding[] } | null;
  tests: { passed: number; failing: Exclude<CaseResult, { status: "pass" }>[]; total: number } | null;
  version: VersionEntry | null;
  ok: boolean;
};

const reportOf = <R>(o: { kind: string; report?: R } | undefined): R | undefined => (o?.kind === "report" ? o.report : undefined);

export function summarizeIntegrations(outcomes: GateOutcomes): IntegrationSummary[] {
  const bySlug = new Map<string | null, IntegrationSummary>();
  const entry = (slug: string | null) => {
    let s = bySlug.get(slug);
    if (!s) bySlug.set(slug, (s = { slug, validate: null, tests: null, version: null, ok: true }));
    return s;
  };

  const validate = reportOf(outcomes.validate);
  if (validate) {
    for (const slug of validate.integrations) entry(slug).validate = { errors: [], warnings: [] };
    for (const f of validate.findings) {
      const s = entry(f.integration);
      s.validate ??= { errors: [], warnings: [] };
      (f.severity === "error" ? s.validate.errors : s.validate.warnings).push(f);
    }
  }
  for (const i of reportOf(outcomes.test)?.integrations ?? []) {
    const failing = i.cases.filter((c): c is Exclude<CaseResult, { status: "pass" }> => c.status !== "pass");
    entry(i.slug).tests = { passed: i.cases.length - failing.length, failing, total: i.cases.length };
  }
  for (const v of reportOf(outcomes.version)?.integrations ?? []) entry(v.slug).version = v;

  for (const s of bySlug.values()) {
    // A folder without cases fails `ihub test` (see run-tests.ts), so it is not green here either.
    const testsOk = !s.tests || (s.tests.failing.length === 0 && s.tests.total > 0);
    s.ok = (s.validate?.errors.length ?? 0) === 0 && testsOk && (s.version?.sufficient ?? true);
  }
  // Failing integrations first, so truncation drops green rows before red ones; then by name.
  return [...bySlug.values()].sort((a, b) => Number(a.ok) - Number(b.ok) || (a.slug ?? "").localeCompare(b.slug ?? ""));
}
