/**
 * OpenAPI documents at the size and shape of vendors' real ones: a Stripe-style API of 300
 * resources (list, create, retrieve, update, delete each; expandable fields that are `anyOf`
 * string | $ref; circular references between customers, sources and subscriptions), over 5 MB
 * as JSON 3.0, and as YAML 3.1 with webhooks; plus Swagger 2.0 with a basePath.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { validateRepo } from "../validate-repo.js";
import { validateOpenApiDocument } from "./openapi-document.js";

const RESOURCES = 300;
/** A document on its own: no other file exists. */
const alone = (text: string) => validateOpenApiDocument(text, "openapi.json", async (rel) => ({ ok: false, message: `${rel} does not exist` }));
const FIXTURES = fileURLToPath(new URL("../../../test-fixtures/validate/", import.meta.url));

function stripeLike(version: "3.0" | "3.1", resources = RESOURCES): Record<string, unknown> {
  const nullable = (type: string) => (version === "3.0" ? { type, nullable: true } : { type: [type, "null"] });
  const names = ["customer", "source", "subscription", ...Array.from({ length: resources - 3 }, (_, i) => `resource_${i}`)];
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const expandable = (name: string) => ({ anyOf: [{ type: "string", maxLength: 5000 }, ref(name)], description: `The ${name} this object belongs to; its id unless expanded.` });
  for (const [i, name] of names.entries()) {
    const properties: Record<string, unknown> = {
      id: { type: "string", maxLength: 5000, description: "Unique identifier for the object." },
      object: { type: "string", enum: [name], description: "String representing the object's type." },
      created: { type: "integer", format: "unix-time", description: "Time at which the object was created. Measured in seconds since the Unix epoch." },
      livemode: { type: "boolean", description: "Has the value `true` if the object exists in live mode or the value `false` if the object exists in test mode." },
      metadata: { type: "object", additionalProperties: { type: "string", maxLength: 500 }, description: "Set of key-value pairs that you can attach to an object." },
      description: { ...nullable("string"), maxLength: 5000, description: "An arbitrary string attached to the object. Often useful for displaying to users." },
    };
    for (let f = 0; f < 25; f++) properties[`field_${f}`] = { ...nullable(f % 2 ? "integer" : "string"), description: `Field ${f} of ${name}. `.repeat(15) };
    // Circular: customer -> source -> customer, subscription -> customer, and each resource to the previous one.
    if (name === "customer") properties.default_source = expandable("source");
    if (name === "source") properties.customer = expandable("customer");
    properties.parent = expandable(names[Math.max(0, i - 1)]!);
    schemas[name] = { type: "object", title: name, required: ["id", "object"], properties, "x-expandableFields": ["parent"] };
    const plural = `/v1/${name}s`;
    const listParams = [
      { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
      { name: "starting_after", in: "query", schema: { type: "string" } },
    ];
    const body = { content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties: { description: { type: "string" }, metadata: { type: "object" } } } } } };
    const one = { description: "Successful response.", content: { "application/json": { schema: ref(name) } } };
    const error = { $ref: "#/components/responses/error" };
    paths[plural] = {
      get: { operationId: `Get${name}s`, parameters: listParams, responses: { "200": { description: "Successful response.", content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: ref(name) }, has_more: { type: "boolean" } } } } } }, default: error } },
      post: { operationId: `Post${name}s`, requestBody: body, responses: { "200": one, default: error } },
    };
    paths[`${plural}/{id}`] = {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", maxLength: 5000 } }],
      get: { operationId: `Get${name}sId`, responses: { "200": one, default: error } },
      post: { operationId: `Post${name}sId`, requestBody: body, responses: { "200": one, default: error } },
      delete: { operationId: `Delete${name}sId`, responses: { "200": one, default: error } },
    };
  }
  schemas.error = { type: "object", properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, type: { type: "string" } } } } };
  const doc: Record<string, unknown> = {
    openapi: version === "3.0" ? "3.0.0" : "3.1.0",
    info: { title: "Stripe-style API", version: "2024-06-20", description: "Modelled on Stripe's published spec3 document." },
    servers: [{ url: "https://api.stripe.com/" }],
    security: [{ basicAuth: [] }, { bearerAuth: [] }],
    paths,
    components: {
      schemas,
      responses: { error: { description: "Error response.", content: { "application/json": { schema: ref("error") } } } },
      securitySchemes: { basicAuth: { type: "http", scheme: "basic" }, bearerAuth: { type: "http", scheme: "bearer" } },
    },
  };
  if (version === "3.1") doc.webhooks = { "customer.created": { post: { requestBody: { content: { "application/json": { schema: ref("customer") } } }, responses: { "200": { description: "Received." } } } } };
  return doc;
}

