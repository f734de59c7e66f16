/**
 * The contract of an integration as its manifest states it, compared between two versions: what
 * installers, callers and stored data rely on. Each difference is a change with a level and a
 * JSON pointer into the newer manifest. Pure. The version gate (tooling) adds the OpenAPI
 * operations and bundle files to these; the runtime reads `widenedAccess` from the same diff to
 * hold an upgrade for the tenant's consent.
 *
 * Major: a handler removed or its type or event topic changed; an input, config, credential or
 * container field removed, made required or narrowed (see schema-diff.ts for the rules); an
 * output field removed or widened; a container removed; a resource alias removed or added (every
 * alias must be bound, so existing installs lack the new one) or its kind or dialect changed;
 * auth type changed or scopes added (existing credentials lack them).
 * Minor: a handler or container added; an optional field added; a type widened; a permission
 * grant added.
 */
import { joinPointer } from "../json/json-pointer.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import { diffSchemas, levelOf, type ContractLevel, type SchemaDirection } from "./schema-diff.js";

/** What kind of promise a change touches; `access` is what the integration may do or reach. */
export type ChangeArea = "handlers" | "config" | "containers" | "resources" | "auth" | "access";

export type ContractChange = {
  level: ContractLevel;
  area: ChangeArea;
  message: string;
  /** RFC 6901 pointer into the newer manifest (the older one for what was removed). */
  pointer: string;
};

/** Manifest objects, config and records are JSON objects, so an absent schema allows any object. */
const OBJECT_SCHEMA = { type: "object" };

function schemaChanges(area: ChangeArea, base: unknown, head: unknown, pointer: string, direction: SchemaDirection, what: string): ContractChange[] {
  return diffSchemas(base, head, pointer, OBJECT_SCHEMA).map((c) => ({ level: levelOf(c.effect, direction), area, message: `${what}: ${c.message}`, pointer: c.pointer }));
}

function handlerChanges(b: Manifest, h: Manifest): ContractChange[] {
  const out: ContractChange[] = [];
  const change = (level: ContractLevel, message: string, pointer: string) => out.push({ level, area: "handlers", message, pointer });
  for (const [name, bh] of Object.entries(b.handlers)) {
    const pointer = joinPointer("", "handlers", name);
    const hh = h.handlers[name];
    if (!hh) {
      change("major", `handler "${name}" removed`, pointer);
      continue;
    }
    if (bh.type !== hh.type) change("major", `handler "${name}" changed type from ${bh.type} to ${hh.type}`, `${pointer}/type`);
    else if (bh.event !== hh.event) change("major", `handler "${name}" now listens to ${hh.event ?? "no topic"} instead of ${bh.event ?? "no topic"}`, `${pointer}/event`);
    out.push(...schemaChanges("handlers", bh.inputSchema, hh.inputSchema, `${pointer}/inputSchema`, "input", `handler "${name}" input`));
    if (bh.type === "rpc" && hh.type === "rpc") {
      // No output schema promises nothing, so only a schema present on both sides is compared.
      if (bh.outputSchema && hh.outputSchema) out.push(...schemaChanges("handlers", bh.outputSchema, hh.outputSchema, `${pointer}/outputSchema`, "output", `handler "${name}" output`));
      else if (bh.outputSchema && !hh.outputSchema) change("major", `handler "${name}" no longer declares its output`, `${pointer}/outputSchema`);
    }
  }
  for (const name of Object.keys(h.handlers)) if (!(name in b.handlers)) change("minor", `handler "${name}" added`, joinPointer("", "handlers", name));
  return out;
}

function containerChanges(b: Manifest, h: Manifest): ContractChange[] {
  const out: ContractChange[] = [];
  const bc = b.dataContainerSchemas ?? {};
  const hc = h.dataContainerSchemas ?? {};
  for (const [name, schema] of Object.entries(bc)) {
    const pointer = joinPointer("", "dataContainerSchemas", name);
    if (!(name in hc)) out.push({ level: "major", area: "containers", message: `data container "${name}" removed`, pointer });
    // Records already stored must still validate, so container schemas are read like input.
    else out.push(...schemaChanges("containers", schema, hc[name], pointer, "input", `data container "${name}"`));
  }
  for (const name of Object.keys(hc)) if (!(name in bc)) out.push({ level: "minor", area: "containers", message: `data container "${name}" added`, pointer: joinPointer("", "dataContainerSchemas", name) });
  return out;
}

