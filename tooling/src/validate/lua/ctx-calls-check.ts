/**
 * Checks the ctx calls found in Lua code against the manifest by the runtime's own permission
 * rules (capabilities/permissions.ts), so a call validate passes is one the host grants. Static
 * reading knows less than the host: an alias that is not a string literal cannot be checked
 * (IH036), and a container or topic that is not one is left to run time.
 */
import { closest } from "fastest-levenshtein";
import { CAPABILITIES, ctxCallAt, type Denial, hasSubject, permissionDenials, type Permission } from "@ihub/runtime/capabilities";
import type { Manifest } from "@ihub/runtime/manifest";
import type { LuaCtxCall } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";

type Finding = { code: "IH034" | "IH035" | "IH037" | "IH038"; message: string; hint?: string };

/**
 * For an undeclared alias: the declared one spelled closest to it, preferring aliases of the
 * kind the call needs (a typo usually keeps the kind), or nothing when none is declared.
 */
function aliasHint(manifest: Manifest, used: string, permission: Permission): string | undefined {
  const declared = Object.entries(manifest.resources ?? {});
  const kind = permission.kind === "device" ? permission.resource : undefined;
  const sameKind = declared.filter(([, r]) => r.kind === kind).map(([alias]) => alias);
  const candidates = sameKind.length > 0 ? sameKind : declared.map(([alias]) => alias);
  if (candidates.length === 0) return undefined;
  const best = closest(used, candidates);
  return `Did you mean "${best}", the declared ${manifest.resources![best]!.kind} alias closest to "${used}"? Otherwise declare "${used}" under \`resources\` with kind ${kind}.`;
}

function finding(d: Denial, fn: string, name: string, method: string | undefined): Finding {
  switch (d.reason) {
    case "undeclared-resource":
      return { code: "IH034", message: `${fn} names alias "${name}", which is not declared under resources` };
    case "wrong-kind":
      return { code: "IH035", message: `${fn} names alias "${name}", which is of kind ${d.actual}, not ${d.expected}` };
    case "device-not-granted":
      return { code: "IH037", message: `${fn}("${name}", ...) is not granted: permissions.device has no "${name}"` };
    case "method-not-granted":
      return { code: "IH037", message: `${method} on "${name}" is not granted: permissions.device.${name}.methods allows ${d.allowed.join(", ")}` };
    case "cache-not-granted":
      return { code: "IH037", message: `${fn} uses the cache, but permissions.cache is not true` };
    case "undeclared-container":
      return { code: "IH038", message: `${fn} uses container "${name}", which is not declared under dataContainerSchemas` };
    case "container-not-granted":
      return { code: "IH037", message: `${fn} uses container "${name}", which permissions.containers does not grant` };
    case "container-read-only":
      return { code: "IH037", message: `${fn} writes container "${name}", which permissions.containers grants read-only` };
    case "topic-not-granted":
      return { code: "IH037", message: `ctx.emit("${name}", ...) is not granted: permissions.events.emit does not list it` };
    case "billing-not-declared":
      return { code: "IH037", message: `${fn} reports a cost, but the manifest does not say billing: true` };
    case "tenant-api-not-granted":
      return { code: "IH037", message: `${fn} is a tenant API, but permissions.tenantApis does not list "${d.api}"` };
  }
}

export function checkCtxCalls(ctx: CheckContext, relFile: string, calls: readonly LuaCtxCall[]): void {
  for (const call of calls) {
    const name = ctxCallAt(call.capability);
    if (!name) continue;
    const { permission } = CAPABILITIES[name];
    const at = { file: relFile, position: call.position };
    const fn = `ctx.${call.capability}`;
    if (hasSubject(permission) && typeof call.firstArg !== "string") {
      if (permission.kind === "device") ctx.report("IH036", `${fn} is called with an alias that is not a string literal; it cannot be checked before run time`, at);
      continue;
    }
    const subject = typeof call.firstArg === "string" ? { name: call.firstArg, ...(call.method ? { method: call.method } : {}) } : undefined;
    for (const d of permissionDenials(ctx.manifest, permission, subject)) {
      const f = finding(d, fn, subject?.name ?? "", call.method ?? undefined);
      const hint = d.reason === "undeclared-resource" ? aliasHint(ctx.manifest, subject!.name, permission) : undefined;
      ctx.report(f.code, f.message, hint === undefined ? at : { ...at, hint });
    }
  }
}
