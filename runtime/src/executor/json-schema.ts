/**
 * JSON Schema checks for handler input/output, config and container records, as issues a person
 * can read; the validators come from the shared set-up in ../json-schema/. A schema that cannot be
 * compiled or evaluated (a remote reference, a reference loop: what `ihub validate` refuses as
 * IH040 and IH049) is the bundle's fault, not a bug: it fails as a typed SCHEMA_INVALID.
 */
import type { ValidateFunction } from "ajv/dist/2020.js";
import { compiledSchema, type SchemaUse } from "../json-schema/compiled-schema.js";
import { ExecutorError } from "./executor-error.js";

export type SchemaIssue = { pointer: string; message: string };

const HINT = "Run `ihub validate` on the integration: it names the schema and what is wrong with it.";

/** The validator of an embedded schema; an ExecutorError when ajv cannot compile it. */
export function schemaValidator(schema: object, use: SchemaUse = "check"): ValidateFunction {
  try {
    return compiledSchema(schema, use);
  } catch (error) {
    throw new ExecutorError("SCHEMA_INVALID", `an embedded JSON Schema cannot be compiled: ${(error as Error).message}`, undefined, HINT);
  }
}

/** `validate(value)`, with a schema whose evaluation never ends (ajv overflows its stack) as an ExecutorError. */
export function runValidator(validate: ValidateFunction, value: unknown): boolean {
  try {
    return validate(value) as boolean;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ExecutorError("SCHEMA_INVALID", "an embedded JSON Schema's references loop without end", undefined, HINT);
  }
}

/** Every way `value` breaks `schema`, as JSON pointers into the value; empty when it conforms. */
export function checkSchema(schema: object, value: unknown): SchemaIssue[] {
  const validate = schemaValidator(schema);
  if (runValidator(validate, value)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : "";
    return { pointer: e.instancePath || "/", message: `${e.message ?? e.keyword}${extra}` };
  });
}

/** One line for error messages: "/a/b must be string; / must have required property 'x'". */
export function describeIssues(issues: readonly SchemaIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${i.pointer} ${i.message}`);
  return shown.join("; ") + (issues.length > max ? `; and ${issues.length - max} more` : "");
}