function resourceChanges(b: Manifest, h: Manifest): ContractChange[] {
  const out: ContractChange[] = [];
  const change = (message: string, pointer: string) => out.push({ level: "major", area: "resources", message, pointer });
  const br = b.resources ?? {};
  const hr = h.resources ?? {};
  for (const [alias, res] of Object.entries(br)) {
    const pointer = joinPointer("", "resources", alias);
    const now = hr[alias];
    if (!now) change(`resource alias "${alias}" removed`, pointer);
    else if (now.kind !== res.kind) change(`resource "${alias}" changed kind from ${res.kind} to ${now.kind}`, `${pointer}/kind`);
    else if (now.dialect !== res.dialect) change(`resource "${alias}" changed dialect from ${res.dialect ?? "none"} to ${now.dialect ?? "none"}`, `${pointer}/dialect`);
  }
  for (const alias of Object.keys(hr)) if (!(alias in br)) change(`resource alias "${alias}" added: existing installs have no binding for it`, joinPointer("", "resources", alias));
  return out;
}

function authChanges(b: Manifest, h: Manifest): ContractChange[] {
  if (b.auth.type !== h.auth.type) return [{ level: "major", area: "auth", message: `auth type changed from ${b.auth.type} to ${h.auth.type}`, pointer: "/auth/type" }];
  return schemaChanges("auth", b.auth.fields, h.auth.fields, "/auth/fields", "input", "credential");
}

/** Every permission as one string, so a grant added anywhere shows up as a new entry. */
function grants(m: Manifest): Map<string, string> {
  const out = new Map<string, string>(); // grant -> pointer
  const p = m.permissions;
  for (const [alias, d] of Object.entries(p.device ?? {})) {
    for (const method of d.methods ?? ["*"]) out.set(`device ${alias} ${method}`, joinPointer("", "permissions", "device", alias));
    if (d.readOnly !== true) out.set(`device ${alias} write`, joinPointer("", "permissions", "device", alias));
  }
  if (p.cache) out.set("cache", "/permissions/cache");
  for (const [name, level] of Object.entries(p.containers ?? {})) out.set(`container ${name} ${level}`, joinPointer("", "permissions", "containers", name));
  for (const topic of p.events?.emit ?? []) out.set(`emit ${topic}`, "/permissions/events/emit");
  for (const api of p.tenantApis ?? []) out.set(`tenant api ${api}`, "/permissions/tenantApis");
  // Reporting costs bills the tenant: a grant like any other.
  if (m.billing === true) out.set("billing", "/billing");
  return out;
}

/**
 * What `head` may do or reach that `base` may not: permission grants added (minor for the version
 * gate, since nothing that worked stops working), auth scopes added and another OAuth provider
 * (major: credentials granted before lack them or belong elsewhere). An installed integration never
 * gains these without the installer's consent.
 */
export function widenedAccess(base: Manifest, head: Manifest): ContractChange[] {
  const before = grants(base);
  const out: ContractChange[] = [...grants(head)]
    .filter(([g]) => !before.has(g))
    .map(([g, pointer]) => ({ level: "minor", area: "access", message: `permission added: ${g}`, pointer }));
  const scopes = (head.auth.scopes ?? []).filter((s) => !(base.auth.scopes ?? []).includes(s));
  if (scopes.length) out.push({ level: "major", area: "access", message: `auth scopes added: ${scopes.join(", ")} (existing credentials were granted without them)`, pointer: "/auth/scopes" });
  if (head.auth.provider !== undefined && head.auth.provider !== base.auth.provider) {
    out.push({ level: "major", area: "access", message: `OAuth provider changed from ${base.auth.provider ?? "the manifest's own endpoints"} to ${head.auth.provider} (existing tokens were issued by the other)`, pointer: "/auth/provider" });
  }
  return out;
}

/** Every change to the contract the manifest states, from `base` to `head`. */
export function manifestChanges(base: Manifest, head: Manifest): ContractChange[] {
  return [
    ...handlerChanges(base, head),
    ...schemaChanges("config", base.configSchema, head.configSchema, "/configSchema", "input", "config"),
    ...containerChanges(base, head),
    ...resourceChanges(base, head),
    ...authChanges(base, head),
    ...widenedAccess(base, head),
  ];
}
