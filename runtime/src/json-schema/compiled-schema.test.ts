/** The shared ajv set-up: one schema's identifiers never meet another's, every 2020-12 format is validated, unknown ones are annotations. */
import { describe, expect, it } from "vitest";
import { compiledSchema, declaresId } from "./compiled-schema.js";

describe("compiledSchema", () => {
  it("keeps schemas that declare the same $id apart", () => {
    const a = compiledSchema({ $id: "http://example.com/shared.json", $defs: { v: { $id: "value.json", type: "string" } }, properties: { v: { $ref: "value.json" } } });
    const b = compiledSchema({ $id: "http://example.com/shared.json", $defs: { v: { $id: "value.json", type: "integer" } }, properties: { v: { $ref: "value.json" } } });
    expect([a({ v: "x" }), a({ v: 1 })]).toEqual([true, false]);
    expect([b({ v: "x" }), b({ v: 1 })]).toEqual([false, true]);
  });

  it("does not resolve a reference into a schema compiled before", () => {
    compiledSchema({ $defs: { other: { $id: "http://example.com/other.json", type: "string" } } });
    expect(() => compiledSchema({ $id: "http://example.com/mine.json", $ref: "other.json" })).toThrow(/can't resolve reference other.json/);
  });

  it("checks a schema with $id against the meta-schema as a shared one is", () => {
    expect(() => compiledSchema({ $id: "http://example.com/bad.json", type: "strin" })).toThrow(/schema is invalid/);
    expect(() => compiledSchema({ type: "strin" })).toThrow(/schema is invalid/);
  });

  it("resolves the root, anchors and the 2020-12 meta-schema", () => {
    const tree = compiledSchema({ $defs: { n: { $anchor: "node", type: "integer" } }, properties: { n: { $ref: "#node" }, child: { $ref: "#" } } });
    expect([tree({ n: 1, child: { n: 2 } }), tree({ n: 1, child: { n: "x" } })]).toEqual([true, false]);
    const meta = compiledSchema({ $ref: "https://json-schema.org/draft/2020-12/schema" });
    expect([meta({ type: "string" }), meta({ type: 5 })]).toEqual([true, false]);
  });

  it.each([
    ["idn-email", "用户@例子.广告", "no at sign"],
    ["idn-hostname", "실례.테스트", "-starts-with-hyphen"],
    ["iri", "http://例子.测试/路径?q=ü", "/relative/路径"],
    ["iri-reference", "/路径/ü", "nosuchscheme:/x"],
    ["email", "joe@example.com", "joe"],
    ["duration", "P4DT12H30M5S", "P1"],
  ])("validates format %s", (format, good, bad) => {
    const validate = compiledSchema({ type: "string", format });
    expect([validate(good), validate(bad)]).toEqual([true, false]);
  });

  it("refuses internationalised host names UTS #46 refuses: bad Punycode, a leading combining mark", () => {
    const validate = compiledSchema({ type: "string", format: "idn-hostname" });
    expect(["xn--X", "\u0903hello", "\u0300hello", "bücher.example"].map((v) => validate(v))).toEqual([false, false, false, true]);
  });

  it("takes unknown formats and keywords as annotations", () => {
    const validate = compiledSchema({ type: "string", format: "file", label: "Upload", "x-widget": "upload" });
    expect(validate("anything")).toBe(true);
  });

  it("fills defaults only for the fill-defaults use", () => {
    const schema = { type: "object", properties: { region: { type: "string", default: "eu" } } };
    const checked: Record<string, unknown> = {};
    const filled: Record<string, unknown> = {};
    expect(compiledSchema(schema)(checked)).toBe(true);
    expect(compiledSchema(schema, "fill-defaults")(filled)).toBe(true);
    expect([checked, filled]).toEqual([{}, { region: "eu" }]);
  });

  it("finds an $id at any depth, annotations included", () => {
    expect(declaresId({ properties: { a: { type: "string" } } })).toBe(false);
    expect(declaresId({ anyOf: [{ "x-meta": [{ $id: "x" }] }] })).toBe(true);
  });
});
