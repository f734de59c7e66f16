/**
 * The strictness walk: what it refuses ajv's strict compile refuses too (the oracle), what
 * 2020-12 allows it accepts, and what is only doubtful (unknown keywords and formats) it warns
 * about, naming the keyword a near miss probably meant.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { embeddedSchemaAjv, vocabularyOf } from "../ajv/definitions.js";
import { probableKeyword, strictProblems } from "./schema-strictness.js";

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
const problems = (schema: unknown) => strictProblems(schema, vocabulary).map(({ code, pointer, message }) => ({ code, pointer, message }));

const good: Record<string, object> = {
  "plain object": { type: "object", properties: { a: { type: "string", minLength: 1, description: "A." } }, required: ["a"], additionalProperties: false },
  "refs to $defs": { $defs: { id: { type: "string", pattern: "^[a-z]+$" } }, properties: { a: { $ref: "#/$defs/id" } } },
  "nested applicators and formats": { anyOf: [{ type: "string", format: "email" }, { type: "array", prefixItems: [{ format: "password" }], items: { not: { const: 1 } } }], patternProperties: { "^x-": true } },
  annotations: { title: "T", description: "D", default: {}, examples: [1], deprecated: true, readOnly: true, $comment: "c" },
  "the internationalised 2020-12 formats": { properties: { a: { format: "idn-email" }, b: { format: "idn-hostname" }, c: { format: "iri" }, d: { format: "iri-reference" } } },
};

const bad: Record<string, { schema: object; pointer: string; code: string }> = {
  "a pattern that is not a regex": { schema: { items: { type: "string", pattern: "([a-z" } }, pointer: "/items/pattern", code: "IH040" },
  "a patternProperties key that is not a regex": { schema: { patternProperties: { "(": { type: "string" } } }, pointer: "/patternProperties/(", code: "IH040" },
  "a $ref to nowhere": { schema: { properties: { a: { $ref: "#/$defs/missing" } } }, pointer: "/properties/a/$ref", code: "IH040" },
  "a $ref to another document": { schema: { allOf: [{ $ref: "https://example.com/other.json" }] }, pointer: "/allOf/0/$ref", code: "IH049" },
  "a relative $ref with no resource of that name": { schema: { properties: { a: { $ref: "other.json#/$defs/a" } } }, pointer: "/properties/a/$ref", code: "IH049" },
};

describe("strictProblems", () => {
  it.each(Object.entries(good))("accepts %s, as ajv's strict compile does", (_, schema) => {
    expect(compiles(schema)).toBe(true);
    expect(problems(schema)).toEqual([]);
  });

  it("accepts $anchor refs and the root ref, which the runtime's ajv resolves (its strict compile alone refuses them)", () => {
    const schema = { $defs: { id: { $anchor: "id", type: "string" } }, properties: { b: { $ref: "#id" }, c: { $ref: "#" } } };
    const runtimeLike = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(runtimeLike({ b: 1 })).toBe(false);
    expect(runtimeLike({ b: "x", c: { b: "y" } })).toBe(true);
    expect(problems(schema)).toEqual([]);
  });

  it.each(Object.entries(bad))("refuses %s at its pointer, as ajv's strict compile does", (_, { schema, pointer, code }) => {
    expect(compiles(schema)).toBe(false);
    expect(problems(schema).map((p) => [p.code, p.pointer])).toEqual([[code, pointer]]);
  });

  it("resolves references against the nearest $id: relative, absolute and URN bases, and anchors under a changed base", () => {
    const schema = {
      $id: "http://example.com/root.json",
      properties: {
        relative: { $ref: "item.json" },
        absolute: { $ref: "http://example.com/b/d.json" },
        urn: { $ref: "urn:uuid:deadbeef-1234-0000-0000-4321feebdaed#/$defs/bar" },
        anchored: { $ref: "child#kid" },
        meta: { $ref: "https://json-schema.org/draft/2020-12/schema" },
      },
      $defs: {
        item: { $id: "item.json", type: "string" },
        b: { $id: "b/", allOf: [{ $id: "d.json", type: "integer" }] },
        urn: { $id: "urn:uuid:deadbeef-1234-0000-0000-4321feebdaed", $defs: { bar: { type: "string" } } },
        child: { $id: "child", $anchor: "kid", type: "boolean" },
      },
    };
    expect(problems(schema)).toEqual([]);
    expect(problems({ ...schema, properties: { wrong: { $ref: "child#other" }, gone: { $ref: "item.json#/nothing" } } })).toEqual([
      { code: "IH040", pointer: "/properties/wrong/$ref", message: expect.stringContaining("http://example.com/child#other") },
      { code: "IH040", pointer: "/properties/gone/$ref", message: expect.stringContaining("http://example.com/item.json#/nothing") },
    ]);
  });

  it("takes an $id inside an unknown keyword or enum for data, not an identifier", () => {
    const schema = { enum: [{ $id: "http://example.com/x.json" }], "x-meta": { $id: "http://example.com/y.json" }, anyOf: [{ $ref: "http://example.com/x.json" }] };
    expect(problems(schema).map((p) => p.code)).toEqual(["IH049"]);
  });

  it("keeps UI hints and x- keywords as annotations, and warns about other unknown keywords, naming a near miss", () => {
    const schema = {
      type: "object",
      required: ["a"],
      properties: {
        a: { type: "string", label: "A", help_text: "The a.", placeholder: "a…", "x-widget": "textarea", minLenght: 2 },
        b: { type: "array", items: { type: "string" }, requried: ["x"], MaxItems: 3, colour: "red" },
      },
    };
    expect(problems(schema)).toEqual([
      { code: "IH047", pointer: "/properties/a/minLenght", message: 'unknown keyword "minLenght": did you mean "minLength"?' },
      { code: "IH047", pointer: "/properties/b/requried", message: 'unknown keyword "requried": did you mean "required"?' },
      { code: "IH047", pointer: "/properties/b/MaxItems", message: 'unknown keyword "MaxItems": did you mean "maxItems"?' },
      { code: "IH047", pointer: "/properties/b/colour", message: 'unknown keyword "colour" (kept as an annotation)' },
    ]);
  });

  it("warns about an unknown format, which stays an annotation", () => {
    expect(problems({ properties: { f: { type: "string", format: "file" }, t: { format: "text" } } })).toEqual([
      { code: "IH048", pointer: "/properties/f/format", message: 'unknown format "file" (kept as an annotation, not validated)' },
      { code: "IH048", pointer: "/properties/t/format", message: 'unknown format "text" (kept as an annotation, not validated)' },
    ]);
  });

  it("finds a loop of references however long the chain, and only the loop", () => {
    const n = 20_000;
    const $defs = Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, { $ref: `#/$defs/d${(i + 1) % n}` }]));
    expect(problems({ $defs, $ref: "#/$defs/d0" }).map((p) => [p.code, p.pointer])).toEqual([["IH040", `/$defs/d${n - 1}/$ref`]]);
    const chain = Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, i + 1 < n ? { $ref: `#/$defs/d${i + 1}` } : { type: "string" }]));
    expect(problems({ $defs: chain, $ref: "#/$defs/d0" })).toEqual([]);
  });

  it("suggests a keyword only for a near miss", () => {
    expect(probableKeyword("patern", vocabulary.keywords)).toBe("pattern");
    expect(probableKeyword("maxlength", vocabulary.keywords)).toBe("maxLength");
    expect(probableKeyword("colour", vocabulary.keywords)).toBeNull();
    expect(probableKeyword("ids", vocabulary.keywords)).toBeNull();
  });
});
