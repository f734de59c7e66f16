/**
 * OpenAPI Schema Objects (2.0, 3.0, 3.1, 3.2) as the JSON Schema 2020-12 a manifest embeds, and
 * values made from a schema where the document gives no example. The keywords and formats kept
 * are the ones the manifest's schema validator knows (its vocabulary), so the result passes
 * `ihub validate`'s strict check: `nullable` becomes a type union, `example` becomes `examples`,
 * 3.0's boolean `exclusiveMinimum` a number, and what has no 2020-12 meaning (`discriminator`,
 * `xml`, `x-*`, unknown formats) is left out.
 */

export type Vocabulary = { keywords: ReadonlySet<string>; formats: ReadonlySet<string> };
/** What an internal `$ref` left in place (a circular one) points to in the document. */
export type RefLookup = (ref: string) => unknown;
export type JsonSchema = Record<string, unknown> | boolean;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Deeper schemas (vendors' expandable objects nest without end) are cut to "anything" here. */
const MAX_DEPTH = 8;
/** References and identifiers point into the document, which the manifest does not hold; `nullable` becomes a type union. */
const DROPPED = new Set(["nullable", "$ref", "$id", "$schema", "$defs", "definitions", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary", "$comment"]);
const SUBSCHEMA = new Set(["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "additionalItems"]);
const SUBSCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SUBSCHEMA_MAPS = new Set(["properties", "patternProperties", "dependentSchemas"]);

/** Circular `$ref`s are followed through `lookup` until MAX_DEPTH, where the schema becomes "anything". */
export function toJsonSchema(schema: unknown, vocabulary: Vocabulary, lookup: RefLookup, depth = 0): JsonSchema {
  if (typeof schema === "boolean") return schema;
  if (!isRecord(schema) || depth > MAX_DEPTH) return {};
  if (typeof schema.$ref === "string") return toJsonSchema(lookup(schema.$ref), vocabulary, lookup, depth + 1);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || !vocabulary.keywords.has(key)) continue;
    if (SUBSCHEMA.has(key)) out[key] = toJsonSchema(value, vocabulary, lookup, depth + 1);
    else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map((v) => toJsonSchema(v, vocabulary, lookup, depth + 1));
    else if (SUBSCHEMA_MAPS.has(key) && isRecord(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, vocabulary, lookup, depth + 1)]));
    else if (key === "format") {
      if (typeof value === "string" && vocabulary.formats.has(value)) out.format = value;
    } else if (key === "type") {
      const types = (Array.isArray(value) ? value : [value]).filter((t) => typeof t === "string" && t !== "file");
      if (types.length === 1) out.type = types[0];
      else if (types.length > 1) out.type = types;
    } else if (key === "required") {
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) out.required = [...new Set(value)];
    } else if ((key === "exclusiveMinimum" || key === "exclusiveMaximum") && typeof value === "boolean") {
      const bound = key === "exclusiveMinimum" ? "minimum" : "maximum";
      if (value && typeof schema[bound] === "number") out[key] = schema[bound];
    } else out[key] = value;
  }
  if (out.exclusiveMinimum !== undefined && schema.exclusiveMinimum === true) delete out.minimum;
  if (out.exclusiveMaximum !== undefined && schema.exclusiveMaximum === true) delete out.maximum;
  if (schema.example !== undefined && out.examples === undefined && vocabulary.keywords.has("examples")) out.examples = [schema.example];
  if ((schema.nullable === true || schema["x-nullable"] === true) && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "12:00:00Z",
  email: "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  uuid: "123e4567-e89b-12d3-a456-426614174000",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  hostname: "example.com",
  duration: "P1D",
};

/** A value for the schema, from its own const, enum, default or examples, or made from its type; undefined when none can be told. */
export function sampleOf(schema: unknown, depth = 0): unknown {
  if (schema === true || schema === undefined) return "example";
  if (!isRecord(schema) || depth > MAX_DEPTH) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((s) => sampleOf(s, depth + 1));
    return parts.every(isRecord) ? Object.assign({}, ...parts) : parts[0];
  }
  for (const key of ["oneOf", "anyOf"]) {
    const options = schema[key];
    if (Array.isArray(options) && options.length) return sampleOf(options[0], depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (isRecord(schema.properties) ? "object" : schema.items ? "array" : undefined)) {
    case "object": {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : [];
      return Object.fromEntries(required.map((name) => [name, sampleOf(properties[name], depth + 1) ?? "example"]));
    }
    case "array": {
      const item = sampleOf(schema.items, depth + 1);
      const count = typeof schema.minItems === "number" ? Math.min(schema.minItems, 3) : item === undefined ? 0 : 1;
      return Array.from({ length: count }, () => item);
    }
    case "string": {
      if (typeof schema.format === "string" && FORMAT_SAMPLES[schema.format]) return FORMAT_SAMPLES[schema.format];
      const min = typeof schema.minLength === "number" ? schema.minLength : 0;
      const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
      const text = "example".padEnd(min, "x");
      return text.slice(0, Math.max(1, Math.min(text.length, max)));
    }
    case "integer":
    case "number": {
      const low = typeof schema.minimum === "number" ? schema.minimum : typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : 1;
      const high = typeof schema.maximum === "number" ? schema.maximum : typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum - 1 : Infinity;
      const value = Math.min(type === "integer" ? Math.ceil(low) : low, high);
      return typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? Math.ceil(value / schema.multipleOf) * schema.multipleOf : value;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return undefined;
  }
}
