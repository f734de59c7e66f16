/** docs/ctx.md, written from the capability table: `npm run docs:ctx` after changing it. */
import { CAPABILITIES, ctxCalls, luaPaths } from "./capability-table.js";
import { permissionText } from "./permissions.js";

/** Where the reference is committed, relative to the repository root. */
export const CTX_REFERENCE_FILE = "docs/ctx.md";

const cell = (s: string) => s.replace(/\|/g, "\\|");

export function renderCtxReference(): string {
  const lines = [
    "# ctx reference",
    "",
    "<!-- Generated from runtime/src/capabilities/capability-table.ts by `npm run docs:ctx`; do not edit. -->",
    "",
    "The ctx functions a handler calls that reach the host. Each is checked against the manifest",
    "when it is called, and `ihub validate` applies the same rules to literal arguments before",
    "run time (IH034-IH038). `ctx.config`, `ctx.install`, `ctx.run` and `ctx.json` stay inside",
    "the sandbox; see [runtime-values.md](runtime-values.md).",
    "",
    "| Function | Returns | Needs | Scope | What it does |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const call of ctxCalls) {
    const c = CAPABILITIES[call];
    const params = c.args.map((a) => a.name).join(", ");
    const fns = Object.keys(luaPaths(call)).map((p) => `\`ctx.${p}(${params})\``).join("<br>");
    lines.push(`| ${fns} | ${cell(c.returns)} | ${cell(permissionText(c.permission))} | ${c.scope} | ${cell(c.description)} |`);
  }
  lines.push("", "## Arguments", "");
  for (const call of ctxCalls) {
    lines.push(`- \`${call}\`: ${CAPABILITIES[call].args.map((a) => `\`${a.name}\`, ${a.description}`).join("; ")}.`);
  }
  return lines.join("\n") + "\n";
}
