/**
 * Walking an embedded JSON Schema along a path read from Lua code (`input.filter.name`,
 * `input.items[1]`), to the subschema that path reaches. Only what the schema states plainly is
 * judged: a schema combined with allOf/anyOf/oneOf, $ref, conditionals or patternProperties is
 * "unchecked" from there on, so the checks never call a name undeclared that such a schema allows.
 */
import { ITEM } from "../../analysis/lua-code-facts.js";

export type SchemaNode = { schema: Record<string, unknown>; pointer: string };

export type Step =
  | { kind: "declared"; node: SchemaNode; required: boolean }
  | { kind: "undeclared"; closed: boolean; names: string[]; pointer: string }
  | { kind: "unchecked" };

const COMBINERS = ["allOf", "anyOf", "oneOf", "$ref", "$dynamicRef", "if", "patternProperties", "unevaluatedProperties", "dependentSchemas"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** The pointer of a property of the schema at `pointer`. */
export const propertyPointer = (pointer: string, key: string) => `${pointer}/properties/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;

export const properties = (s: Record<string, unknown>): Record<string, unknown> => (isObject(s.properties) ? s.properties : {});

export function isRequired(s: Record<string, unknown>, key: string): boolean {
  return Array.isArray(s.required) && s.required.includes(key);
}

/** One step from `at` to its field `key` (ITEM: an array element, or a key computed at run time). */
export function step(at: SchemaNode, key: string): Step {
  const s = at.schema;
  if (key === ITEM) return isObject(s.items) ? { kind: "declared", node: { schema: s.items, pointer: `${at.pointer}/items` }, required: false } : { kind: "unchecked" };
  const props = properties(s);
  if (Object.hasOwn(props, key)) {
    const sub = props[key];
    return isObject(sub) ? { kind: "declared", node: { schema: sub, pointer: propertyPointer(at.pointer, key) }, required: isRequired(s, key) } : { kind: "unchecked" };
  }
  if (COMBINERS.some((k) => k in s)) return { kind: "unchecked" };
  if (isObject(s.additionalProperties)) return { kind: "declared", node: { schema: s.additionalProperties, pointer: `${at.pointer}/additionalProperties` }, required: false };
  if (s.additionalProperties === false) return { kind: "undeclared", closed: true, names: Object.keys(props), pointer: `${at.pointer}/additionalProperties` };
  // A schema that declares no properties at all is a free-form object.
  if (!isObject(s.properties)) return { kind: "unchecked" };
  return { kind: "undeclared", closed: false, names: Object.keys(props), pointer: `${at.pointer}/properties` };
}

/** Whether nil-testing a value of this schema says something other than "is it there": booleans and nulls are falsy. */
export function falsyValuesAllowed(s: Record<string, unknown>): boolean {
  const types = typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? s.type : null;
  return types === null || types.includes("boolean") || types.includes("null");
}
