/**
 * How each ajv validator of `ihub validate` is compiled: the one definition both the build (which
 * writes their standalone code into dist/, see write-standalone.ts) and a run from the TypeScript
 * sources (which compiles at run time, see validator.ts) use, so the two cannot drift apart.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AnySchemaObject, CodeOptions, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { addStandardFormats } from "@ihub/runtime/json-schema";
import { repoSchema } from "../manifest/repo-schemas.js";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The OpenAPI versions whose official schema is vendored in openapi-schemas/ (see its README). */
export const OPENAPI_VERSIONS = ["2.0", "3.0", "3.1", "3.2"] as const;
export type OpenApiVersion = (typeof OPENAPI_VERSIONS)[number];

export const VALIDATOR_NAMES = ["manifest", "test-case", "json-schema-2020-12", ...OPENAPI_VERSIONS.map((v) => `openapi-${v}` as const)] as const;
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
 * ajv mishandles `$dynamicRef` (ajv-validator/ajv#1573), which the 3.1 and 3.2 schemas use for
 * every Schema Object. Without a dialect the dynamic anchor `meta` is the schema's own
 * `$defs/schema`, so a plain `$ref` to it means the same.
 */
function withoutDynamicRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDynamicRefs);
  if (typeof node !== "object" || node === null) return node;
  if ((node as Record<string, unknown>).$dynamicRef === "#meta") return { $ref: "#/$defs/schema" };
  return Object.fromEntries(Object.entries(node).filter(([key]) => key !== "$dynamicAnchor").map(([key, value]) => [key, withoutDynamicRefs(value)]));
}

/**
 * The official OpenAPI JSON Schema of one version, as the OpenAPI Initiative publishes it. 2.0 and
 * 3.0 are draft-04 schemas, checked with the draft-04 ajv swagger-parser depends on (resolved from
 * its location, so the version it was released with); 3.1 and 3.2 are 2020-12 schemas.
 */
function openApiValidator(version: OpenApiVersion, code: CodeOptions): Compiled {
  const schema = JSON.parse(readFileSync(new URL(`./openapi-schemas/v${version}.json`, import.meta.url), "utf8")) as AnySchemaObject;
  const opts = { allErrors: true, strict: false, validateFormats: false, code };
  if (version === "3.1" || version === "3.2") {
    const ajv = new Ajv2020(opts);
    return { ajv, validate: ajv.compile(withoutDynamicRefs(schema) as AnySchemaObject) };
  }
  const fromSwaggerParser = createRequire(createRequire(import.meta.url).resolve("@apidevtools/swagger-parser"));
  const Ajv = (fromSwaggerParser("ajv-draft-04") as { default: AjvClass }).default;
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
    default:
      return openApiValidator(name.slice("openapi-".length) as OpenApiVersion, code);
  }
}
