import { describe, expect, it } from "vitest";
import { readJson } from "./read-json.js";

describe("readJson's syntax messages", () => {
  it.each([
    ['{\n  "a": 1,\n}', "not valid JSON at line 3, column 1: a comma before '}' (JSON allows no trailing comma)"],
    ['[1, 2,\n]', "not valid JSON at line 2, column 1: a comma before ']' (JSON allows no trailing comma)"],
    ['{"a": 1 "b": 2}', "not valid JSON at line 1, column 9: expected ',' between two entries"],
    ["{'a': 1}", "not valid JSON at line 1, column 2: unexpected text: strings and property names take double quotes, and true, false and null are lower case"],
    ['{"a": True}', "not valid JSON at line 1, column 7: unexpected text: strings and property names take double quotes, and true, false and null are lower case"],
    ['// note\n{}', "not valid JSON at line 1, column 1: a comment, which JSON does not allow"],
    ['{"a" 1}', "not valid JSON at line 1, column 6: expected ':' after the property name"],
    ['{"a": [1, 2}', "not valid JSON at line 1, column 12: '}' does not close the array or object open here: expected ',' or its own closing bracket"],
    ['{"a": 1', "not valid JSON at line 1, column 8: an object is not closed: expected ',' or '}'"],
    ['{"a": ', "not valid JSON at line 1, column 7: the text ends where a value was expected"],
    ['{"a": "x\ny"}', "not valid JSON at line 1, column 7: a string that is not closed on its line (write a line break inside a string as \\n)"],
    ['{} {}', "not valid JSON at line 1, column 4: more text after the end of the document"],
  ])("%j", (text, message) => {
    expect(readJson(text)).toMatchObject({ ok: false, problem: "syntax", message });
  });

  it("never quotes the text it refuses, which may hold a secret", () => {
    const r = readJson('{"token": sk_live_abc123}');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain("sk_live");
  });
});
