/**
 * The repository's generated JSON Schemas (schemas/*.json, rendered from the zod definitions in
 * runtime/), read once per process, and ajv's errors against them worded as findings. Validating
 * through the generated files (compiled by ../ajv/) rather than zod keeps zod out of `ihub
 * validate`; the schema test in tooling/src/schemas proves the files match the zod source.
 */
import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import { toPointer } from "@ihub/runtime/json";

export type RepoSchemaFile = "integration.schema.json" | "integration-test.schema.json";

const parsed = new Map<RepoSchemaFile, Record<string, unknown>>();

export function repoSchema(file: RepoSchemaFile): Record<string, unknown> {
  let schema = parsed.get(file);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`../../../../schemas/${file}`, import.meta.url), "utf8")) as Record<string, unknown>;
    parsed.set(file, schema);
  }
  return schema;
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
