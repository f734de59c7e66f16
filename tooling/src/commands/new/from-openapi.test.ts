/**
 * `ihub new --from-openapi` through the compiled CLI in temp repositories: on public documents of
 * the OpenAPI corpus (multi-file Swagger 2.0, 3.1, a vendor's 3.0) and on odd and hostile ones,
 * the generated folder passes `ihub validate` and `ihub test` as it is, and every refusal is a
 * typed error that leaves no folder behind.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planOperations, snakeName } from "./openapi-operations-plan.js";
import { luaString } from "./from-openapi.js";

const BIN = fileURLToPath(new URL("../../../bin/ihub.js", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../../test-fixtures/openapi-corpus/", import.meta.url));

type Run = { code: number; stdout: string; stderr: string };
function ihub(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let root: string;
let docs: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-from-openapi-"));
  await mkdir(path.join(root, "integrations"));
  docs = path.join(root, "docs");
  await cp(CORPUS, docs, { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Generates, then validates and tests just that integration; returns the folder's files. */
async function generateAndCheck(slug: string, args: string[]): Promise<string[]> {
  const made = await ihub(["new", slug, ...args, "--publisher", "Corpus Tests", "--root", root, "--json"], docs);
  expect(made.code, made.stdout + made.stderr).toBe(0);
  const validated = await ihub(["validate", slug, "--root", root], root);
  expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  const tested = await ihub(["test", slug, "--root", root], root);
  expect(tested.code, tested.stdout + tested.stderr).toBe(0);
  return (await readdir(path.join(root, "integrations", slug), { recursive: true })).sort();
}

const manifestOf = async (slug: string) => JSON.parse(await readFile(path.join(root, "integrations", slug, "integration.json"), "utf8"));
const integrations = async () => (await readdir(path.join(root, "integrations"))).sort();

