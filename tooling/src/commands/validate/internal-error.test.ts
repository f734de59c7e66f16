/** A check that crashes on one integration: the others are still reported and validate exits 3 (internal error), not 1. */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it, vi } from "vitest";
import type { RunContext } from "../../cli/command.js";
import { EXIT } from "../../errors.js";

vi.mock("../../validate/checks/docs.js", async (original) => {
  const real = await original<typeof import("../../validate/checks/docs.js")>();
  return {
    checkDocs: async (ctx: Parameters<typeof real.checkDocs>[0]) => {
      if (ctx.slug === "boom") throw new RangeError("Maximum call stack size exceeded");
      return real.checkDocs(ctx);
    },
  };
});

const MINIMAL = fileURLToPath(new URL("../../../test-fixtures/validate/minimal/integrations/minimal", import.meta.url));
let base: string;
afterAll(() => rm(base, { recursive: true, force: true }));

it("reports every other integration and an IH099 finding for the one that crashed, and exits 3", async () => {
  base = await mkdtemp(path.join(tmpdir(), "ihub-validate-crash-"));
  for (const slug of ["boom", "fine"]) {
    const dir = path.join(base, "integrations", slug);
    await cp(MINIMAL, dir, { recursive: true });
    const manifest = path.join(dir, "integration.json");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace('"slug": "minimal"', `"slug": "${slug}"`).replace('"icon": "icon.svg"', '"icon": "missing.svg"'));
  }
  const validate = (await import("./index.js")).default;
  let out = "";
  const ctx: RunContext = { verb: "validate", json: true, root: async () => base, out: (t) => void (out += t), err: () => {} };
  const code = await validate.run(ctx, [], {});
  expect(code).toBe(EXIT.internal);
  const doc = JSON.parse(out) as { ok: boolean; findings: { code: string; integration: string }[] };
  expect(doc.ok).toBe(false);
  expect(doc.findings.map((f) => [f.integration, f.code])).toEqual([
    ["boom", "IH099"],
    ["boom", "IH020"],
    ["fine", "IH020"],
  ]);
});
