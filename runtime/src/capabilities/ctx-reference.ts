/** docs/ctx.md, written from the capability table and ctx-values.ts: `npm run docs:ctx` after changing either. */
import { DEFAULT_LIMITS } from "../sandbox/limits.js";
import type { Capability, CtxArgument, CtxField, CtxReply } from "./capability-table.js";
import { ctxBindings, signature } from "./ctx-tree.js";
import { CTX_JSON, CTX_JSON_NULL, CTX_VALUES } from "./ctx-values.js";
import { LUALS_CONFIG_FILE, LUALS_DIR } from "./luals-definitions.js";
import { permissionFailures, permissionText } from "./permissions.js";

/** Where the reference is committed, relative to the repository root. */
export const CTX_REFERENCE_FILE = "docs/ctx.md";

const cell = (s: string) => s.replace(/\|/g, "\\|");
const code = (s: string) => `\`${cell(s)}\``;

function fieldRows(prefix: string, fields: readonly CtxField[]): string[] {
  return fields.map((f) => `| ${code(prefix + f.name)}${f.optional ? " (optional)" : ""} | ${code(f.type)} | ${cell(f.description)} |`);
}

function argumentRows(args: readonly CtxArgument[]): string[] {
  return args.flatMap((a) => [...fieldRows("", [a]), ...fieldRows(`${a.name}.`, a.fields ?? [])]);
}

function replyLines(r: CtxReply): string[] {
  const lines = [`**Returns** ${code(r.type)}: ${r.description}.`];
  if (r.fields) lines.push("", "| field | type | description |", "| --- | --- | --- |", ...fieldRows("", r.fields));
  return lines;
}

const COUNTS: Record<NonNullable<Capability["counts"]>, string> = {
  deviceCalls: `each call counts against the invocation's \`deviceCalls\` limit (${DEFAULT_LIMITS.deviceCalls} by default)`,
  logBytes: `each line counts against the invocation's \`logBytes\` limit (${DEFAULT_LIMITS.logBytes / 1024} KiB by default)`,
};

function callSection(path: string, c: Capability, alsoAt: string[]): string[] {
  const failures = [...permissionFailures(c.permission), ...c.errors];
  return [
    `### \`ctx.${path}(${signature(c)})\``,
    "",
    ...(alsoAt.length ? [`Also ${alsoAt.map((p) => `\`ctx.${p}\``).join(", ")}: the same call at another level.`, ""] : []),
    c.description,
    "",
    `- **Needs**: ${permissionText(c.permission)}`,
    `- **Scope**: ${c.scope === "install" ? "the install's own data" : "the tenant: every install of the tenant shares it"}`,
    ...(c.counts ? [`- **Limit**: ${COUNTS[c.counts]}; passing it ends the invocation`] : []),
    "",
    "| argument | type | description |",
    "| --- | --- | --- |",
    ...argumentRows(c.args),
    "",
    ...replyLines(c.returns),
    "",
    ...(failures.length
      ? ["| error code | when |", "| --- | --- |", ...failures.map((f) => `| \`${f.code}\` | ${cell(f.when)} |`)]
      : ["It raises no error code of its own."]),
    "",
    "```lua",
    c.example,
    "```",
    "",
  ];
}

export function renderCtxReference(): string {
  const bindings = ctxBindings();
  const lines = [
    "# ctx reference",
    "",
    "<!-- Generated from runtime/src/capabilities (capability-table.ts, ctx-values.ts) by `npm run docs:ctx`; do not edit. -->",
    "",
    "A handler is `function(ctx, input)`; this page lists everything under `ctx`. The calls that",
    "reach the host are checked against the manifest when they run, and `ihub validate` applies the",
    "same rules to literal arguments before run time (IH034-IH038).",
    "",
    "A call that fails raises a table `{ code = ..., message = ... }` at the call site: catch it with",
    "`pcall` to handle it, or let it end the invocation as an error result with that code. The",
    "codes are listed with each function below. Passing an invocation limit (time, memory,",
    "instructions, device calls, log volume) is not catchable: it ends the invocation. An argument",
    "with no JSON form (NaN, a function, a cycle) fails its call with a Lua error naming the rule;",
    "how values cross between Lua and the runtime (nil, empty tables, arrays, 32-bit integers) is in",
    "[runtime-values.md](runtime-values.md).",
    "",
    "## Editor support",
    "",
    `The repository's \`${LUALS_CONFIG_FILE}\` points the Lua language server (LuaLS, e.g. the`,
    `"Lua" extension of VS Code) at the definitions in \`${LUALS_DIR}/\`, generated with this page:`,
    "it completes and checks every `ctx.*` call, and flags what the sandbox does not offer (`print`,",
    "`io`, `os`, `debug`). Annotate a handler's parameters so the server knows `ctx`:",
    "",
    "```lua",
    "local M = {}",
    "",
    "---@param ctx ihub.Ctx",
    "---@param input table",
    "function M.get_item(ctx, input)",
    '  local res = ctx.device.http("api", { path = "/items" })',
    "  return res.json",
    "end",
    "",
    "return M",
    "```",
    "",
    "## Summary",
    "",
    "| Function | Returns | Needs | Scope | What it does |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const { path, capability: c } of bindings) {
    lines.push(`| \`ctx.${path}(${signature(c)})\` | ${code(c.returns.type)} | ${cell(permissionText(c.permission))} | ${c.scope} | ${cell(c.description)} |`);
  }
  for (const [name, v] of Object.entries(CTX_VALUES)) lines.push(`| \`ctx.${name}\` | ${code(v.type)} | none | install | ${cell(v.description)} |`);
  for (const [name, f] of Object.entries(CTX_JSON)) {
    lines.push(`| \`ctx.json.${name}(${f.args.map((a) => a.name).join(", ")})\` | ${code(f.returns.type)} | none | sandbox | ${cell(f.description)} |`);
  }
  lines.push(`| \`ctx.json.null\` | ${code(CTX_JSON_NULL.type)} | none | sandbox | ${cell(CTX_JSON_NULL.description)} |`);

  lines.push("", "## Calls that reach the host", "");
  const seen = new Set<string>();
  for (const { call, path, capability } of bindings) {
    if (seen.has(call)) continue;
    seen.add(call);
    const paths = bindings.filter((b) => b.call === call).map((b) => b.path);
    lines.push(...callSection(path, capability, paths.slice(1)));
  }

  lines.push("## Values of the invocation", "");
  for (const [name, v] of Object.entries(CTX_VALUES)) {
    lines.push(`### \`ctx.${name}\``, "", `${code(v.type)}: ${v.description}`, "");
    if ("fields" in v) lines.push("| field | type | description |", "| --- | --- | --- |", ...fieldRows("", v.fields), "");
    lines.push("```lua", v.example, "```", "");
  }

  lines.push("## ctx.json", "", "Runs inside the sandbox; needs no permission.", "");
  for (const [name, f] of Object.entries(CTX_JSON)) {
    lines.push(`### \`ctx.json.${name}(${f.args.map((a) => a.name).join(", ")})\``, "", f.description, "");
    lines.push("| argument | type | description |", "| --- | --- | --- |", ...argumentRows(f.args), "", ...replyLines(f.returns), "", `Fails with ${f.errors}.`, "");
    lines.push("```lua", f.example, "```", "");
  }
  lines.push("### `ctx.json.null`", "", `${code(CTX_JSON_NULL.type)}: ${CTX_JSON_NULL.description}`, "");
  return lines.join("\n");
}
