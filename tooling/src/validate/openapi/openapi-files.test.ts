/**
 * Documents split over files and the rules beyond the schema, on hostile and odd input: every
 * refusal is a finding with the file, line and pointer of the offending text, never a crash.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { validateOpenApiDocument } from "../checks/openapi-document.js";
import { refTarget } from "./document-set.js";

type Files = Record<string, string>;
/** The integration folder in memory; the reader refuses what is not in it, as validate's does. */
const judge = (files: Files, root = "openapi.yaml") =>
  validateOpenApiDocument(files[root]!, root, async (rel) => (Object.hasOwn(files, rel) ? { ok: true, text: files[rel]! } : { ok: false, message: `${rel} does not exist` }));

const info = { title: "t", version: "1" };
const ok = { "200": { description: "ok" } };
const doc31 = (paths: unknown, extra: Record<string, unknown> = {}) => stringify({ openapi: "3.1.0", info, paths, ...extra });

describe("refTarget", () => {
  it("resolves relative to the referring file and refuses what leaves the folder or the disk", () => {
    expect(refTarget("#/a/b", "spec/x.yaml")).toEqual({ file: "spec/x.yaml", pointer: "/a/b" });
    expect(refTarget("../common/E.json#/x", "spec/x.json")).toEqual({ file: "common/E.json", pointer: "/x" });
    expect(refTarget("Pet.json", "spec/x.json")).toEqual({ file: "spec/Pet.json", pointer: "" });
    expect(refTarget("../../etc/passwd", "spec/x.json")).toBeNull();
    expect(refTarget("/etc/passwd", "x.json")).toBeNull();
    expect(refTarget("https://example.com/s.json#/a", "x.json")).toBeNull();
    expect(refTarget("file:///etc/passwd", "x.json")).toBeNull();
    expect(refTarget("#/%E0%A4%A", "x.json")).toBeNull();
  });
});

describe("documents over several files", () => {
  it("follows path items, parameters and schemas into other files and lists the operations", async () => {
    const outcome = await judge({
      "openapi.yaml": doc31({ "/items/{id}": { $ref: "paths/item.yaml" } }),
      "paths/item.yaml": stringify({ parameters: [{ $ref: "../common.yaml#/components/parameters/id" }], get: { operationId: "getItem", responses: ok } }),
      "common.yaml": stringify({ components: { parameters: { id: { name: "id", in: "path", required: true, schema: { type: "string" } } } } }),
    });
    expect(outcome).toMatchObject({ ok: true, version: "3.1", files: ["openapi.yaml", "paths/item.yaml", "common.yaml"], operations: [{ method: "GET", path: "/items/{id}", operationId: "getItem" }] });
  });

  it.each([
    ["a file that does not exist", { "openapi.yaml": doc31({ "/a": { $ref: "missing.yaml" } }) }, "refers to missing.yaml, which cannot be read: missing.yaml does not exist"],
    ["a file outside the folder", { "openapi.yaml": doc31({ "/a": { $ref: "../../../etc/passwd" } }) }, "outside the integration folder"],
    ["an absolute path", { "openapi.yaml": doc31({ "/a": { $ref: "/etc/passwd" } }) }, "outside the integration folder"],
  ])("refuses %s, naming it", async (_what, files, message) => {
    const outcome = await judge(files);
    expect(outcome).toMatchObject({ ok: false, problems: [{ file: "openapi.yaml", message: expect.stringContaining(message) }] });
  });

  it("never fetches a remote reference", async () => {
    const outcome = await judge({ "openapi.yaml": doc31({ "/a": { $ref: "http://127.0.0.1:9/x.yaml" } }) });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0]!.message).not.toMatch(/\[object Object\]/);
  });

  it("points into the referenced file when it does not parse", async () => {
    const outcome = await judge({ "openapi.yaml": doc31({ "/a": { $ref: "a.yaml" } }), "a.yaml": "get:\n  responses: [1,\n" });
    expect(outcome).toMatchObject({ ok: false, problems: [{ file: "a.yaml", message: expect.stringContaining("does not parse"), position: { line: expect.any(Number) } }] });
  });

  it("refuses a document that reaches more files than the cap", async () => {
    const files: Files = {};
    for (let i = 0; i < 250; i++) files[`p${i}.yaml`] = stringify({ get: { responses: ok } });
    files["openapi.yaml"] = doc31(Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`/p${i}`, { $ref: `p${i}.yaml` }])));
    expect(await judge(files)).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining("more than 200 files") }] });
  });

  it("refuses a chain of references that loops, without hanging", async () => {
    const outcome = await judge({ "openapi.yaml": doc31({ "/a": { $ref: "a.yaml" } }), "a.yaml": stringify({ $ref: "b.yaml" }), "b.yaml": stringify({ $ref: "a.yaml" }) });
    expect(outcome.ok).toBe(false);
  });
});

