/**
 * Validates a set of integrations of one repository with bounded concurrency (file reads overlap;
 * the CPU work is small per integration) and adds the findings only the whole set can show:
 * duplicate slugs.
 */
import { realpath } from "node:fs/promises";
import { countBySeverity, sortFindings, type Finding, type Severity } from "../findings/finding.js";
import type { Progress } from "../report/progress.js";
import { listIntegrationDirs, type IntegrationDir } from "../repo/list-integrations.js";
import { FINDING_CODES } from "./codes.js";
import { runScope, validateIntegration, type IntegrationResult } from "./validate-integration.js";

export const DEFAULT_CONCURRENCY = 16;

export type ValidateResult = {
  /** Slugs (folder names) checked, sorted. */
  integrations: string[];
  findings: Finding[];
  counts: Record<Severity, number>;
};

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function duplicateFindings(all: readonly IntegrationDir[], results: readonly IntegrationResult[]): Finding[] {
  const dup = (slug: string, message: string): Finding => ({
    code: "IH013",
    severity: FINDING_CODES.IH013.severity,
    integration: slug,
    file: `integrations/${slug}`,
    line: null,
    column: null,
    pointer: null,
    message,
    hint: FINDING_CODES.IH013.hint,
  });
  const out: Finding[] = [];
  const byFolder = new Map<string, string[]>();
  for (const d of all) byFolder.set(d.slug.toLowerCase(), [...(byFolder.get(d.slug.toLowerCase()) ?? []), d.slug]);
  const byDeclared = new Map<string, string[]>();
  for (const r of results) if (r.declaredSlug) byDeclared.set(r.declaredSlug, [...(byDeclared.get(r.declaredSlug) ?? []), r.slug]);
  for (const r of results) {
    const sameFolder = (byFolder.get(r.slug.toLowerCase()) ?? []).filter((s) => s !== r.slug);
    if (sameFolder.length) out.push(dup(r.slug, `folder "${r.slug}" differs only in case from ${sameFolder.map((s) => `"${s}"`).join(", ")}`));
    const sameDeclared = r.declaredSlug ? (byDeclared.get(r.declaredSlug) ?? []).filter((s) => s !== r.slug) : [];
    if (sameDeclared.length) out.push(dup(r.slug, `slug "${r.declaredSlug}" is also declared by ${sameDeclared.map((s) => `integrations/${s}`).join(", ")}`));
  }
  return out;
}

/** `only`: folder names to check (all when undefined). */
export async function validateRepo(root: string, opts: { only?: readonly string[]; concurrency?: number; progress?: Progress } = {}): Promise<ValidateResult> {
  const all = await listIntegrationDirs(root);
  const wanted = opts.only ? new Set(opts.only) : null;
  const selected = wanted ? all.filter((d) => wanted.has(d.slug)) : all;
  const scope = runScope(root, await realpath(root));
  const results = await mapBounded(selected, opts.concurrency ?? DEFAULT_CONCURRENCY, async (d) => {
    const r = await validateIntegration(d, scope);
    opts.progress?.tick(d.slug);
    return r;
  });
  opts.progress?.done();
  const findings = sortFindings([...results.flatMap((r) => r.findings), ...duplicateFindings(all, results)]);
  return { integrations: selected.map((d) => d.slug), findings, counts: countBySeverity(findings) };
}
