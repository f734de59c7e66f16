/**
 * Every JSON Schema embedded in the manifest is itself valid JSON Schema 2020-12 and behaves at
 * run time as it reads: it matches its meta-schema (what ajv's validateSchema does, through the
 * precompiled meta-schema validator), then passes the strictness walk (schema-strictness.ts:
 * patterns, references resolved as the specification resolves them, unknown keywords and
 * formats). A schema the walk cannot vouch for alone, one that declares `$id`s or uses
 * `$dynamicRef`, is also compiled by the runtime's own validator (@ihub/runtime/json-schema),
 * so a schema that validate accepts is one the runtime can run.
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv";
import type { VocabularyFacts } from "../ajv/definitions.js";
import { validator } from "../ajv/validator.js";
import type { CheckContext } from "../integration-context.js";
import { toPointer } from "@ihub/runtime/json";
import { compiledSchema, declaresId } from "@ihub/runtime/json-schema";
import { strictProblems, type Vocabulary } from "./schema-strictness.js";

let ajv: Ajv2020 | undefined;
let vocabulary: Vocabulary | undefined;

type MetaSchemaVerdict = { errors: ErrorObject[] } | { unknownMetaSchema: string } | null;

/** The meta-schema errors of a schema, as ajv's validateSchema gives them; null when it is valid. */
async function metaSchemaVerdict(schema: unknown): Promise<MetaSchemaVerdict> {
  if (typeof schema === "boolean") return null;
  const named = (schema as { $schema?: unknown }).$schema;
  // A `$schema` that is no string is the 2020-12 meta-schema's to refuse, below.
  if (typeof named === "string" && named !== "") {
    // A schema naming another meta-schema goes to ajv itself, which knows the 2020-12 family only.
    const { embeddedSchemaAjv, JSON_SCHEMA_2020_12 } = await import("../ajv/definitions.js");
    if (named !== JSON_SCHEMA_2020_12) {
      ajv ??= embeddedSchemaAjv();
      if (!ajv.getSchema(named)) return { unknownMetaSchema: named };
      return ajv.validateSchema(schema as object) ? null : { errors: ajv.errors ?? [] };
    }
  }
  const validate = await validator("json-schema-2020-12");
  return validate(schema) ? null : { errors: validate.errors ?? [] };
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

const usesDynamicRef = (value: unknown): boolean =>
  Array.isArray(value) ? value.some(usesDynamicRef) : typeof value === "object" && value !== null && (Object.hasOwn(value, "$dynamicRef") || Object.values(value).some(usesDynamicRef));

/** Why the runtime's validator refuses a schema the walk found nothing wrong with (a limit of ajv's), or null when it compiles. */
function runtimeCompileError(schema: object): string | null {
  if (!declaresId(schema) && !usesDynamicRef(schema)) return null;
  try {
    compiledSchema(schema);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function checkEmbeddedSchemas(ctx: CheckContext): Promise<void> {
  for (const { pointer, schema } of embeddedSchemas(ctx)) {
    const verdict = await metaSchemaVerdict(schema);
    if (verdict && "unknownMetaSchema" in verdict) {
      ctx.reportAt("IH049", `${pointer}/$schema: "${verdict.unknownMetaSchema}" names a meta-schema that is not JSON Schema 2020-12`, `${pointer}/$schema`);
      continue;
    }
    if (verdict) {
      // One mistake fails several meta-schema branches at the same place (enum, type, anyOf): report the first.
      const seen = new Set<string>();
      for (const e of verdict.errors) {
        if (seen.has(e.instancePath)) continue;
        seen.add(e.instancePath);
        ctx.reportAt("IH040", `${pointer}${e.instancePath}: ${e.message ?? e.keyword}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`, pointer + e.instancePath);
      }
      continue;
    }
    const problems = strictProblems(schema, await embeddedVocabulary());
    for (const p of problems) ctx.reportAt(p.code, `${pointer}${p.pointer}: ${p.message}`, pointer + p.pointer, p.key);
    if (problems.some((p) => p.code === "IH040" || p.code === "IH049") || typeof schema !== "object" || schema === null) continue;
    const refused = runtimeCompileError(schema);
    if (refused) ctx.reportAt("IH040", `${pointer}: the runtime's validator (ajv) cannot compile this schema: ${refused}`, pointer);
  }
}
