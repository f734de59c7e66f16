import { describe, expect, it } from "vitest";
import { luaSyntaxError } from "./lua-syntax.js";
import { plainLuaSyntax } from "./plain-syntax-message.js";

/** fengari's verdict on `source`, put in plain words. */
function plain(source: string) {
  const raw = luaSyntaxError(Buffer.from(source), "handlers/a.lua")!;
  return { line: raw.line, ...plainLuaSyntax(raw.message, source, raw.line) };
}

describe("Lua syntax errors in plain words", () => {
  it.each([
    ["function f()\n  return 1\n", { line: 3, column: 1, message: "'function' opened at line 1 is not closed: expected 'end' before the end of the file" }],
    ["local t = { a = 1 b = 2 }", { line: 1, column: 19, message: "expected '}' before 'b'" }],
    ["for i = 1 do end", { line: 1, column: 11, message: "expected ',' before 'do'" }],
    ["local function() end", { line: 1, column: 15, message: "expected a name (a letter or _ followed by letters, digits or _) before '('" }],
    ["return return", { line: 1, column: 8, message: "'return' is out of place here" }],
    ["f(", { line: 1, column: 3, message: "the file ends in the middle of a statement" }],
    ["local s = 'abc\nx = 1", { line: 1, column: 11, message: "a string is not closed before the end of its line" }],
    ["local s = [[abc", { line: 1, column: 16, message: "the long string opened at line 1 is not closed with ']]'" }],
    ["goto continue", { line: 1, column: 1, message: "goto continue has no label ::continue:: it can jump to" }],
  ])("%j", (source, expected) => {
    expect(plain(source)).toEqual(expected);
  });
});
