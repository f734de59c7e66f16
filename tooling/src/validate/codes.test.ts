import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "./codes.js";

const DOC = new URL("../../../docs/validate.md", import.meta.url);
const README = new URL("../../../README.md", import.meta.url);

describe("finding code registry", () => {
  it("docs/validate.md documents exactly the registry's codes, with their severity, meaning and hint", async () => {
    const rows = (await readFile(DOC, "utf8"))
      .split("\n")
      .map((line) => /^\| (IH\d{3}) \| (error|warning) \| (.+?) \| (.+) \|$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], { severity: m[2], title: m[3], hint: m[4]!.replace(/\\\|/g, "|") }] as const);
    expect(Object.fromEntries(rows)).toEqual(FINDING_CODES);
    expect(rows.length).toBe(Object.keys(FINDING_CODES).length);
  });

  it("README.md lists exactly the registry's codes with their severity and meaning", async () => {
    const rows = (await readFile(README, "utf8"))
      .split("\n")
      .map((line) => /^\| (IH\d{3}) \| (error|warning) \| (.+?) \|$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], { severity: m[2], title: m[3] }] as const);
    const expected = Object.fromEntries(Object.entries(FINDING_CODES).map(([code, { severity, title }]) => [code, { severity, title }]));
    expect(Object.fromEntries(rows)).toEqual(expected);
  });

  it("codes are unique IHnnn codes and every hint is one line", () => {
    for (const [code, info] of Object.entries(FINDING_CODES)) {
      expect(code).toMatch(/^IH\d{3}$/);
      expect(info.hint).not.toMatch(/\n/);
      expect(info.hint.length).toBeGreaterThan(10);
    }
  });
});
