/** The strictness walk against ajv's strict compile as the oracle: both refuse the same schemas. */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { embeddedSchemaAjv, vocabularyOf } from "../ajv/definitions.js";
import { strictProblems } from "./schema-strictness.js";

const facts = vocabularyOf(embeddedSchemaAjv());
const vocabulary = { keywords: new Set(facts.keywords), formats: new Set(facts.formats) };
const compiles = (schema: object) => {
  try {
    embeddedSchemaAjv().compile(schema);
    return true;
  } catch {
    return false;
  }
};

const good: Record<string, object> = {
  "plain object": { type: "object", properties: { a: { type: "string", minLength: 1, description: "A." } }, required: ["a"], additionalProperties: false },
  "refs to $defs": { $defs: { id: { type: "string", pattern: "^[a-z]+$" } }, properties: { a: { $ref: "#/$defs/id" } } },
  "nested applicators and formats": { anyOf: [{ type: "string", format: "email" }, { type: "array", prefixItems: [{ format: "password" }], items: { not: { const: 1 } } }], patternProperties: { "^x-": true } },
  annotations: { title: "T", description: "D", default: {}, examples: [1], deprecated: true, readOnly: true, $comment: "c" },
};

const bad: Record<string, { schema: object; pointer: string }> = {
  "a misspelt keyword": { schema: { type: "object", properties: { a: { type: "string", patern: "^a" } } }, pointer: "/properties/a/patern" },
  "a pattern that is not a regex": { schema: { items: { type: "string", pattern: "([a-z" } }, pointer: "/items/pattern" },
  "a patternProperties key that is not a regex": { schema: { patternProperties: { "(": { type: "string" } } }, pointer: "/patternProperties/(" },
  "an unknown format": { schema: { properties: { when: { type: "string", format: "datetime" } } }, pointer: "/properties/when/format" },
  "a $ref to nowhere": { schema: { properties: { a: { $ref: "#/$defs/missing" } } }, pointer: "/properties/a/$ref" },
  "a $ref to another document": { schema: { allOf: [{ $ref: "https://example.com/other.json" }] }, pointer: "/allOf/0/$ref" },
};

describe("strictProblems", () => {
  it.each(Object.entries(good))("accepts %s, as ajv's strict compile does", (_, schema) => {
    expect(compiles(schema)).toBe(true);
    expect(strictProblems(schema, vocabulary)).toEqual([]);
  });

  it("accepts $anchor refs and the root ref, which the runtime's ajv resolves (its strict compile alone refuses them)", () => {
    const schema = { $defs: { id: { $anchor: "id", type: "string" } }, properties: { b: { $ref: "#id" }, c: { $ref: "#" } } };
    const runtimeLike = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(runtimeLike({ b: 1 })).toBe(false);
    expect(runtimeLike({ b: "x", c: { b: "y" } })).toBe(true);
    expect(strictProblems(schema, vocabulary)).toEqual([]);
  });

  it.each(Object.entries(bad))("refuses %s at its pointer, as ajv's strict compile does", (_, { schema, pointer }) => {
    expect(compiles(schema)).toBe(false);
    expect(strictProblems(schema, vocabulary).map((p) => p.pointer)).toEqual([pointer]);
  });
});