describe("validateOpenApiDocument on vendor-sized documents", () => {
  it("accepts a 3.0 JSON document over 5 MB with circular $refs and lists its operations", async () => {
    const text = JSON.stringify(stripeLike("3.0"), null, 2);
    expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
    const outcome = await alone(text);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(new Set(outcome.operations.map((o) => o.path)).size).toBe(2 * RESOURCES);
    expect(outcome.operations.filter((o) => o.path === "/v1/customers/{id}").map((o) => o.method).sort()).toEqual(["DELETE", "GET", "POST"]);
    expect(outcome.serverPaths).toEqual([]);
  });

  // The YAML parser is the slow part (it keeps every node's position); a sixth of the API keeps the test short.
  it("accepts the same API as 3.1 YAML with webhooks and type arrays", async () => {
    const outcome = await alone(stringify(stripeLike("3.1", RESOURCES / 6)));
    expect(outcome.ok && new Set(outcome.operations.map((o) => o.path)).size).toBe((2 * RESOURCES) / 6);
  });

  it("points at the broken operation, with its line, in JSON and in YAML", async () => {
    const doc = stripeLike("3.1", 20) as { paths: Record<string, Record<string, unknown>> };
    delete (doc.paths["/v1/resource_7s"]!.get as Record<string, unknown>).responses;
    (doc.paths["/v1/resource_7s"]!.get as Record<string, unknown>).respones = {};
    const json = JSON.stringify(doc, null, 2);
    const yaml = stringify(doc);
    for (const text of [json, yaml]) {
      const outcome = await alone(text);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;
      expect(outcome.problems[0]).toMatchObject({ pointer: "/paths/~1v1~1resource_7s/get", message: expect.stringContaining("respones") });
      // The first line of the operation object: `"get": {` in JSON, its first key in YAML (block style).
      const at = outcome.problems[0]!.position!.line;
      expect(at === lineOf('"/v1/resource_7s"') + 1 || at === lineOf("/v1/resource_7s:") + 1 || at === lineOf("/v1/resource_7s:") + 2).toBe(true);
    }
  });

  it("takes a Swagger 2.0 document's basePath as a server path", async () => {
    const outcome = await alone(JSON.stringify({ swagger: "2.0", info: { title: "t", version: "1" }, basePath: "/v1", paths: { "/ping": { get: { responses: { "200": { description: "ok" } } } } } }));
    expect(outcome.ok && outcome.serverPaths).toEqual(["/v1"]);
  });

  it("refuses what is not OpenAPI at all, with a line", async () => {
    expect(await alone("openapi: 4.0.0\n")).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('openapi is "4.0.0": ihub validates Swagger 2.0 or OpenAPI 3.0.x, 3.1.x or 3.2.x'), position: { line: 1 } }] });
    expect(await alone("a: [1,\n")).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining("does not parse"), position: { line: 2 } }] });
    expect(await alone("- 1\n- 2\n")).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining("is not an OpenAPI object") }] });
  });
});

