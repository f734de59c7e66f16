/**
 * The contract of an integration, compared between two snapshots: what installers, callers and
 * stored data rely on. Each difference becomes a reason with a bump level and a JSON pointer into
 * the manifest (or the OpenAPI document). Pure.
 *
 * Major: a handler removed or its type or event topic changed; an input, config, credential or
 * container field removed, made required or narrowed (see schema-diff.ts for the rules); an
 * output field removed or widened; a container removed; a resource alias removed or added (every
 * alias must be bound, so existing installs lack the new one) or its kind or dialect changed;
 * auth type changed or scopes added (existing credentials lack them); an OpenAPI operation the
 * handlers used removed from the alias's document.
 * Minor: a handler or container added; an optional field added; a type widened; a permission
 * grant added.
 * Everything else that changes the bundle is a patch (see fileChanges).
 */
import type { Manifest } from "@ihub/runtime/manifest";
import type { ChangeLevel } from "./bump-level.js";
import { joinPointer } from "@ihub/runtime/json";
import { diffSchemas, levelOf, type SchemaDirection } from "./schema-diff.js";
import type { Snapshot } from "./snapshot.js";

export type Reason = {
  level: ChangeLevel;
  message: string;
  /** Repository path the reason is about. */
  file: string;
  /** RFC 6901 pointer into `file`, when the reason is about one place in it. */
  pointer: string | null;
};

/** Manifest objects, config and records are JSON objects, so an absent schema allows any object. */
const OBJECT_SCHEMA = { type: "object" };

function schemaReasons(file: string, base: unknown, head: unknown, pointer: string, direction: SchemaDirection, what: string): Reason[] {
  return diffSchemas(base, head, pointer, OBJECT_SCHEMA).map((c) => ({ level: levelOf(c.effect, direction), message: `${what}: ${c.message}`, file, pointer: c.pointer }));
}

function handlerReasons(file: string, b: Manifest, h: Manifest): Reason[] {
  const out: Reason[] = [];
  for (const [name, bh] of Object.entries(b.handlers)) {
    const pointer = joinPointer("", "handlers", name);
    const hh = h.handlers[name];
    if (!hh) {
      out.push({ level: "major", message: `handler "${name}" removed`, file, pointer });
      continue;
    }
    if (bh.type !== hh.type) out.push({ level: "major", message: `handler "${name}" changed type from ${bh.type} to ${hh.type}`, file, pointer: `${pointer}/type` });
    else if (bh.event !== hh.event) out.push({ level: "major", message: `handler "${name}" now listens to ${hh.event ?? "no topic"} instead of ${bh.event ?? "no topic"}`, file, pointer: `${pointer}/event` });
    out.push(...schemaReasons(file, bh.inputSchema, hh.inputSchema, `${pointer}/inputSchema`, "input", `handler "${name}" input`));
    if (bh.type === "rpc" && hh.type === "rpc") {
      // No output schema promises nothing, so only a schema present on both sides is compared.
      if (bh.outputSchema && hh.outputSchema) out.push(...schemaReasons(file, bh.outputSchema, hh.outputSchema, `${pointer}/outputSchema`, "output", `handler "${name}" output`));
      else if (bh.outputSchema && !hh.outputSchema) out.push({ level: "major", message: `handler "${name}" no longer declares its output`, file, pointer: `${pointer}/outputSchema` });
    }
  }
  for (const name of Object.keys(h.handlers)) {
    if (!(name in b.handlers)) out.push({ level: "minor", message: `handler "${name}" added`, file, pointer: joinPointer("", "handlers", name) });
  }
  return out;
}

function containerReasons(file: string, b: Manifest, h: Manifest): Reason[] {
  const out: Reason[] = [];
  const bc = b.dataContainerSchemas ?? {};
  const hc = h.dataContainerSchemas ?? {};
  for (const [name, schema] of Object.entries(bc)) {
    const pointer = joinPointer("", "dataContainerSchemas", name);
    if (!(name in hc)) out.push({ level: "major", message: `data container "${name}" removed`, file, pointer });
    // Records already stored must still validate, so container schemas are read like input.
    else out.push(...schemaReasons(file, schema, hc[name], pointer, "input", `data container "${name}"`));
  }
  for (const name of Object.keys(hc)) if (!(name in bc)) out.push({ level: "minor", message: `data container "${name}" added`, file, pointer: joinPointer("", "dataContainerSchemas", name) });
  return out;
}

