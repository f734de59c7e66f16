/** The terminal rendering of `ihub test`: cases grouped by integration, failures with their diffs, then a summary line. */
import { integrationPath } from "@ihub/runtime/layout";
import { renderCaseDetails } from "../../harness/render-result.js";
import type { CaseResult } from "../../harness/case-result.js";
import { colors } from "../../report/colors.js";
import type { TestDocument } from "../../documents/stage-documents.js";

const MARK: Record<CaseResult["status"], () => string> = {
  pass: () => colors.green("✔"),
  fail: () => colors.red("✖"),
  broken: () => colors.yellow("!"),
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderHuman(run: TestDocument): string {
  const lines: string[] = [];
  for (const integration of run.integrations) {
    lines.push(colors.bold(colors.underline(integration.slug)));
    if (integration.cases.length === 0) lines.push(`  ${colors.yellow("no test cases")} under integrations/${integration.slug}/tests/`);
    for (const c of integration.cases) {
      lines.push(`  ${MARK[c.status]()} ${c.name ?? c.file} ${colors.dim(c.file)}`);
      for (const l of renderCaseDetails(c, integrationPath(integration.slug, c.file), colors)) lines.push(`      ${l}`);
    }
    lines.push("");
  }
  const { pass, fail, broken, cases } = run.counts;
  const where = `${plural(cases, "case")} in ${plural(run.integrations.length, "integration")}`;
  lines.push(
    fail + broken === 0
      ? colors.green(`✔ ${where} passed`)
      : colors.red(`✖ ${[fail ? `${fail} failed` : "", broken ? `${broken} broken` : ""].filter(Boolean).join(", ")}, ${pass} passed (${where})`),
  );
  return lines.join("\n") + "\n";
}
