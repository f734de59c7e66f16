import { describe, expect, it } from "vitest";
import { fromPointer, joinPointer, toPointer } from "./json-pointer.js";

describe("JSON pointers (RFC 6901)", () => {
  it("escapes ~ and / in segments, and reads them back", () => {
    expect(toPointer(["paths", "/pets/{id}", "get", 0])).toBe("/paths/~1pets~1{id}/get/0");
    expect(toPointer(["a~b"])).toBe("/a~0b");
    expect(fromPointer("/paths/~1pets~1{id}/a~0b")).toEqual(["paths", "/pets/{id}", "a~b"]);
    expect(toPointer([])).toBe("");
    expect(fromPointer("")).toEqual([]);
  });

  it("extends a pointer with unescaped keys", () => {
    expect(joinPointer("/properties/a", "properties", "b/c")).toBe("/properties/a/properties/b~1c");
  });
});
