import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readIntegrationIndex } from "./integration-index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-index-"));
  await mkdir(path.join(dir, "weather"));
  await mkdir(path.join(dir, "tides"));
  await mkdir(path.join(dir, "deep"));
  await writeFile(path.join(dir, "deep", "index.json"), `{"format":1,"slug":"deep","versions":${"[".repeat(50_000)}${"]".repeat(50_000)}}`);
  await writeFile(path.join(dir, "weather", "index.json"), "not json");
  await writeFile(path.join(dir, "tides", "index.json"), JSON.stringify({ format: 1, slug: "tides", versions: { "1.0.0": { slug: "tides" } } }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("readIntegrationIndex", () => {
  it("returns a missing index as REG_NOT_FOUND and a broken one as REG_BAD_DOCUMENT, without throwing", async () => {
    expect(await readIntegrationIndex({ dir }, "absent")).toMatchObject({ ok: false, error: { code: "REG_NOT_FOUND" } });
    expect(await readIntegrationIndex({ dir }, "weather")).toMatchObject({ ok: false, error: { code: "REG_BAD_DOCUMENT", location: { file: path.join(dir, "weather", "index.json") } } });
    const tides = await readIntegrationIndex({ dir }, "tides");
    expect(tides).toMatchObject({ ok: false, error: { code: "REG_BAD_DOCUMENT", location: { pointer: expect.any(String) } } });
  });

  it("refuses an index nested past the readers' limit as REG_BAD_DOCUMENT at the pointer where it passes it", async () => {
    const deep = await readIntegrationIndex({ dir }, "deep");
    expect(deep).toMatchObject({ ok: false, error: { code: "REG_BAD_DOCUMENT", location: { pointer: `/versions${"/0".repeat(99)}` } } });
    expect(!deep.ok && deep.error.message).toContain("nesting deeper than 100 levels");
  });
});
