/**
 * Every JSON Schema embedded in the manifest is itself valid: it matches the 2020-12 meta-schema
 * (what ajv's validateSchema does, through the precompiled meta-schema validator) and passes what
 * ajv's strict mode checks (misspelt keywords, bad regular expressions, unknown formats,
 * unresolvable $refs; see schema-strictness.ts).
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv";
import type { VocabularyFacts } from "../ajv/definitions.js";
import { validator } from "../ajv/validator.js";
import type { CheckContext } from "../integration-context.js";
import { toPointer } from "@ihub/runtime/json";
import { strictProblems, type Vocabulary } from "./schema-strictness.js";

let ajv: Ajv2020 | undefined;
let vocabulary: Vocabulary | undefined;

/** The meta-schema errors of a schema, as ajv's validateSchema gives them; null when it is valid. */
async function metaSchemaErrors(schema: unknown): Promise<ErrorObject[] | null> {
  if (typeof schema === "boolean") return null;
  const named = (schema as { $schema?: unknown }).$schema;
  if (named !== undefined && named !== "") {
    // A schema naming another meta-schema goes to ajv itself, which refuses it as validateSchema always did.
    const { embeddedSchemaAjv, JSON_SCHEMA_2020_12 } = await import("../ajv/definitions.js");
    if (named !== JSON_SCHEMA_2020_12) {
      ajv ??= embeddedSchemaAjv();
      return ajv.validateSchema(schema as object) ? null : (ajv.errors ?? []);
    }
  }
  const validate = await validator("json-schema-2020-12");
  return validate(schema) ? null : (validate.errors ?? []);
}

async function embeddedVocabulary(): Promise<Vocabulary> {
  if (!vocabulary) {
    const facts = (await validator("json-schema-2020-12")) as unknown as { vocabulary: VocabularyFacts };
    vocabulary = { keywords: new Set(facts.vocabulary.keywords), formats: new Set(facts.vocabulary.formats) };
  }
  return vocabulary;
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

export async function checkEmbeddedSchemas(ctx: CheckContext): Promise<void> {
  for (const { pointer, schema } of embeddedSchemas(ctx)) {
    const errors = await metaSchemaErrors(schema);
    if (errors) {
      // One mistake fails several meta-schema branches at the same place (enum, type, anyOf): report the first.
      const seen = new Set<string>();
      for (const e of errors) {
        if (seen.has(e.instancePath)) continue;
        seen.add(e.instancePath);
        ctx.reportAt("IH040", `${pointer}${e.instancePath}: ${e.message ?? e.keyword}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`, pointer + e.instancePath);
      }
      continue;
    }
    for (const p of strictProblems(schema, await embeddedVocabulary())) ctx.reportAt("IH040", `${pointer}${p.pointer}: ${p.message}`, pointer + p.pointer, p.key);
  }
}
