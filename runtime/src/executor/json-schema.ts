/**
 * JSON Schema checks for handler input/output, config and container records, as issues a person
 * can read; the validators come from the shared set-up in ../json-schema/.
 */
import { compiledSchema } from "../json-schema/compiled-schema.js";

export type SchemaIssue = { pointer: string; message: string };

/** Every way `value` breaks `schema`, as JSON pointers into the value; empty when it conforms. */
export function checkSchema(schema: object, value: unknown): SchemaIssue[] {
  const validate = compiledSchema(schema);
  if (validate(value)) return [];
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