describe("rules beyond the schema, located", () => {
  it("an operationId used twice, in another file, names both places", async () => {
    const outcome = await judge({
      "openapi.yaml": doc31({ "/a": { get: { operationId: "same", responses: ok } }, "/b": { $ref: "b.yaml" } }),
      "b.yaml": stringify({ post: { operationId: "same", responses: ok } }),
    });
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ file: "b.yaml", pointer: "/post/operationId", position: { line: 2 }, message: 'operationId "same" of POST /b is not unique: openapi.yaml#/paths/~1a/get/operationId has it too' }],
    });
  });

  it("a path parameter the operation does not declare, and one the path does not have", async () => {
    const outcome = await judge({
      "openapi.yaml": doc31({
        "/users/{userId}/posts/{postId}": { get: { parameters: [{ name: "userId", in: "path", required: true, schema: {} }, { name: "post_id", in: "path", required: true, schema: {} }], responses: ok } },
      }),
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => [p.pointer, p.message])).toEqual([
      ["/paths/~1users~1{userId}~1posts~1{postId}/get", 'path parameter "postId" of GET /users/{userId}/posts/{postId} is not declared in its parameters'],
      ["/paths/~1users~1{userId}~1posts~1{postId}/get", 'GET /users/{userId}/posts/{postId} declares path parameter "post_id", which the path does not contain'],
    ]);
    expect(outcome.problems[0]!.position!.line).toBe(7);
  });

  it("a parameter listed twice, a $ref to nothing, a tag declared twice", async () => {
    const outcome = await judge({
      "openapi.yaml": doc31(
        { "/a": { get: { parameters: [{ name: "q", in: "query", schema: {} }, { name: "q", in: "query", schema: {} }], responses: { "200": { $ref: "#/components/responses/Nope" } } } } },
        { tags: [{ name: "x" }, { name: "x" }] },
      ),
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.message)).toEqual([
      '$ref "#/components/responses/Nope" does not resolve to anything in the document',
      'parameter "q" in query is listed twice',
      'tag "x" is declared twice',
    ]);
    expect(outcome.problems.every((p) => p.position !== null && p.pointer !== null)).toBe(true);
  });

  it("3.2: the query method and additionalOperations are operations too; a tag's parent must exist", async () => {
    const text = stringify({
      openapi: "3.2.0",
      info,
      tags: [{ name: "child", parent: "nobody" }],
      paths: { "/s/{id}": { query: { responses: ok }, additionalOperations: { LINK: { operationId: "link", responses: ok } } } },
    });
    const outcome = await judge({ "openapi.yaml": text });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.message)).toEqual([
      'path parameter "id" of QUERY /s/{id} is not declared in its parameters',
      'path parameter "id" of LINK /s/{id} is not declared in its parameters',
      'tag "child" names parent "nobody", which is no tag',
    ]);
  });

  it("3.2.0 is supported, and versions that are not say which are", async () => {
    expect(await judge({ "openapi.yaml": doc31({}).replace("3.1.0", "3.2.0") })).toMatchObject({ ok: true, version: "3.2" });
    expect(await judge({ "openapi.yaml": doc31({}).replace("3.1.0", "3.0.4") })).toMatchObject({ ok: true, version: "3.0" });
    for (const [text, shown] of [["openapi: 3.4.0\n", '"3.4.0"'], ["openapi: 3.1\n", "3.1 (not a string)"], ["swagger: 2.0\n", "swagger is 2"], ["info: {}\n", 'neither an "openapi" nor a "swagger"']] as const) {
      expect(await judge({ "openapi.yaml": text }), text).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining(shown), position: { line: 1 } }] });
    }
  });
});