describe("ihub new --from-openapi on public documents", () => {
  it("the multi-file Swagger 2.0 example: one handler per operation, the files bundled into openapi.json", async () => {
    const files = await generateAndCheck("petstore-split", ["--from-openapi", "oai-examples/v2.0/petstore-separate/spec/swagger.json"]);
    expect(files).toEqual(expect.arrayContaining(["openapi.json", "handlers/api.lua", "tests/add-pet.test.json", "tests/delete-pet.test.json", "tests/find-pet-by-id.test.json", "tests/find-pets.test.json"]));
    const manifest = await manifestOf("petstore-split");
    expect(Object.keys(manifest.handlers)).toEqual(["find_pets", "add_pet", "find_pet_by_id", "delete_pet"]);
    expect(manifest.handlers.find_pet_by_id.inputSchema).toMatchObject({ properties: { id: { type: "integer" } }, required: ["id"] });
    expect(manifest.handlers.add_pet.inputSchema.required).toEqual(["body"]);
    expect(manifest.resources.api).toMatchObject({ kind: "http", openapi: "openapi.json" });
    expect(manifest.permissions.device.api.methods.sort()).toEqual(["DELETE", "GET", "POST"]);
    const bundled = JSON.parse(await readFile(path.join(root, "integrations", "petstore-split", "openapi.json"), "utf8"));
    expect(JSON.stringify(bundled)).not.toMatch(/"\$ref":"(?!#)/);
    const lua = await readFile(path.join(root, "integrations", "petstore-split", "handlers", "api.lua"), "utf8");
    expect(lua).toContain('path = "/pets/{id}",\n    params = {\n      ["id"] = input["id"],');
  });

  it("the official 3.1 example and a vendor's 3.0 description, with --operations", async () => {
    await generateAndCheck("pets-webhooks", ["--from-openapi", "oai-examples/v3.1/webhook-example.yaml"]);
    expect(Object.keys((await manifestOf("pets-webhooks")).handlers)).toEqual(["list_pets"]);
    await generateAndCheck("xkcd-one", ["--from-openapi", "vendors/xkcd/swagger.yaml", "--operations", "get_comic_id_info_0_json"]);
    const manifest = await manifestOf("xkcd-one");
    expect(Object.keys(manifest.handlers)).toEqual(["get_comic_id_info_0_json"]);
    expect(manifest.handlers.get_comic_id_info_0_json.outputSchema).toMatchObject({ type: "object", properties: { safe_title: { type: "string" } } });
  });
});

const info = { title: "Odd API", version: "1" };
const ok = (schema: unknown, example?: unknown) => ({ "200": { description: "ok", content: { "application/json": { schema, ...(example !== undefined ? { example } : {}) } } } });

describe("ihub new --from-openapi on odd and hostile documents", () => {
  it("derives names, renames collisions, carries path, query, header and body, and escapes what Lua must not see raw", async () => {
    const doc = {
      openapi: "3.0.3",
      info,
      servers: [{ url: "https://api.example.com/v2" }],
      components: {
        parameters: { Trace: { name: "X-Trace-Id", in: "header", schema: { type: "string" }, example: "t-1" } },
        schemas: {
          Item: { type: "object", required: ["id"], properties: { id: { type: "string" }, note: { type: "string", nullable: true }, tree: { $ref: "#/components/schemas/Item" } }, example: { id: "a b/c" } },
        },
      },
      paths: {
        "/items/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, example: "a b/c" }],
          get: {
            summary: 'Reads "one" item\n-- with ]] and \\ in its summary',
            parameters: [{ name: "id", in: "query", schema: { type: "integer" } }, { $ref: "#/components/parameters/Trace" }, { name: "Authorization", in: "header", schema: { type: "string" } }],
            responses: ok({ $ref: "#/components/schemas/Item" }),
          },
          put: { operationId: "listItems", requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } }, responses: ok({ $ref: "#/components/schemas/Item" }) },
          delete: { operationId: "list_items", responses: { "204": { description: "gone" } } },
          patch: { operationId: "../../Évil\"op", responses: ok({ type: "string", pattern: "^[0-9]{3}-[a-z]{2}$" }, "nope") },
        },
      },
    };
    await writeFile(path.join(docs, "odd.yaml"), stringify(doc));
    await generateAndCheck("odd", ["--from-openapi", "odd.yaml", "--name", "Odd"]);
    const manifest = await manifestOf("odd");
    expect(Object.keys(manifest.handlers)).toEqual(["get_items_id", "list_items", "evil_op", "list_items_2"]);
    expect(Object.keys(manifest.handlers.get_items_id.inputSchema.properties)).toEqual(["id", "query_id", "X-Trace-Id"]);
    expect(manifest.handlers.get_items_id.outputSchema.properties.note).toEqual({ type: ["string", "null"] });
    // A pattern no made-up value meets and an example that breaks it: the output is left unchecked.
    expect(manifest.handlers.evil_op.outputSchema).toEqual({});
    expect(manifest.resources.api.description).toContain("https://api.example.com/v2");
    const test = JSON.parse(await readFile(path.join(root, "integrations", "odd", "tests", "get-items-id.test.json"), "utf8"));
    expect(test.fixtures.http[0].request).toEqual({ method: "GET", path: "/items/a%20b%2Fc", headers: { "X-Trace-Id": "t-1" } });
    const lua = await readFile(path.join(root, "integrations", "odd", "handlers", "api.lua"), "utf8");
    expect(lua).not.toContain("Authorization");
    expect(lua).toContain('-- GET /items/{id}: Reads "one" item -- with ]] and \\ in its summary\n');
  });

  it.each([
    ["an invalid document", { openapi: "3.1.0", info: { title: "t" }, paths: {} }, [], "IH_OPENAPI_INVALID", "missing required property"],
    ["a document without operations", { openapi: "3.1.0", info, components: {} }, [], "IH_OPENAPI_NO_OPERATIONS", "no operation"],
    ["an operation that is not there", { openapi: "3.1.0", info, paths: { "/a": { get: { operationId: "getA" } } } }, ["--operations", "getA,getB"], "IH_OPENAPI_UNKNOWN_OPERATION", '"getB"'],
    [
      "a huge document",
      { openapi: "3.1.0", info, paths: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`/r${i}`, { get: { operationId: `getR${i}` } }])) },
      [],
      "IH_OPENAPI_TOO_MANY_OPERATIONS",
      "80 operations",
    ],
    ["a $ref out of the folder", { openapi: "3.1.0", info, paths: { "/a": { $ref: "../../../../etc/passwd" } } }, [], "IH_OPENAPI_INVALID", "outside"],
  ])("refuses %s with a typed error and writes nothing", async (what, doc, extra, code, message) => {
    const file = `${what.replace(/\W+/g, "-")}.json`;
    await writeFile(path.join(docs, file), JSON.stringify(doc));
    const before = await integrations();
    const run = await ihub(["new", "refused", "--from-openapi", file, ...extra, "--root", root, "--json"], docs);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message), hint: expect.any(String) } });
    expect(await integrations()).toEqual(before);
  });

  it("picks the operations a huge document's --operations names, and refuses --operations alone", async () => {
    const doc = { openapi: "3.1.0", info, paths: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`/r${i}`, { get: { operationId: `getR${i}`, responses: ok({ type: "object" }) } }])) };
    await writeFile(path.join(docs, "huge.json"), JSON.stringify(doc));
    await generateAndCheck("huge-two", ["--from-openapi", "huge.json", "--operations", "getR3, getR79"]);
    expect(Object.keys((await manifestOf("huge-two")).handlers)).toEqual(["get_r3", "get_r79"]);
    expect((await ihub(["new", "alone", "--operations", "x", "--root", root], docs)).code).toBe(2);
  });
});

describe("naming and quoting", () => {
  it("snakeName gives a valid handler name for any text", () => {
    expect(snakeName("listPets")).toBe("list_pets");
    expect(snakeName("GET /pets/{petId}/HTTPStatus")).toBe("get_pets_pet_id_http_status");
    expect(snakeName("123start")).toBe("op_123start");
    expect(snakeName("¿?")).toBe("operation");
    expect(snakeName("Évite_çа")).toBe("evite_c");
    expect(snakeName("a".repeat(200))).toHaveLength(64);
  });

  it("luaString escapes quotes, backslashes and control characters", () => {
    expect(luaString('a"b\\c\nd\u0000')).toBe('"a\\"b\\\\c\\010d\\000"');
  });

  it("operations without operationId get method-and-path names, numbered on collision", () => {
    const ops = planOperations({ paths: { "/a-b": { get: {} }, "/a_b": { get: {} }, "/x": { post: { operationId: "getAB" } } } }, "3.1");
    expect(ops.map((o) => o.handler)).toEqual(["get_a_b", "get_a_b_2", "get_ab"]);
  });
});