function resourceReasons(file: string, b: Manifest, h: Manifest): Reason[] {
  const out: Reason[] = [];
  const br = b.resources ?? {};
  const hr = h.resources ?? {};
  for (const [alias, res] of Object.entries(br)) {
    const pointer = joinPointer("", "resources", alias);
    const now = hr[alias];
    if (!now) out.push({ level: "major", message: `resource alias "${alias}" removed`, file, pointer });
    else if (now.kind !== res.kind) out.push({ level: "major", message: `resource "${alias}" changed kind from ${res.kind} to ${now.kind}`, file, pointer: `${pointer}/kind` });
    else if (now.dialect !== res.dialect) out.push({ level: "major", message: `resource "${alias}" changed dialect from ${res.dialect ?? "none"} to ${now.dialect ?? "none"}`, file, pointer: `${pointer}/dialect` });
  }
  for (const alias of Object.keys(hr)) {
    if (!(alias in br)) out.push({ level: "major", message: `resource alias "${alias}" added: existing installs have no binding for it`, file, pointer: joinPointer("", "resources", alias) });
  }
  return out;
}

function authReasons(file: string, b: Manifest, h: Manifest): Reason[] {
  const out: Reason[] = [];
  if (b.auth.type !== h.auth.type) out.push({ level: "major", message: `auth type changed from ${b.auth.type} to ${h.auth.type}`, file, pointer: "/auth/type" });
  else out.push(...schemaReasons(file, b.auth.fields, h.auth.fields, "/auth/fields", "input", "credential"));
  const added = (h.auth.scopes ?? []).filter((s) => !(b.auth.scopes ?? []).includes(s));
  if (added.length) out.push({ level: "major", message: `auth scopes added: ${added.join(", ")} (existing credentials were granted without them)`, file, pointer: "/auth/scopes" });
  return out;
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
  return out;
}

function permissionReasons(file: string, b: Manifest, h: Manifest): Reason[] {
  const before = grants(b);
  return [...grants(h)].filter(([g]) => !before.has(g)).map(([g, pointer]) => ({ level: "minor" as const, message: `permission added: ${g}`, file, pointer }));
}

function operationReasons(base: Snapshot, head: Snapshot): Reason[] {
  const out: Reason[] = [];
  for (const [alias, ops] of Object.entries(base.operations)) {
    const now = head.operations[alias];
    // Without a document on the head side there is nothing to compare against.
    if (!now) continue;
    const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;
    const documented = new Set(ops.documented.map(key));
    const still = new Set(now.documented.map(key));
    for (const op of ops.used) {
      if (!documented.has(key(op)) || still.has(key(op))) continue;
      out.push({
        level: "major",
        message: `operation ${op.method} ${op.path} of resource "${alias}", used by the handlers, removed from the OpenAPI document`,
        file: now.file,
        pointer: joinPointer("", "paths", op.path, op.method.toLowerCase()),
      });
    }
  }
  return out;
}

/** Major and minor reasons: what changed in the integration's contract. */
export function contractChanges(base: Snapshot, head: Snapshot): Reason[] {
  const file = head.manifestFile;
  const b = base.manifest;
  const h = head.manifest;
  return [
    ...handlerReasons(file, b, h),
    ...schemaReasons(file, b.configSchema, h.configSchema, "/configSchema", "input", "config"),
    ...containerReasons(file, b, h),
    ...resourceReasons(file, b, h),
    ...authReasons(file, b, h),
    ...permissionReasons(file, b, h),
    ...operationReasons(base, head),
  ];
}

/** Patch reasons: every bundle file added, removed or changed. */
export function fileChanges(base: Snapshot, head: Snapshot): Reason[] {
  const out: Reason[] = [];
  const paths = [...new Set([...Object.keys(base.files), ...Object.keys(head.files)])].sort();
  for (const p of paths) {
    const b = base.files[p];
    const h = head.files[p];
    if (b === h) continue;
    const what = b === undefined ? "added" : h === undefined ? "removed" : "changed";
    out.push({ level: "patch", message: `bundle file ${p} ${what}`, file: head.repoPaths[p] ?? base.repoPaths[p] ?? p, pointer: null });
  }
  return out;
}
