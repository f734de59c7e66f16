/**
 * `npm test` runs every case of every integration in the repository through the harness, one
 * `it` per case file, so a failing case shows up by name with its mismatches and diffs.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listCaseFiles, loadForTests, runCaseFile } from "./run-integration-tests.js";
import { renderCaseDetails } from "./render-result.js";

const INTEGRATIONS = fileURLToPath(new URL("../../../integrations/", import.meta.url));
const slugs = readdirSync(INTEGRATIONS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith("."))
  .map((e) => e.name)
  .sort();

for (const slug of slugs) {
  const dir = path.join(INTEGRATIONS, slug);
  const files = await listCaseFiles(dir);
  let loading: ReturnType<typeof loadForTests> | undefined;
  describe(slug, () => {
    it("has test cases", () => {
      expect(files.length).toBeGreaterThan(0);
    });
    for (const file of files) {
      it(file, async () => {
        const loaded = await (loading ??= loadForTests(dir));
        const result = loaded.ok ? await runCaseFile(dir, loaded.integration, file) : loaded.result;
        // The rendered mismatches are the failure message: file:line, pointer and diff.
        expect(result.status, renderCaseDetails(result, `integrations/${slug}/${result.file}`).join("\n")).toBe("pass");
      });
    }
  });
}
