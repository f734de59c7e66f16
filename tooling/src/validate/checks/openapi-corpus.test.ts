/**
 * Public OpenAPI documents (the specification's own test fixtures and examples, vendors'
 * published descriptions; sources and licences in the corpus README) judged as the reference
 * validator judged them: the verdict recorded for each in corpus.json, and for an invalid one
 * a readable reason at a file, line and pointer.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isInside } from "../read-inside.js";
import { validateOpenApiDocument } from "./openapi-document.js";

const CORPUS = fileURLToPath(new URL("../../../test-fixtures/openapi-corpus/", import.meta.url));
type Entry = { file: string; source: string; verdict: "valid" | "invalid"; reason: string; expect?: string };
const { documents } = JSON.parse(readFileSync(path.join(CORPUS, "corpus.json"), "utf8")) as { documents: Entry[] };

/** Reads corpus files as validate reads an integration's: inside the folder only. */
async function readInCorpus(rel: string) {
  const abs = path.join(CORPUS, rel);
  if (!isInside(CORPUS, abs)) return { ok: false as const, message: "outside the folder" };
  try {
    return { ok: true as const, text: await readFile(abs, "utf8") };
  } catch {
    return { ok: false as const, message: "no such file" };
  }
}

const judge = async (file: string) => validateOpenApiDocument(await readFile(path.join(CORPUS, file), "utf8"), file, readInCorpus);

describe("the OpenAPI corpus", () => {
  it("holds valid and invalid documents of every supported version", () => {
    expect(documents.filter((d) => d.verdict === "valid").length).toBeGreaterThanOrEqual(5);
    expect(documents.filter((d) => d.verdict === "invalid").length).toBeGreaterThanOrEqual(5);
    const versions = documents.map((d) => /^(?:openapi: "?|\s*"openapi": "|swagger: ['"]?|\{\s*"swagger": ")(\d\.\d)/m.exec(readFileSync(path.join(CORPUS, d.file), "utf8"))?.[1]);
    expect(new Set(versions)).toEqual(new Set(["2.0", "3.0", "3.1", "3.2", "3.3", undefined]));
  });

  it.each(documents.filter((d) => d.verdict === "valid"))("accepts $file ($reason)", async ({ file }) => {
    const outcome = await judge(file);
    expect(outcome.ok ? "valid" : outcome.problems.map((p) => `${p.file}:${p.position?.line} ${p.pointer} ${p.message}`)).toBe("valid");
  });

  it.each(documents.filter((d) => d.verdict === "invalid"))("refuses $file ($reason)", async ({ file, expect: reason }) => {
    const outcome = await judge(file);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.message).join("\n")).toContain(reason);
    for (const problem of outcome.problems) {
      expect(problem.file).toBe(file);
      expect(problem.position?.line).toBeGreaterThan(0);
      expect(problem.pointer).not.toBeNull();
      expect(problem.message).not.toMatch(/\[object Object\]/);
    }
  });

  it("reads every file of the multi-file Swagger 2.0 example and lists its operations", async () => {
    const outcome = await judge("oai-examples/v2.0/petstore-separate/spec/swagger.json");
    expect(outcome).toMatchObject({ ok: true, version: "2.0", serverPaths: ["/api"] });
    if (!outcome.ok) return;
    expect(outcome.files.sort()).toEqual(["oai-examples/v2.0/petstore-separate/common/Error.json", ...["NewPet.json", "Pet.json", "parameters.json", "swagger.json"].map((f) => `oai-examples/v2.0/petstore-separate/spec/${f}`)]);
    expect(outcome.operations.map((o) => `${o.method} ${o.path} ${o.operationId}`)).toEqual(["GET /pets findPets", "POST /pets addPet", "GET /pets/{id} find pet by id", "DELETE /pets/{id} deletePet"]);
  });
});
