import { describe, expect, it } from "vitest";
import { binaryReason, luaSyntaxError } from "./lua-syntax.js";

describe("Lua text and syntax (fengari)", () => {
  it("reports the line of a syntax error", () => {
    expect(luaSyntaxError(Buffer.from("local a = 1\nlocal b = \nreturn {}\n"), "x.lua")).toEqual({ line: 3, message: "unexpected symbol near 'return'" });
    expect(luaSyntaxError(Buffer.from("return { f = function(ctx) end }"), "x.lua")).toBeNull();
  });

  it("rejects NUL bytes, precompiled chunks and invalid UTF-8 at their offset", () => {
    expect(binaryReason(Buffer.from("ab\0c"))).toEqual({ offset: 2, reason: "contains a NUL byte" });
    expect(binaryReason(Buffer.from("\x1bLua", "latin1"))?.offset).toBe(0);
    // 0xc3 opens a two-byte sequence; 0x28 cannot continue it, so decoding breaks at byte 3.
    expect(binaryReason(Buffer.from([0x61, 0x62, 0xc3, 0x28]))).toEqual({ offset: 3, reason: "is not valid UTF-8" });
    expect(binaryReason(Buffer.from("-- héllo\n"))).toBeNull();
  });
});
