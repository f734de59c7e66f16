/**
 * Runs the cases of the chosen integrations through the harness and counts them. The run is the
 * one data model both reporters print: the human report and the `--json` document.
 */
import { listCaseFiles, runIntegrationTests } from "../../harness/run-integration-tests.js";
import type { CaseResult, CaseStatus } from "../../harness/case-result.js";
import type { Progress } from "../../report/progress.js";
import type { IntegrationDir } from "../../repo/list-integrations.js";

export type IntegrationRun = { slug: string; ok: boolean; cases: CaseResult[] };
export type TestRun = { ok: boolean; counts: Record<CaseStatus, number> & { cases: number }; integrations: IntegrationRun[] };

export async function countCases(dirs: readonly IntegrationDir[]): Promise<number> {
  let total = 0;
  for (const d of dirs) total += (await listCaseFiles(d.dir)).length;
  return total;
}

export async function runTests(dirs: readonly IntegrationDir[], progress?: Progress): Promise<TestRun> {
  const integrations: IntegrationRun[] = [];
  const counts = { pass: 0, fail: 0, broken: 0, cases: 0 };
  for (const d of dirs) {
    const { cases } = await runIntegrationTests(d.dir, { onCase: (c) => progress?.tick(`${d.slug} ${c.file}`) });
    for (const c of cases) counts[c.status]++;
    counts.cases += cases.length;
    // An integration without cases fails: `ihub validate` demands one per handler, and a silent pass would hide that.
    integrations.push({ slug: d.slug, ok: cases.length > 0 && cases.every((c) => c.status === "pass"), cases });
  }
  progress?.done();
  return { ok: integrations.every((i) => i.ok), counts, integrations };
}
