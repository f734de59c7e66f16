/**
 * The host's verdict on one ctx call, before it runs: the call's permission from the capability
 * table, decided by the shared rules (capabilities/permissions.ts) on the call's arguments, and
 * raised as a CtxError whose message names the manifest field that would allow it.
 */
import { CAPABILITIES, type CtxCall } from "../capabilities/capability-table.js";
import { hasSubject, permissionDenials, type Denial, type Subject } from "../capabilities/permissions.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import { CtxError } from "./ctx-error.js";

const methodOf = (options: unknown) =>
  typeof options === "object" && options && typeof (options as { method?: unknown }).method === "string" ? (options as { method: string }).method.toUpperCase() : "GET";

/** The capability table's permission for `name`, decided on these arguments; throws the first refusal. */
export function authorize(manifest: Manifest, name: CtxCall, args: unknown[]): void {
  const { permission, args: params } = CAPABILITIES[name];
  let subject: Subject | undefined;
  if (hasSubject(permission)) {
    const first = args[0];
    if (typeof first !== "string" || first === "") throw new CtxError("INVALID_ARGUMENT", `ctx.${name}: the first argument must be ${params[0]!.description}`);
    subject = { name: first, ...(permission.kind === "device" && permission.resource === "http" ? { method: methodOf(args[1]) } : {}) };
  }
  const denial = permissionDenials(manifest, permission, subject)[0];
  if (denial) throw new CtxError(denial.code, refusal(denial, subject ?? { name: "" }), denial.field);
}

const quote = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s);

function refusal(d: Denial, { name, method }: Subject): string {
  switch (d.reason) {
    case "undeclared-resource":
      return `resource alias ${quote(name)} is not declared`;
    case "wrong-kind":
      return `resource alias ${quote(name)} is of kind ${d.actual}, not ${d.expected}`;
    case "device-not-granted":
      return `device calls to ${quote(name)} are not granted`;
    case "method-not-granted":
      return `method ${quote(method ?? "")} on ${quote(name)} is not granted`;
    case "cache-not-granted":
      return "the install cache is not granted";
    case "undeclared-container":
      return `container ${quote(name)} is not declared`;
    case "container-not-granted":
      return `container ${quote(name)} is not granted`;
    case "container-read-only":
      return `container ${quote(name)} is granted read only; writing needs "readwrite"`;
    case "topic-not-granted":
      return `emitting topic ${quote(name)} is not granted`;
    case "billing-not-declared":
      return "ctx.billing.charge needs `billing: true` in the manifest";
    case "tenant-api-not-granted":
      return `the tenant API ${quote(d.api)} is not granted`;
  }
}
