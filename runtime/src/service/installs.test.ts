/**
 * Installs over the HTTP API against a real registry built by the real bundler and publisher, on
 * SQLite and on PostgreSQL (a throwaway cluster, a database per runtime).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { generateKeyPairSync } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../manifest/manifest-schema.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createRegistryServer, listen } from "../../../tooling/src/registry/serve-registry.js";
import { createTenant, startTestRuntime, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES, storeRows, storeText } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const SECRET = "sk-notes-zq71-e5b0c2";
const API = "http://127.0.0.1:9/notes-api";

const addon = notesManifest("1.0.0", (m) => {
  m.slug = "notes-addon";
  m.auth = { type: "none" };
  delete m.resources;
  delete m.configSchema;
  m.permissions = {};
  m.handlers = { echo: m.handlers.echo! };
  m.dependencies = { integrations: { notes: "^1" } };
});
const manifests: Manifest[] = [
  notesManifest("1.0.0"),
  notesManifest("1.1.0"),
  notesManifest("2.0.0", (m) => (m.deprecated = { message: "use notes-next", replacement: "notes-next" })),
  notesManifest("2.1.0"),
  addon,
];

let dir: string;
let registry: string;
let publicKeyPem: string;
let server: ThrowawayPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-installs-"));
  [{ registry, publicKeyPem }, server] = await Promise.all([buildTestRegistry(dir, manifests, { yank: ["notes@2.1.0"] }), startThrowawayPostgres()]);
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});
const freshDatabase = databaseMaker("installs", () => dir, () => server);

const good = (over: Record<string, unknown> = {}) => ({ integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: API } }, credentials: { apiKey: SECRET }, ...over });

describe.each(ENGINES)("on %s", (engine) => {
  let db: string;
  let rt: TestRuntime;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    rt = await startTestRuntime({ dir, registry, publicKeyPem, db });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  describe("POST /v1/installs", () => {
    it("installs the newest version in range with defaults applied and shows which credential fields are set, never their values", async () => {
      const { api } = await createTenant(rt.app, "a");
      const res = await api.post("/v1/installs", good());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ integration: "notes", version: "1.1.0", range: "^1", config: { region: "eu", pageSize: 10 }, bindings: { api: { url: API } }, credentials: { set: ["apiKey"] }, status: "active", warnings: [] });
      expect(res.raw).not.toContain(SECRET);
      const got = await api.get(`/v1/installs/${res.body.id}`);
      expect(got.body).toEqual(res.body);
      expect(got.raw).not.toContain(SECRET);
      expect((await api.get("/v1/installs")).body.items.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
    });

    it("keeps the credential encrypted at rest with its key id", async () => {
      const { api } = await createTenant(rt.app, "at-rest");
      const { body } = await api.post("/v1/installs", good());
      const [row] = (await storeRows(db, "SELECT key_id, ciphertext FROM credentials WHERE install_id = $1", [body.id])) as { key_id: string; ciphertext: Buffer }[];
      expect(row!.key_id).toMatch(/^k_[0-9a-f]{16}$/);
      expect(row!.ciphertext.includes(SECRET)).toBe(false);
      expect(await storeText(db)).not.toContain(SECRET);
    });

    it("names the JSON pointer of each invalid config, binding or credential, without echoing the secret", async () => {
      const { api } = await createTenant(rt.app, "invalid");
      const cases: [Record<string, unknown>, string, string][] = [
        [{ config: {} }, "CONFIG_INVALID", "/config/region"],
        [{ config: { region: "eu", pageSize: 0 } }, "CONFIG_INVALID", "/config/pageSize"],
        [{ bindings: {} }, "BINDING_MISSING", "/bindings/api"],
        [{ bindings: { api: { dsn: "sqlite:/x" } } }, "BINDING_KIND", "/bindings/api"],
        [{ bindings: { api: { url: API }, other: { url: API } } }, "BINDING_UNKNOWN", "/bindings/other"],
        [{ credentials: {} }, "CREDENTIALS_INVALID", "/credentials/apiKey"],
        [{ credentials: { apiKey: "zq-7" } }, "CREDENTIALS_INVALID", "/credentials/apiKey"],
      ];
      for (const [over, code, pointer] of cases) {
        const res = await api.post("/v1/installs", good(over));
        expect([res.status, res.body.error.code, res.body.error.pointer], JSON.stringify(over)).toEqual([422, code, pointer]);
        expect(res.raw).not.toContain("zq-7");
      }
      expect((await api.get("/v1/installs")).body.items).toEqual([]);
    });

    it("refuses yanked versions unless pinned exactly, and warns about deprecated ones", async () => {
      const { api } = await createTenant(rt.app, "versions");
      const deprecated = await api.post("/v1/installs", good({ integration: "notes@^2" }));
      expect(deprecated.body).toMatchObject({ version: "2.0.0", warnings: ["notes is deprecated: use notes-next (replacement: notes-next)"] });
      const yanked = await api.post("/v1/installs", good({ integration: "notes@~2.1" }));
      expect([yanked.status, yanked.body.error.code]).toEqual([409, "REG_YANKED"]);
      const pinned = await api.post("/v1/installs", good({ integration: "notes@2.1.0" }));
      expect(pinned.status).toBe(201);
      expect(pinned.body.warnings).toEqual([expect.stringContaining("notes@2.1.0 is yanked")]);
      expect((await api.post("/v1/installs", good({ integration: "notes@^9" }))).body.error.code).toBe("REG_NO_MATCH");
      expect((await api.post("/v1/installs", good({ integration: "Not A Slug" }))).body.error.code).toBe("REG_BAD_SPEC");
    });

    it("requires the integrations a bundle depends on to be installed in the tenant first", async () => {
      const { api } = await createTenant(rt.app, "deps");
      const missing = await api.post("/v1/installs", { integration: "notes-addon@^1" });
      expect([missing.status, missing.body.error.code]).toEqual([409, "DEPENDENCY_MISSING"]);
      expect(missing.body.error.message).toContain("notes@^1");
      await api.post("/v1/installs", good());
      expect((await api.post("/v1/installs", { integration: "notes-addon@^1" })).status).toBe(201);
    });
  });

  describe("registries over HTTP", () => {
    it("installs from the same registry served over HTTP", async () => {
      const server = createRegistryServer(registry);
      const { url } = await listen(server, 0, "127.0.0.1");
      const own = await mkdtemp(path.join(dir, "http-"));
      const overHttp = await startTestRuntime({ dir: own, registry: url, publicKeyPem, db: await freshDatabase(engine, own) });
      try {
        const { api } = await createTenant(overHttp.app, "http");
        const res = await api.post("/v1/installs", good());
        expect([res.status, res.body.version]).toEqual([201, "1.1.0"]);
      } finally {
        await overHttp.app.close();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe("PATCH and DELETE /v1/installs/:id", () => {
    it("re-validates config, bindings and credentials and keeps the rest", async () => {
      const { api } = await createTenant(rt.app, "patch");
      const { body } = await api.post("/v1/installs", good());
      const bad = await api.patch(`/v1/installs/${body.id}`, { config: { region: "mars" } });
      expect([bad.status, bad.body.error.pointer]).toEqual([422, "/config/region"]);
      expect((await api.patch(`/v1/installs/${body.id}`, { credentials: null })).body.error.code).toBe("CREDENTIALS_INVALID");
      const ok = await api.patch(`/v1/installs/${body.id}`, { config: { region: "us", pageSize: 3 }, credentials: { apiKey: `${SECRET}-2` } });
      expect(ok.body).toMatchObject({ config: { region: "us", pageSize: 3 }, bindings: { api: { url: API } }, credentials: { set: ["apiKey"] } });
      expect(ok.raw).not.toContain(SECRET);
      expect((await api.get(`/v1/installs/${body.id}`)).body.config).toEqual({ region: "us", pageSize: 3 });
    });

    it("deletes the install and stops answering for it", async () => {
      const { api } = await createTenant(rt.app, "delete");
      const { body } = await api.post("/v1/installs", good());
      expect((await api.delete(`/v1/installs/${body.id}`)).status).toBe(204);
      expect((await api.get(`/v1/installs/${body.id}`)).status).toBe(404);
      expect((await api.delete(`/v1/installs/${body.id}`)).status).toBe(404);
    });
  });

  describe("tenant isolation", () => {
    it("answers 404 on every install endpoint for another tenant's install", async () => {
      const a = await createTenant(rt.app, "owner");
      const b = await createTenant(rt.app, "other");
      const { body } = await a.api.post("/v1/installs", good());
      const { body: run } = await a.api.post(`/v1/installs/${body.id}/rpc/echo`, { input: {} });
      const tries = [
        b.api.get(`/v1/installs/${body.id}`),
        b.api.patch(`/v1/installs/${body.id}`, { config: { region: "us" } }),
        b.api.delete(`/v1/installs/${body.id}`),
        b.api.post(`/v1/installs/${body.id}/rpc/echo`, { input: {} }),
        b.api.get(`/v1/installs/${body.id}/runs`),
        b.api.get(`/v1/runs/${run.runId}`),
      ];
      for (const res of await Promise.all(tries)) expect([res.status, res.body.error.code]).toEqual([404, "NOT_FOUND"]);
      expect((await b.api.get("/v1/installs")).body.items).toEqual([]);
      expect((await a.api.get(`/v1/installs/${body.id}`)).body.config).toEqual({ region: "eu", pageSize: 10 });
      expect((await a.api.get(`/v1/runs/${run.runId}`)).status).toBe(200);
    });
  });

  describe("a bundle that fails verification", () => {
    it("leaves no install when the signature is not from a trusted key", async () => {
      const own = await mkdtemp(path.join(dir, "untrusted-"));
      const stranger = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
      const other = await startTestRuntime({ dir: own, registry, publicKeyPem: stranger, db: await freshDatabase(engine, own) });
      const { api } = await createTenant(other.app, "a");
      const res = await api.post("/v1/installs", good());
      expect([res.status, res.body.error.code]).toEqual([502, "REG_UNTRUSTED_KEY"]);
      expect((await api.get("/v1/installs")).body.items).toEqual([]);
      await other.app.close();
    });

    it("leaves no install when the bytes were altered", async () => {
      const own = await mkdtemp(path.join(dir, "tampered-"));
      const copy = path.join(own, "registry");
      await cp(registry, copy, { recursive: true });
      const tgz = path.join(copy, "notes", "1.1.0.tgz");
      const bytes = await readFile(tgz);
      bytes[bytes.length - 10]! ^= 0xff;
      await writeFile(tgz, bytes);
      const otherDb = await freshDatabase(engine, own);
      const other = await startTestRuntime({ dir: own, registry: copy, publicKeyPem, db: otherDb });
      const { api } = await createTenant(other.app, "a");
      const res = await api.post("/v1/installs", good());
      expect([res.status, res.body.error.code]).toEqual([502, "REG_INTEGRITY"]);
      expect((await api.get("/v1/installs")).body.items).toEqual([]);
      expect(await storeRows(otherDb, "SELECT CAST(COUNT(*) AS INTEGER) AS n FROM credentials")).toEqual([{ n: 0 }]);
      await other.app.close();
    });
  });

  describe("request bodies", () => {
    it("refuses a body nested past the readers' limit with a 400 naming where, instead of failing deep inside", async () => {
      const { token } = await createTenant(rt.app, "deep");
      const deep = `{"integration":"notes@^1","config":{"region":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
      const res = await rt.app.inject({ method: "POST", url: "/v1/installs", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, payload: deep });
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: "BODY_TOO_DEEP", pointer: `/config/region${"/0".repeat(98)}` });
    });

    it("answers a body that is not JSON with the position only, never with the credential in it", async () => {
      const { token } = await createTenant(rt.app, "broken");
      const res = await rt.app.inject({ method: "POST", url: "/v1/installs", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, payload: `{"integration":"notes@^1","credentials":{"apiKey":${SECRET}}}` });
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: "INVALID_JSON", message: expect.stringMatching(/line 1, column \d+/) });
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain(SECRET.slice(0, 8));
    });
  });
});
