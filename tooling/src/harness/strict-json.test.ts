import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parseTestCase } from "./load-test-case.js";
import { parseStrictJson } from "./strict-json.js";

describe("parseStrictJson", () => {
  it("yields what the YAML parser yields for JSON texts, tabs, escapes and odd numbers included", () => {
    const texts = ['{\n\t"a": 1,\n\t"b": [1,\t2, {"c": null}]\n}', '{"s": "\\/x\\ud83d\\ude00#not-a-comment"}', '{"n": -0, "e": 1e3, "f": 1.50}', "[1, true, \"x\"]", '{"a": {"a": 1}}'];
    for (const text of texts) expect(parseStrictJson(text)?.value).toEqual(parseDocument(text, { uniqueKeys: true }).toJS());
  });

  it("leaves duplicate keys, YAML and broken JSON to the YAML parser", () => {
    for (const text of ['{"a": 1, "b": {"c": 1, "c": 2}}', "name: x", '{"a": 1,}', '"just a string"', ""]) expect(parseStrictJson(text)).toBeNull();
  });

  it("a duplicate key in a JSON case is still a parse problem at its line", () => {
    const parsed = parseTestCase("dup.test.json", '{\n  "name": "n",\n  "handler": "h",\n  "handler": "i",\n  "expect": {}\n}');
    expect(parsed).toMatchObject({ ok: false, problems: [{ file: "dup.test.json", pointer: "", line: 4, message: expect.stringMatching(/^does not parse: .*unique/) }] });
  });
});