describe("an integration with a vendor-sized document", () => {
  let base: string | undefined;
  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it("validates, matches calls against it (server path included or not), and flags a call it lacks", async () => {
    base = await mkdtemp(path.join(tmpdir(), "ihub-openapi-"));
    const dir = path.join(base, "integrations", "stripe-like");
    await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), dir, { recursive: true });
    const manifestFile = path.join(dir, "integration.json");
    const manifest = JSON.parse((await readFile(manifestFile, "utf8")).replace('"slug": "minimal"', '"slug": "stripe-like"'));
    manifest.resources = { stripe: { kind: "http", description: "Stripe-style API.", openapi: "openapi.json" } };
    manifest.permissions = { device: { stripe: {} } };
    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
    const doc = stripeLike("3.0") as { servers: { url: string }[] };
    doc.servers = [{ url: "https://api.stripe.com/v1" }, { url: "https://api.stripe.com" }];
    await writeFile(path.join(dir, "openapi.json"), JSON.stringify(doc, null, 2));
    await writeFile(
      path.join(dir, "handlers", "calls.lua"),
      [
        "return { f = function(ctx, input)",
        '  local customer = "cus_1"',
        '  ctx.device.http("stripe", { method = "GET", path = "/v1/customers/" .. customer })',
        '  ctx.device.http("stripe", { method = "DELETE", path = "/v1/v1/subscriptions/sub_1" })',
        '  ctx.device.http("stripe", { method = "POST", path = "/v1/refunds" })',
        "end }",
      ].join("\n"),
    );
    const result = await validateRepo(base, { workers: 0 });
    expect(result.findings.map((f) => ({ code: f.code, file: f.file, line: f.line }))).toEqual([{ code: "IH061", file: "integrations/stripe-like/handlers/calls.lua", line: 5 }]);
  });

  it("follows relative $refs inside the folder and reports a finding in another file at its own line; refuses a symlink out", async () => {
    base ??= await mkdtemp(path.join(tmpdir(), "ihub-openapi-"));
    const dir = path.join(base, "integrations", "split-doc");
    await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), dir, { recursive: true });
    const manifestFile = path.join(dir, "integration.json");
    const manifest = JSON.parse((await readFile(manifestFile, "utf8")).replace('"slug": "minimal"', '"slug": "split-doc"'));
    manifest.resources = { api: { kind: "http", description: "Split document.", openapi: "openapi.yaml" } };
    manifest.permissions = { device: { api: {} } };
    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
    await writeFile(path.join(dir, "openapi.yaml"), stringify({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths: { "/a": { $ref: "paths/a.yaml" }, "/b/{id}": { $ref: "paths/b.yaml" } } }));
    const { mkdir, symlink } = await import("node:fs/promises");
    await mkdir(path.join(dir, "paths"));
    await writeFile(path.join(dir, "paths", "a.yaml"), stringify({ get: { operationId: "one", responses: { "200": { description: "ok" } } } }));
    await writeFile(path.join(dir, "paths", "b.yaml"), stringify({ get: { operationId: "one", responses: { "200": { description: "ok" } } } }));
    const first = await validateRepo(base, { only: ["split-doc"], workers: 0 });
    expect(first.findings.map((f) => ({ code: f.code, file: f.file, line: f.line, pointer: f.pointer }))).toEqual([
      // b.yaml's path /b/{id} declares no id, and its operationId repeats a.yaml's.
      { code: "IH060", file: "integrations/split-doc/paths/b.yaml", line: 1, pointer: "/get" },
      { code: "IH060", file: "integrations/split-doc/paths/b.yaml", line: 2, pointer: "/get/operationId" },
    ]);
    expect(first.findings[1]!.message).toContain('paths/b.yaml (referenced from openapi.yaml) (resources.api.openapi) operationId "one" of GET /b/{id} is not unique');

    const outside = path.join(base, "secret.yaml");
    await writeFile(outside, stringify({ get: { operationId: "two", responses: { "200": { description: "ok" } } } }));
    await rm(path.join(dir, "paths", "b.yaml"));
    await symlink(outside, path.join(dir, "paths", "b.yaml"));
    const second = await validateRepo(base, { only: ["split-doc"], workers: 0 });
    expect(second.findings.map((f) => f.code)).toEqual(["IH060"]);
    expect(second.findings[0]!.message).toContain("refers to paths/b.yaml, which cannot be read");
  });
});
