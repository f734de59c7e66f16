/**
 * The repository's generated JSON Schemas (schemas/*.json, rendered from the zod definitions in
 * runtime/) compiled by one ajv instance, each once per process and only when first needed.
 * Validating through the generated files rather than zod keeps zod out of `ihub validate`'s
 * start-up; the schema test in tooling/src/schemas proves the files match the zod source.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { toPointer } from "@ihub/runtime/json";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
export const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type RepoSchemaFile = "integration.schema.json" | "integration-test.schema.json";

let ajv: Ajv2020 | undefined;
const compiled = new Map<RepoSchemaFile, ValidateFunction>();
const parsed = new Map<RepoSchemaFile, Record<string, unknown>>();

export function repoSchema(file: RepoSchemaFile): Record<string, unknown> {
  let schema = parsed.get(file);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`../../../../schemas/${file}`, import.meta.url), "utf8")) as Record<string, unknown>;
    parsed.set(file, schema);
  }
  return schema;
}

export function repoSchemaValidator(file: RepoSchemaFile): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
    }
    validate = ajv.compile(repoSchema(file));
    compiled.set(file, validate);
  }
  return validate;
}

/** One ajv error as a pointer (to the key when `key`) and a message that names the offending path. */
export type DescribedError = { pointer: string; key: boolean; message: string; propertyName?: string; parent: string };

export function describeAjvError(error: ErrorObject): DescribedError | null {
  // The wrapper repeats what the nested error (which carries `propertyName`) already says.
  if (error.keyword === "propertyNames") return null;
  const at = error.instancePath || "/";
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return { pointer: `${error.instancePath}${toPointer([propertyName])}`, key: true, parent: error.instancePath, propertyName, message: `${at}: key "${propertyName}" ${error.message ?? "is not allowed"}` };
  }
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = String(error.params.additionalProperty);
      return { pointer: `${error.instancePath}${toPointer([extra])}`, key: true, parent: error.instancePath, message: `${at}: unknown property "${extra}"` };
    }
    case "required": {
      const missing = String(error.params.missingProperty);
      // The pointer names the missing property; its position is its parent's (locators fall back to the deepest existing node).
      return { pointer: `${error.instancePath}${toPointer([missing])}`, key: false, parent: error.instancePath, message: `${at}: missing required property "${missing}"` };
    }
    case "enum":
      return {
        pointer: error.instancePath,
        key: false,
        parent: error.instancePath,
        message: `${at}: must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { pointer: error.instancePath, key: false, parent: error.instancePath, message: `${at}: ${error.message ?? error.keyword}` };
  }
}
