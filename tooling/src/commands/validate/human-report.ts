/** The terminal rendering of a validation result: findings grouped by integration, then a summary line. */
import type { Finding } from "../../findings/finding.js";
import { colors } from "../../report/colors.js";
import type { ValidateDocument } from "../../documents/stage-documents.js";

function where(f: Finding): string {
  const pos = [f.file, f.line, f.column].filter((x) => x !== null && x !== undefined).join(":");
  return pos + (f.pointer ? ` ${colors.dim(f.pointer)}` : "");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderHuman(result: ValidateDocument): string {
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) groups.set(f.integration ?? "(repository)", [...(groups.get(f.integration ?? "(repository)") ?? []), f]);
  for (const [integration, findings] of groups) {
    lines.push(colors.bold(colors.underline(integration)));
    for (const f of findings) {
      const sev = f.severity === "error" ? colors.red("error  ") : colors.yellow("warning");
      lines.push(`  ${sev} ${colors.dim(f.code)} ${where(f)}`);
      lines.push(`          ${f.message}`);
      if (f.excerpt) lines.push(...f.excerpt.split("\n").map((l) => `          ${colors.dim(l.slice(0, l.indexOf("|") + 1))}${l.slice(l.indexOf("|") + 1)}`));
      lines.push(`          ${colors.cyan("hint")} ${f.hint}`);
    }
    lines.push("");
  }
  const { error, warning } = result.counts;
  const checked = plural(result.integrations.length, "integration");
  const summary =
    error > 0
      ? colors.red(`✖ ${plural(error, "error")}, ${plural(warning, "warning")} in ${groups.size} of ${checked}`)
      : colors.green(`✔ ${checked} valid${warning ? colors.yellow(` (${plural(warning, "warning")})`) : ""}`);
  lines.push(summary);
  return lines.join("\n") + "\n";
}
