/**
 * Rules between manifest fields that the JSON Schema cannot express: what each handler type
 * needs and allows, oauth2 endpoints or provider, the connected-account handler, and permissions
 * naming declared aliases.
 */
import { CronExpressionParser } from "cron-parser";
import { INTERVAL_PATTERN } from "@ihub/runtime/scheduler";
import type { CheckContext } from "../integration-context.js";
import { toPointer } from "@ihub/runtime/json";

/** Null when `schedule` is an interval (`30s`, `5m`, `1h`) or a cron expression of 5 or 6 fields. */
export function scheduleError(schedule: string): string | null {
  if (INTERVAL_PATTERN.test(schedule)) return null;
  const fields = schedule.trim().split(/\s+/).length;
  if (!schedule.startsWith("@") && (fields < 5 || fields > 6)) return `"${schedule}" is neither an interval like 30s, 5m, 1h nor a cron expression of 5 or 6 fields`;
  try {
    CronExpressionParser.parse(schedule);
    return null;
  } catch (error) {
    return `"${schedule}" is not a valid cron expression: ${(error as Error).message}`;
  }
}

export function checkHandlerRules(ctx: CheckContext): void {
  const m = ctx.manifest;
  if (m.auth.type === "oauth2" && !m.auth.oauth2 && !m.auth.provider) ctx.reportAt("IH041", "auth.type is oauth2 but neither auth.oauth2 (authorizationUrl, tokenUrl) nor auth.provider is given", "/auth/type");
  if (m.auth.provider !== undefined && m.auth.type !== "oauth2") ctx.reportAt("IH046", `auth.provider "${m.auth.provider}" names an OAuth 2.0 provider, but auth.type is ${m.auth.type}`, "/auth/provider");
  else if (m.auth.provider !== undefined && m.auth.oauth2) ctx.reportAt("IH046", `auth.provider "${m.auth.provider}" and auth.oauth2 both give the endpoints; keep one`, "/auth/oauth2");
  if (m.connectedAccount) {
    const name = m.connectedAccount.handler;
    const h = Object.hasOwn(m.handlers, name) ? m.handlers[name] : undefined;
    if (h?.type !== "rpc") ctx.reportAt("IH045", `connectedAccount.handler "${name}" is ${h ? `a ${h.type} handler` : "not a declared handler"}; it must name an rpc handler`, "/connectedAccount/handler");
  }
  for (const alias of Object.keys(m.permissions.device ?? {})) {
    if (!m.resources?.[alias]) ctx.reportAt("IH039", `permissions.device grants "${alias}", which is not declared under resources`, toPointer(["permissions", "device", alias]), true);
  }
  for (const [name, h] of Object.entries(m.handlers)) {
    const at = (field: string) => toPointer(["handlers", name, field]);
    if (h.type === "timer") {
      if (h.schedule === undefined) ctx.reportAt("IH042", `timer handler "${name}" has no schedule`, toPointer(["handlers", name]));
      else {
        const error = scheduleError(h.schedule);
        if (error) ctx.reportAt("IH042", `handler "${name}": ${error}`, at("schedule"));
      }
    } else if (h.schedule !== undefined) {
      ctx.reportAt("IH044", `handler "${name}" is of type ${h.type}; only timer handlers have a schedule`, at("schedule"), true);
    }
    if (h.type === "event") {
      if (h.event === undefined) ctx.reportAt("IH043", `event handler "${name}" has no event topic`, toPointer(["handlers", name]));
    } else if (h.event !== undefined) {
      ctx.reportAt("IH044", `handler "${name}" is of type ${h.type}; only event handlers have an event topic`, at("event"), true);
    }
    if (h.type !== "rpc" && h.outputSchema !== undefined) {
      ctx.reportAt("IH044", `handler "${name}" is of type ${h.type}; only rpc handlers return output, so outputSchema does not apply`, at("outputSchema"), true);
    }
  }
}
