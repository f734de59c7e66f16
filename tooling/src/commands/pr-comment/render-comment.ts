/**
 * The pull-request comment: one Markdown document from the gates' `--json` reports. Pure, so
 * its tests need neither GitHub nor the gates. Layout: a verdict line, gates that produced no
 * report, one table row per integration (failing first), then a section per failing or warned
 * integration with file:line, code and hint. Lists are cut at a fixed length with a count, and
 * sections stop before the body would pass GitHub's 65,536-character limit.
 */
import { integrationPath } from "@ihub/runtime/layout";
import type { Finding } from "../../findings/finding.js";
import type { GateName, GateOutcome, GateOutcomes } from "./gate-documents.js";
import { summarizeIntegrations, type IntegrationSummary, type VersionEntry } from "./integration-summary.js";
import { code, limitedList, plural, text } from "./markdown.js";

/** The hidden line that identifies the sticky comment among a PR's comments. */
export const COMMENT_MARKER = "<!-- ihub:pr-comment -->";
/** GitHub refuses longer bodies; the margin keeps room for the closing lines. */
export const GITHUB_COMMENT_LIMIT = 65_536;
const BUDGET = GITHUB_COMMENT_LIMIT - 2_000;
const ITEMS_PER_LIST = 10;
const TABLE_ROWS = 100;

export type RenderOptions = { /** Link to the workflow run, for "see the job log". */ runUrl?: string };

const where = (file: string | null, line: number | null, column: number | null) => (file === null ? null : [file, line, line === null ? null : column].filter((x) => x !== null).join(":"));

function findingItem(f: Finding): string {
  const at = where(f.file, f.line, f.column);
  const place = [at && code(at), f.pointer && f.pointer !== "" ? code(f.pointer) : null].filter(Boolean).join(" ");
  return `- ${f.severity === "error" ? "❌" : "⚠️"} ${code(f.code)} ${place ? place + " " : ""}${text(f.message)}<br>_${text(f.hint, 300, { code: true })}_`;
}

function validateCell(s: IntegrationSummary): string {
  if (!s.validate) return "—";
  const { errors, warnings } = s.validate;
  const parts = [errors.length ? plural(errors.length, "error") : null, warnings.length ? plural(warnings.length, "warning") : null].filter(Boolean);
  return `${errors.length ? "❌" : warnings.length ? "⚠️" : "✅"} ${parts.join(", ")}`.trimEnd();
}

function testsCell(s: IntegrationSummary): string {
  if (!s.tests) return "—";
  if (s.tests.total === 0) return "❌ no test cases";
  return s.tests.failing.length ? `❌ ${s.tests.failing.length} of ${s.tests.total} failing` : `✅ ${s.tests.passed} passed`;
}

const arrow = (v: VersionEntry) => `${v.baseVersion ?? "—"} → ${v.declaredVersion ?? "—"}`;

function versionCell(s: IntegrationSummary): string {
  const v = s.version;
  if (!v) return "—";
  const mark = v.sufficient ? "✅" : "❌";
  switch (v.status) {
    case "unchanged":
      return `${mark} unchanged`;
    case "new":
      return `${mark} new at ${v.declaredVersion ?? "—"}`;
    case "removed":
      return "removed";
    case "invalid":
      return "❌ manifest unreadable";
    case "changed":
      return `${mark} ${v.required} required, ${arrow(v)}`;
  }
}

function caseItems(slug: string, failing: NonNullable<IntegrationSummary["tests"]>["failing"]): string[] {
  return failing.map((c) => {
    const title = `${c.status === "broken" ? "broken" : "failed"}: ${code(integrationPath(slug, c.file))}${c.name ? ` ${text(c.name, 120)}` : ""}${c.handler ? ` (${code(c.handler)})` : ""}`;
    const details =
      c.status === "fail"
        ? c.mismatches.map((m) => `${code(m.kind)}${m.line !== null ? ` line ${m.line}` : ""}: ${text(m.message)}`)
        : c.problems.map((p) => `${code(where(integrationPath(slug, p.file), p.line, p.column)!)}: ${text(p.message)}`);
    // Only the first few mismatches of a case: the rest are one `ihub test` away.
    return [`- ❌ ${title}`, ...limitedList(details, 3, "mismatches").map((d) => `  ${d.startsWith("- ") ? d : `- ${d}`}`)].join("\n");
  });
}

function versionLines(v: VersionEntry): string[] {
  const head =
    v.status === "changed"
      ? `**Version**: ${v.required} bump required, declared ${v.declaredBump ?? "—"} (${arrow(v)})`
      : `**Version**: ${v.status}${v.declaredVersion ? ` at ${v.declaredVersion}` : ""}`;
  const lines = [head + (v.suggested && !v.sufficient ? ` — use ${code(v.suggested)}` : "")];
  const reasons = v.reasons.map((r) => `- ${r.level}: ${text(r.message)} ${code(r.pointer ? `${r.file} ${r.pointer}` : r.file)}`);
  lines.push(...limitedList([...v.findings.map(findingItem), ...reasons], ITEMS_PER_LIST, "reasons"));
  return lines;
}

