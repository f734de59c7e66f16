/** The manifest's permissions as sentences a person deciding to install can read at a glance. */
import type { Manifest, Permissions } from "@ihub/runtime/manifest";

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

export function describePermissions(permissions: Permissions, resources: Manifest["resources"] = {}): string[] {
  const out: string[] = [];
  for (const [alias, grant] of Object.entries(permissions.device ?? {})) {
    const resource = resources[alias];
    const target = `"${alias}"${resource ? ` (${resource.kind === "sql" ? "a database" : "an HTTP API"})` : ""}`;
    let what: string;
    if (resource?.kind === "sql") what = grant.readOnly ? `Read from ${target}` : `Read and write ${target}`;
    else if (grant.methods) {
      const reads = grant.methods.every((m) => m === "GET" || m === "HEAD" || m === "OPTIONS");
      what = `${reads ? "Read from" : "Call"} ${target} with ${list(grant.methods)} requests`;
    } else what = `Call ${target} with any HTTP method`;
    if (grant.maxCalls) what += `, at most ${grant.maxCalls} call${grant.maxCalls === 1 ? "" : "s"} per run`;
    out.push(what + ".");
  }
  if (permissions.cache) out.push("Keep short-lived values in its own cache.");
  for (const [name, access] of Object.entries(permissions.containers ?? {})) {
    out.push(`${access === "readwrite" ? "Store and read" : "Read"} records in its "${name}" data container.`);
  }
  const topics = permissions.events?.emit ?? [];
  if (topics.length) out.push(`Publish events on ${list(topics.map((t) => `"${t}"`))}.`);
  for (const api of permissions.tenantApis ?? []) out.push(`Use the tenant API "${api}".`);
  if (out.length === 0) out.push("Nothing beyond running its handlers: no external calls, no stored data.");
  return out;
}
