/** `--credentials` and its siblings: a value that cannot be read is described by position only, in every form it can take. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonArg, parseObjectArg } from "./json-arg.js";

const SECRET = "sk_live_Zq81Lovelace9f3";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-json-arg-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function failure(value: string): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await parseObjectArg("--credentials", value, dir);
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error("expected a refusal");
}

describe("parseJsonArg", () => {
  it.each([
    ["inline JSON", `{"apiKey": ${SECRET}}`, null],
    ["inline JSON cut short", `{"apiKey": "${SECRET}`, null],
    ["a JSON file", `@creds.json`, `{\n  "apiKey": ${SECRET}\n}\n`],
    ["a YAML file", `@creds.yaml`, `apiKey: "${SECRET}\nother: [${SECRET}\n`],
  ])("%s that does not parse is refused with its position, never its text", async (_name, value, content) => {
    if (content !== null) await writeFile(path.join(dir, value.slice(1)), content);
    const error = await failure(value);
    expect(error.code).toBe("IH_USAGE");
    expect(error.message).toMatch(/line \d+, column \d+/);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(SECRET.slice(0, 7));
  });

  it("refuses nesting past the readers' limit in JSON, YAML flow and YAML block form", async () => {
    await writeFile(path.join(dir, "flow.yaml"), `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    await writeFile(path.join(dir, "block.yaml"), Array.from({ length: 120 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " 1\n");
    for (const value of [`${"[".repeat(5000)}${"]".repeat(5000)}`, "@flow.yaml", "@block.yaml"]) {
      await expect(parseJsonArg("--input", value, dir)).rejects.toMatchObject({ code: "IH_RUN_NESTING_TOO_DEEP" });
    }
  });
});