function section(s: IntegrationSummary): string {
  const lines = [`#### ${s.ok ? "⚠️" : "❌"} ${s.slug === null ? "repository" : text(s.slug)}`];
  const findings = s.validate ? [...s.validate.errors, ...s.validate.warnings] : [];
  if (findings.length) lines.push("**Validation**", ...limitedList(findings.map(findingItem), ITEMS_PER_LIST, "findings"));
  if (s.tests && s.slug !== null && (s.tests.failing.length || s.tests.total === 0)) {
    lines.push("**Tests**", ...(s.tests.total === 0 ? ["- ❌ no test cases: add one per handler under `tests/`"] : limitedList(caseItems(s.slug, s.tests.failing), ITEMS_PER_LIST, "failing cases")));
  }
  // A correct bump is in the table already; the reasons matter when the bump is wrong.
  if (s.version && !s.version.sufficient) lines.push(...versionLines(s.version));
  return lines.join("\n");
}

function gateProblems(outcomes: GateOutcomes): string[] {
  const out: string[] = [];
  for (const [gate, o] of Object.entries(outcomes) as [GateName, GateOutcome<unknown> | undefined][]) {
    if (o?.kind === "error") out.push(`> ❌ **${gate}** stopped: ${code(o.error.code)} ${text(o.error.message)}${o.error.hint ? `<br>_${text(o.error.hint, 300, { code: true })}_` : ""}`);
    if (o?.kind === "empty") out.push(`> ❌ **${gate}** produced no report (it crashed; see the job log)`);
  }
  return out;
}

function verdict(outcomes: GateOutcomes, summaries: IntegrationSummary[]): string {
  const failing = summaries.filter((s) => !s.ok).length;
  const broken = Object.values(outcomes).filter((o) => o && o.kind !== "report").length;
  const reports = Object.values(outcomes).filter((o) => o?.kind === "report").map((o) => (o as { report: { ok: boolean } }).report);
  if (failing === 0 && broken === 0 && reports.every((r) => r.ok)) {
    return summaries.length ? `### ✅ ihub: all checks passed for ${plural(summaries.length, "integration")}` : "### ✅ ihub: no integration changed";
  }
  const parts = [failing ? `${failing} of ${plural(summaries.length, "integration")} ${failing === 1 ? "needs" : "need"} attention` : null, broken ? `${plural(broken, "gate")} did not report` : null];
  return `### ❌ ihub: ${parts.filter(Boolean).join(", ") || "checks failed"}`;
}

function table(summaries: IntegrationSummary[]): string[] {
  if (!summaries.length) return [];
  const rows = summaries.map((s) => `| ${s.ok ? "✅" : "❌"} ${s.slug === null ? "_repository_" : text(s.slug)} | ${validateCell(s)} | ${testsCell(s)} | ${versionCell(s)} |`);
  const shown = rows.slice(0, TABLE_ROWS);
  if (rows.length > shown.length) shown.push(`| … and ${rows.length - shown.length} more | | | |`);
  return ["| integration | validate | tests | version |", "| --- | --- | --- | --- |", ...shown];
}

export function renderComment(outcomes: GateOutcomes, opts: RenderOptions = {}): string {
  const summaries = summarizeIntegrations(outcomes);
  const parts = [COMMENT_MARKER, verdict(outcomes, summaries)];
  const problems = gateProblems(outcomes);
  if (problems.length) parts.push(problems.join("\n"));
  const rows = table(summaries);
  if (rows.length) parts.push(rows.join("\n"));

  const log = opts.runUrl ? `[the job log](${opts.runUrl})` : "the job log";
  const detailed = summaries.filter((s) => !s.ok || (s.validate?.warnings.length ?? 0) > 0);
  let used = parts.join("\n\n").length;
  let left = 0;
  for (const s of detailed) {
    const body = section(s);
    if (left || used + body.length + 2 > BUDGET) left++;
    else (parts.push(body), (used += body.length + 2));
  }
  if (left) parts.push(`_… ${plural(left, "more integration")} with problems left out to stay under GitHub's comment size limit; see ${log}._`);
  const ran = (["validate", "test", "version"] as const).filter((g) => outcomes[g]);
  parts.push(`<sub>${ran.map((g) => `\`ihub ${g}\``).join(" · ")} · details in ${log} · updated by \`ihub pr-comment\`</sub>`);
  const body = parts.join("\n\n") + "\n";
  // Sections are budgeted above; this only catches a table of absurdly long names, since GitHub
  // would refuse the whole comment rather than show part of it.
  const cut = "\n\n_… cut at GitHub's comment size limit_\n";
  return body.length <= GITHUB_COMMENT_LIMIT ? body : body.slice(0, GITHUB_COMMENT_LIMIT - cut.length) + cut;
}
