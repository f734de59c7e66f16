/**
 * Checks the ctx calls found in Lua code against the manifest: device calls must name a declared
 * alias of the right kind, and every capability used must be granted by `permissions`.
 */
import type { CheckContext } from "../integration-context.js";
import type { CtxCall } from "./handler-analysis.js";

const DEVICE_KINDS: Record<string, "http" | "sql"> = { "device.http": "http", "device.sql": "sql" };
const CACHE_CALLS = new Set(["integration.cacheGet", "integration.cacheSet", "integration.cacheDelete"]);
const CONTAINER_READS = new Set(["integration.containersGet", "integration.containersList"]);
const CONTAINER_WRITES = new Set(["integration.containersSet", "integration.containersDelete"]);

export function checkCtxCalls(ctx: CheckContext, relFile: string, calls: readonly CtxCall[]): void {
  const { manifest } = ctx;
  const perms = manifest.permissions;
  for (const call of calls) {
    const at = { file: relFile, position: call.position };
    const fn = `ctx.${call.capability}`;
    const kind = DEVICE_KINDS[call.capability];
    if (kind) {
      if (typeof call.firstArg !== "string") {
        ctx.report("IH036", `${fn} is called with an alias that is not a string literal; it cannot be checked before run time`, at);
        continue;
      }
      const alias = call.firstArg;
      const resource = manifest.resources?.[alias];
      if (!resource) {
        ctx.report("IH034", `${fn} names alias "${alias}", which is not declared under resources`, at);
        continue;
      }
      if (resource.kind !== kind) {
        ctx.report("IH035", `${fn} names alias "${alias}", which is of kind ${resource.kind}, not ${kind}`, at);
        continue;
      }
      const grant = perms.device?.[alias];
      if (!grant) {
        ctx.report("IH037", `${fn}("${alias}", ...) is not granted: permissions.device has no "${alias}"`, at);
      } else if (kind === "http" && call.method && grant.methods && !grant.methods.includes(call.method as (typeof grant.methods)[number])) {
        ctx.report("IH037", `${call.method} on "${alias}" is not granted: permissions.device.${alias}.methods allows ${grant.methods.join(", ")}`, at);
      }
    } else if (CACHE_CALLS.has(call.capability)) {
      if (perms.cache !== true) ctx.report("IH037", `${fn} uses the cache, but permissions.cache is not true`, at);
    } else if (CONTAINER_READS.has(call.capability) || CONTAINER_WRITES.has(call.capability)) {
      if (typeof call.firstArg !== "string") continue;
      const name = call.firstArg;
      if (!manifest.dataContainerSchemas?.[name]) ctx.report("IH038", `${fn} uses container "${name}", which is not declared under dataContainerSchemas`, at);
      const level = perms.containers?.[name];
      if (!level) ctx.report("IH037", `${fn} uses container "${name}", which permissions.containers does not grant`, at);
      else if (level === "read" && CONTAINER_WRITES.has(call.capability)) ctx.report("IH037", `${fn} writes container "${name}", which permissions.containers grants read-only`, at);
    } else if (call.capability === "emit") {
      if (typeof call.firstArg !== "string") continue;
      if (!perms.events?.emit?.includes(call.firstArg)) ctx.report("IH037", `ctx.emit("${call.firstArg}", ...) is not granted: permissions.events.emit does not list it`, at);
    }
  }
}
