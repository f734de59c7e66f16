/**
 * The standalone validators the build writes give the same answers and the same errors as the
 * ones compiled at run time from the same definitions, on a corpus of real documents (the
 * repository's integrations and the validate fixtures), and dist/ holds what the sources generate.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { parseStructured } from "../structured-text.js";
import { compileValidator, VALIDATOR_NAMES } from "./definitions.js";
import { standaloneSource } from "./write-standalone.js";
import { standaloneFile, validator } from "./validator.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const BUILT = path.join(REPO, "dist", path.relative(REPO, fileURLToPath(new URL("./standalone/", import.meta.url))));
const ROOTS = [REPO, ...readdirSync(path.join(REPO, "tooling/test-fixtures/validate")).map((f) => path.join(REPO, "tooling/test-fixtures/validate", f))];
const DOCUMENT = /^(integration\.json|openapi\.(json|ya?ml)|.*\.test\.(json|ya?ml))$/;

/** Every manifest, test case and OpenAPI document of the corpus, and every object inside them (embedded schemas among them). */
function corpus(): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  // No integration uses Swagger 2.0: one document stands in for that version.
  const swagger = { swagger: "2.0", info: { title: "t", version: "1" }, paths: { "/pets/{id}": { get: { parameters: [{ name: "id", in: "path", required: true, type: "string" }], responses: { "200": { description: "ok" } } } } } };
  const inner = (name: string, value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    out.push({ name, value });
    for (const [k, v] of Object.entries(value)) inner(`${name}/${k}`, v);
  };
  for (const root of ROOTS) {
    for (const e of readdirSync(path.join(root, "integrations"), { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !DOCUMENT.test(e.name)) continue;
      const file = path.join(e.parentPath, e.name);
      const parsed = parseStructured(readFileSync(file, "utf8"));
      if (parsed.ok) inner(path.relative(REPO, file), parsed.value);
    }
  }
  inner("swagger-2.0", swagger);
  // Nor 3.2: a document with the method 3.2 added, and one the 3.2 schema refuses.
  inner("openapi-3.2", { openapi: "3.2.0", info: { title: "t", version: "1" }, paths: { "/s": { query: { responses: { "200": { description: "ok" } } } } } });
  inner("openapi-3.2-invalid", { openapi: "3.2.0", info: { title: "t" }, paths: { "/s": { query: { responses: {} } } } });
  return out;
}

/** Loads standalone code as the build's CommonJS file would be, resolving ajv's runtime helpers from here. */
function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as ValidateFunction };
  new Function("require", "module", "exports", code)(createRequire(import.meta.url), module, module.exports);
  return module.exports;
}

const documents = corpus();

describe("validator", () => {
  it("compiles each validator once per process and hands out the same one after", async () => {
    const manifest = await validator("manifest");
    expect(await validator("manifest")).toBe(manifest);
    expect(await validator("test-case")).not.toBe(manifest);
  });
});

describe("precompiled validators", () => {
  it("reads a corpus that has valid and invalid documents of every kind", () => {
    expect(documents.length).toBeGreaterThan(1000);
  });

  it.each(VALIDATOR_NAMES)("%s: standalone and run-time compiled give the same results and errors", (name) => {
    const { validate: runtime, facts = {} } = compileValidator(name);
    const standalone = loadStandalone(standaloneSource(name));
    for (const [key, value] of Object.entries(facts)) expect((standalone as unknown as Record<string, unknown>)[key], key).toEqual(value);
    let valid = 0;
    for (const { name: doc, value } of documents) {
      // The test-case validator fills in defaults: each gets its own copy.
      const [a, b] = [structuredClone(value), structuredClone(value)];
      const expected = { valid: runtime(a), errors: runtime.errors ?? null, value: a };
      expect({ valid: standalone(b), errors: standalone.errors ?? null, value: b }, doc).toEqual(expected);
      if (expected.valid) valid++;
    }
    expect(valid).toBeGreaterThan(0);
    expect(valid).toBeLessThan(documents.length);
  });

  it.each(VALIDATOR_NAMES)("%s: dist/ holds the code the sources generate", (name) => {
    expect(readFileSync(standaloneFile(BUILT, name), "utf8")).toBe(standaloneSource(name));
  });
});
