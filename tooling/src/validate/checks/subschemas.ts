/**
 * The subschemas of a JSON Schema 2020-12 schema object: the values of its applicator keywords.
 * Anything else (unknown keywords, `enum`, `const`, `default`, `examples`) is data, whose `$id`s,
 * `$ref`s and keywords mean nothing, so walks of a schema go only through these.
 */
const ONE = new Set(["additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
const MANY = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
// `definitions` is the pre-2019 name of `$defs`, which ajv still resolves.
const MAP = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);

export const isSchemaObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Calls `visit` with each direct subschema of `node` and the path segments from `node` to it. */
export function forEachSubschema(node: Record<string, unknown>, visit: (schema: unknown, segments: (string | number)[]) => void): void {
  for (const [key, value] of Object.entries(node)) {
    if (ONE.has(key)) visit(value, [key]);
    else if (MANY.has(key) && Array.isArray(value)) value.forEach((s, i) => visit(s, [key, i]));
    else if (MAP.has(key) && isSchemaObject(value)) for (const [name, s] of Object.entries(value)) visit(s, [key, name]);
  }
}
