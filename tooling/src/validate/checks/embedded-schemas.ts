/**
 * Every JSON Schema embedded in the manifest is itself valid: it matches the 2020-12 meta-schema
 * (ajv's validateSchema, its meta-schema validator compiled once per process) and passes what ajv's
 * strict mode checks (misspelt keywords, bad regular expressions, unknown formats, unresolvable
 * $refs; see schema-strictness.ts).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { CheckContext } from "../integration-context.js";
import { addFormats } from "../manifest/repo-schemas.js";
import { toPointer } from "@ihub/runtime/json";
import { strictProblems } from "./schema-strictness.js";

let ajv: Ajv2020 | undefined;

function embeddedAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, addUsedSchema: false });
    addFormats(ajv);
    // `format: password` marks secret credential fields (see the manifest's auth.fields).
    ajv.addFormat("password", true);
  }
  return ajv;
}

export function embeddedSchemas(ctx: CheckContext): { pointer: string; schema: unknown }[] {
  const m = ctx.manifest;
  const out: { pointer: string; schema: unknown }[] = [];
  if (m.configSchema) out.push({ pointer: "/configSchema", schema: m.configSchema });
  if (m.auth.fields) out.push({ pointer: "/auth/fields", schema: m.auth.fields });
  for (const [name, s] of Object.entries(m.dataContainerSchemas ?? {})) out.push({ pointer: toPointer(["dataContainerSchemas", name]), schema: s });
  for (const [name, h] of Object.entries(m.handlers)) {
    if (h.inputSchema) out.push({ pointer: toPointer(["handlers", name, "inputSchema"]), schema: h.inputSchema });
    if (h.outputSchema) out.push({ pointer: toPointer(["handlers", name, "outputSchema"]), schema: h.outputSchema });
  }
  return out;
}

export function checkEmbeddedSchemas(ctx: CheckContext): void {
  const a = embeddedAjv();
  for (const { pointer, schema } of embeddedSchemas(ctx)) {
    if (!a.validateSchema(schema as object)) {
      // One mistake fails several meta-schema branches at the same place (enum, type, anyOf): report the first.
      const seen = new Set<string>();
      for (const e of a.errors ?? []) {
        if (seen.has(e.instancePath)) continue;
        seen.add(e.instancePath);
        ctx.reportAt("IH040", `${pointer}${e.instancePath}: ${e.message ?? e.keyword}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`, pointer + e.instancePath);
      }
      continue;
    }
    for (const p of strictProblems(schema, a)) ctx.reportAt("IH040", `${pointer}${p.pointer}: ${p.message}`, pointer + p.pointer, p.key);
  }
}
