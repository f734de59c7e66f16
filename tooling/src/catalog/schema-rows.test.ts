import { describe, expect, it } from "vitest";
import { exampleFromSchema, schemaRows, typeInWords } from "./schema-rows.js";

describe("schemaRows", () => {
  it("turns properties into rows with required marks, defaults, enums and nested names", () => {
    const rows = schemaRows({
      type: "object",
      required: ["region", "filter"],
      properties: {
        region: { type: "string", enum: ["eu", "us"], description: "Data region." },
        limit: { type: "integer", default: 10 },
        filter: { type: "object", required: ["status"], properties: { status: { type: "string" }, since: { type: "string", format: "date-time" } } },
        items: { type: "array", items: { type: "object", properties: { id: { $ref: "#/$defs/id" } } } },
      },
      $defs: { id: { type: "string", description: "An id." } },
    });
    expect(rows).toEqual([
      { name: "region", type: "string", required: true, description: "Data region.", enum: ["eu", "us"] },
      { name: "limit", type: "integer", required: false, default: 10 },
      { name: "filter", type: "object", required: true },
      { name: "filter.status", type: "string", required: true },
      { name: "filter.since", type: "string", required: false, format: "date-time" },
      { name: "items", type: "array of object", required: false },
      { name: "items[].id", type: "string", required: false, description: "An id." },
    ]);
  });

  it("carries the label and help_text UI hints", () => {
    const rows = schemaRows({ type: "object", properties: { region: { type: "string", label: "Region", help_text: "Where the account lives.", "x-order": 1 }, plain: { type: "string", label: 5 } } });
    expect(rows).toEqual([
      { name: "region", type: "string", required: false, label: "Region", helpText: "Where the account lives." },
      { name: "plain", type: "string", required: false },
    ]);
  });

  it("marks secrets only when asked, from format password or writeOnly", () => {
    const schema = { type: "object", properties: { key: { type: "string", format: "password" }, token: { type: "string", writeOnly: true }, user: { type: "string" } } };
    expect(schemaRows(schema, { secrets: true }).map((r) => [r.name, r.secret])).toEqual([["key", true], ["token", true], ["user", false]]);
    expect(schemaRows(schema).every((r) => r.secret === undefined)).toBe(true);
  });

  it("survives hostile and odd schemas without throwing", () => {
    const cyclic: Record<string, unknown> = { type: "object", properties: {} };
    (cyclic.properties as Record<string, unknown>).self = cyclic;
    expect(schemaRows(cyclic).length).toBe(5); // depth-capped, not infinite
    expect(schemaRows(null)).toEqual([]);
    expect(schemaRows("string")).toEqual([]);
    expect(schemaRows({ properties: { a: 5, b: null } })).toEqual([]);
    expect(schemaRows({ $ref: "#/$defs/missing" })).toEqual([{ name: "(value)", type: "any", required: true }]);
    expect(schemaRows({ type: "string", description: "A bare string." })).toEqual([{ name: "(value)", type: "string", required: true, description: "A bare string." }]);
    expect(typeInWords({ oneOf: [{ type: "string" }, { type: "null" }] })).toBe("string | null");
    expect(typeInWords({ type: ["integer", "null"] })).toBe("integer | null");
  });
});

describe("exampleFromSchema", () => {
  it("prefers examples, then defaults, consts and first enum values", () => {
    expect(
      exampleFromSchema({
        type: "object",
        properties: { id: { type: "string", examples: ["dev-1"] }, n: { default: 3 }, kind: { const: "x" }, mode: { enum: ["a", "b"] }, free: { type: "string" } },
      }),
    ).toEqual({ id: "dev-1", n: 3, kind: "x", mode: "a" });
    expect(exampleFromSchema({ type: "array", items: { type: "integer", examples: [7] } })).toEqual([7]);
    expect(exampleFromSchema({ type: "object", properties: { free: { type: "string" } } })).toBeUndefined();
    expect(exampleFromSchema({ example: { whole: true }, properties: { a: { default: 1 } } })).toEqual({ whole: true });
  });
});
