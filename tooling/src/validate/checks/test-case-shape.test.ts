/**
 * `ihub validate` lets the schema generated from the zod test-case definition decide a case's
 * shape (see test-cases.ts): it must accept exactly what zod accepts, and yield the same case
 * (defaults filled in). Checked on every case of the repository and the validate fixtures, and on
 * variants of each: every key dropped, an unknown key added at every level, every value swapped
 * for values of other types and out-of-range numbers (YAML can spell infinities and NaN).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { readCaseText } from "../../harness/read-case.js";
import { testCaseSchema } from "../../harness/test-case-schema.js";
import { validator } from "../ajv/validator.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const FIXTURES = path.join(REPO, "tooling/test-fixtures/validate");
const ROOTS = [REPO, ...readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f))];
const SWAPS: unknown[] = [null, true, "", "x", 0, -1, 1.5, 99, 200, 600, 2 ** 60, Infinity, NaN, [], [1], {}, { x: 1 }];

function cases(): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  for (const root of ROOTS) {
    for (const e of readdirSync(path.join(root, "integrations"), { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !/\.test\.(json|ya?ml)$/.test(e.name)) continue;
      const file = path.join(e.parentPath, e.name);
      const parsed = readCaseText(file, readFileSync(file, "utf8"));
      if (parsed.ok) out.push({ name: path.relative(REPO, file), value: parsed.read.value });
    }
  }
  return out;
}

function variants(value: unknown): unknown[] {
  const out: unknown[] = [];
  const at = (node: unknown, rebuild: (replacement: unknown) => unknown): void => {
    for (const swap of SWAPS) out.push(rebuild(swap));
    if (Array.isArray(node)) node.forEach((item, i) => at(item, (r) => rebuild(node.map((x, j) => (j === i ? r : x)))));
    else if (node && typeof node === "object") {
      out.push(rebuild({ ...node, unknownKey: 1 }));
      for (const key of Object.keys(node)) {
        const { [key]: _, ...rest } = node as Record<string, unknown>;
        out.push(rebuild(rest));
        at((node as Record<string, unknown>)[key], (r) => rebuild({ ...node, [key]: r }));
      }
    }
  };
  at(value, (r) => r);
  return out;
}

describe("the generated test-case schema", () => {
  it("accepts exactly the cases zod accepts, and yields the same case", async () => {
    const validate = await validator("test-case");
    const corpus = cases();
    const disagreements: string[] = [];
    let accepted = 0;
    let checked = 0;
    for (const { name, value } of corpus) {
      for (const variant of [value, ...variants(value)]) {
        const zod = testCaseSchema.safeParse(variant);
        const mine = structuredClone(variant);
        if (validate(mine) !== zod.success) disagreements.push(`${name}: ajv ${!zod.success}, zod ${zod.success} on ${JSON.stringify(variant)}`);
        else if (zod.success && !isDeepStrictEqual(mine, zod.data)) disagreements.push(`${name}: ${JSON.stringify(mine)} is not zod's ${JSON.stringify(zod.data)}`);
        if (zod.success) accepted++;
        checked++;
      }
    }
    expect(disagreements).toEqual([]);
    expect(corpus.length).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(corpus.length);
    expect(accepted).toBeLessThan(checked);
  });
});
