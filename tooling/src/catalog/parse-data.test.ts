import { describe, expect, it } from "vitest";
import { parseJsonOrYaml } from "./parse-data.js";

describe("parseJsonOrYaml", () => {
  it("reads JSON, YAML, and YAML flow style that only looks like JSON", () => {
    expect(parseJsonOrYaml('{ "paths": { "/a": {} } }')).toEqual({ paths: { "/a": {} } });
    expect(parseJsonOrYaml("openapi: 3.0.3\npaths:\n  /a: {}\n")).toEqual({ openapi: "3.0.3", paths: { "/a": {} } });
    expect(parseJsonOrYaml("{ paths: { /a: {} } }")).toEqual({ paths: { "/a": {} } });
  });
});
