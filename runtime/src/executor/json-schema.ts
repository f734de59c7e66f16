/**
 * JSON Schema checks for handler input/output, config and container records. Each schema object
 * is compiled once (compiling costs milliseconds, checking microseconds) and the compiled
 * function is kept as long as the manifest object that holds the schema.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type SchemaIssue = { pointer: string; message: string };

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
    }
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Every way `value` breaks `schema`, as JSON pointers into the value; empty when it conforms. */
export function checkSchema(schema: object, value: unknown): SchemaIssue[] {
  const validate = compile(schema);
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
