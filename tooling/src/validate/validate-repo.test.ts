/** Worker threads give the same findings as the main thread alone. */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { validateRepo } from "./validate-repo.js";

const FIXTURES = fileURLToPath(new URL("../../test-fixtures/validate/", import.meta.url));
let base: string | undefined;
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

describe("validateRepo", () => {
  it("gives the same result with worker threads as on the main thread alone", async () => {
    base = await mkdtemp(path.join(tmpdir(), "ihub-validate-par-"));
    await cp(path.join(FIXTURES, "good"), base, { recursive: true });
    // Twelve copies of a fixture, every third with an error (a CHANGELOG without the version).
    for (let i = 0; i < 12; i++) {
      const dir = path.join(base, "integrations", `copy-${i}`);
      await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), dir, { recursive: true });
      const manifest = path.join(dir, "integration.json");
      await writeFile(manifest, (await readFile(manifest, "utf8")).replace('"slug": "minimal"', `"slug": "copy-${i}"`));
      if (i % 3 === 0) await writeFile(path.join(dir, "CHANGELOG.md"), "# Changelog\n");
    }
    const alone = await validateRepo(base, { workers: 0 });
    // concurrency 0: the main thread checks nothing, so the workers must have done it all.
    const shared = await validateRepo(base, { workers: 2, concurrency: 0 });
    expect(alone.findings.map((f) => `${f.code} ${f.file}`)).toEqual(["copy-0", "copy-3", "copy-6", "copy-9"].map((s) => `IH072 integrations/${s}/CHANGELOG.md`));
    expect(shared).toEqual(alone);
  });
});
