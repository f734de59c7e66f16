import { afterEach, describe, expect, it, vi } from "vitest";
import { RegistryError } from "@ihub/runtime/registry";
import { EXIT, UsageError } from "../errors.js";
import { ERROR_JSON_FORMAT } from "./commands.js";
import { reportError } from "./report-error.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  return { out, err };
}
afterEach(() => vi.restoreAllMocks());

describe("reportError", () => {
  it("reports a runtime coded error a command did not translate like its own: a line and a hint, not a crash", () => {
    const { err } = capture();
    const code = reportError(new RegistryError("REG_BAD_SPEC", "unsupported registry ftp://x", { hint: "Use a directory." }), false);
    expect(code).toBe(EXIT.findings);
    expect(err.join("")).toBe("error REG_BAD_SPEC unsupported registry ftp://x\n  hint Use a directory.\n");
  });

  it("prints the error document under --json, with the location, and keeps a usage error's exit code", () => {
    const { out } = capture();
    expect(reportError(new RegistryError("REG_BAD_DOCUMENT", "bad", { file: "r/index.json", pointer: "/slug" }), true)).toBe(EXIT.findings);
    expect(JSON.parse(out.join(""))).toEqual({ format: ERROR_JSON_FORMAT, ok: false, error: { code: "REG_BAD_DOCUMENT", message: "bad", file: "r/index.json", pointer: "/slug" } });
    expect(reportError(new UsageError("no", "Do."), true)).toBe(EXIT.usage);
  });
});
