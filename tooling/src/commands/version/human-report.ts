/** The terminal rendering of `ihub version`: one table row per integration, its reasons and findings below it. */
import type { Finding } from "../../findings/finding.js";
import { colors } from "../../report/colors.js";
import { renderHint } from "../../report/render-error.js";
import type { Reason } from "../../version/contract-diff.js";
import type { VersionReport } from "../../version/check-versions.js";
import type { VersionPlan } from "../../version/plan-version.js";

const LEVEL_COLOUR = { major: colors.red, minor: colors.yellow, patch: colors.cyan, none: colors.dim } as const;

function row(p: VersionPlan, comparedWith: string | null): string[] {
  const verdict = p.sufficient ? colors.green("ok") : colors.red("NO");
  return [p.slug, p.status, p.baseVersion ?? "-", p.declaredVersion ?? "-", LEVEL_COLOUR[p.required](p.required), verdict, p.suggested ?? "-", comparedWith ?? "-"];
}

function reasonLine(r: Reason): string {
  const where = r.pointer ? `${r.file} ${colors.dim(r.pointer)}` : r.file;
  return `    ${LEVEL_COLOUR[r.level](r.level.padEnd(5))} ${r.message}  ${colors.dim("at")} ${where}`;
}

function findingLines(f: Finding): string[] {
  const sev = f.severity === "error" ? colors.red("error") : colors.yellow("warning");
  const where = [f.file, f.line, f.column].filter((x) => x !== null).join(":");
  return [`    ${sev} ${colors.dim(f.code)} ${where ? `${where} ` : ""}${f.message}`, `          ${colors.cyan("hint")} ${f.hint}`];
}

/** Pads on visible width, so colour codes do not skew the columns. */
function table(header: string[], rows: string[][]): string[] {
  // eslint-disable-next-line no-control-regex
  const width = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => c + " ".repeat(widths[i]! - width(c))).join("  ").trimEnd();
  return [colors.bold(line(header)), ...rows.map(line)];
}

export function renderHuman(report: VersionReport): string {
  const against = report.against.kind === "release" ? "each integration's latest release tag" : `${report.against.ref} (merge base ${report.mergeBase?.slice(0, 12)})`;
  const lines = [colors.dim(`compared with ${against}`)];
  if (!report.plans.length) {
    // On the base branch itself the merge base is HEAD: say where the meaningful comparison is.
    const hint =
      report.against.kind === "merge-base" && report.mergeBase === report.head
        ? renderHint(`HEAD is ${report.against.ref} itself; to check what changed since the last release run \`ihub version --since-release\`.`)
        : "";
    return `${lines[0]}\nno integration changed\n${hint}`;
  }
  const header = ["integration", "status", "base", "declared", "required", "ok", "suggested", "since"];
  // Release tags are worth a column; a merge base is the same commit for every row and is in the first line.
  const since = (p: VersionPlan) => (report.against.kind === "release" ? (report.comparedWith[p.slug] ?? null) : null);
  const [head, ...rows] = table(header, report.plans.map((p) => row(p, since(p))));
  lines.push(head!);
  report.plans.forEach((p, i) => {
    lines.push(rows[i]!);
    for (const r of p.reasons) lines.push(reasonLine(r));
    for (const f of p.findings) lines.push(...findingLines(f));
  });
  const failed = report.plans.filter((p) => !p.sufficient).length;
  lines.push("", failed ? colors.red(`✖ ${failed} of ${report.plans.length} integration(s) need a version fix`) : colors.green(`✔ ${report.plans.length} integration(s) versioned correctly`));
  return lines.join("\n") + "\n";
}
