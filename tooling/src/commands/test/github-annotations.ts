/**
 * GitHub Actions workflow commands for failed and broken cases, so a pull request shows each
 * mismatch on the case file's line. Escaping per the workflow-command rules: `%`, CR and LF in
 * the message; additionally `:` and `,` in properties.
 */
import { integrationPath } from "@ihub/runtime/layout";
import type { TestDocument } from "../../documents/stage-documents.js";

const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const prop = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function annotation(file: string, line: number | null, column: number | null, title: string, message: string): string {
  const props = [`file=${prop(file)}`, ...(line !== null ? [`line=${line}`] : []), ...(column !== null ? [`col=${column}`] : []), `title=${prop(title)}`];
  return `::error ${props.join(",")}::${data(message)}`;
}

export function renderAnnotations(run: TestDocument): string[] {
  const out: string[] = [];
  for (const integration of run.integrations) {
    for (const c of integration.cases) {
      const file = integrationPath(integration.slug, c.file);
      if (c.status === "fail") for (const m of c.mismatches) out.push(annotation(file, m.line, m.column, `${m.kind}: ${c.name ?? c.file}`, "diff" in m ? `${m.message}\n${m.diff}` : m.message));
      if (c.status === "broken") for (const p of c.problems) out.push(annotation(integrationPath(integration.slug, p.file), p.line, p.column, `broken case: ${c.name ?? c.file}`, p.message));
    }
  }
  return out;
}
