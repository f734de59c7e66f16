/**
 * GET /v1/catalog against a real registry: what each tenant can install, page by page, on SQLite
 * and on PostgreSQL (a throwaway cluster).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRetention } from "../manifest/retention-policy.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startTestRuntime, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const variant = (slug: string, version: string, patch: (m: Manifest) => void = () => {}) =>
  notesManifest(version, (m) => {
    m.slug = slug;
    m.name = `Notes ${slug}`;
    patch(m);
  });

let dir: string;
let registry: string;
let publicKeyPem: string;
let cluster: ThrowawayPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-catalog-"));
  const built = buildTestRegistry(dir, [
    notesManifest("1.0.0"),
    notesManifest("1.1.0"),
    notesManifest("2.0.0-beta.1"),
    variant("archive", "1.0.0", (m) => (m.retentionTier = "long")),
    variant("gone", "1.0.0"),
    variant("hidden", "1.0.0", (m) => (m.visibility = "unlisted")),
    variant("secret", "1.0.0", (m) => (m.visibility = "private")),
  ], { yank: ["gone@1.0.0"] });
  [{ registry, publicKeyPem }, cluster] = await Promise.all([built, startThrowawayPostgres()]);
});
afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const freshDatabase = databaseMaker("catalog", () => dir, () => cluster);

describe.each(ENGINES)("on %s", (engine) => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ dir, registry, publicKeyPem, db: await freshDatabase(engine) });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  describe("GET /v1/catalog", () => {
    it("lists the public integrations a tenant can install, as the version it would get describes them", async () => {
      const { api } = await createTenant(rt.app, "reader");
      const res = await api.get("/v1/catalog");
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { slug: string }) => i.slug)).toEqual(["archive", "notes"]);
      expect(res.body.cursor).toBeNull();
      const notes = res.body.items[1];
      expect(notes).toMatchObject({
        slug: "notes",
        name: "Notes",
        latest: "1.1.0",
        install: "notes@^1",
        trustTier: "community",
        visibility: "public",
        deprecated: false,
        authType: "api_key",
        configSchema: { required: ["region"] },
        resources: { api: { kind: "http", description: "The notes API base URL." } },
        retention: { tier: "short", keeps: describeRetention("short") },
      });
      expect(notes.handlers.find((h: { name: string }) => h.name === "lookup")).toEqual({
        name: "lookup", type: "rpc", displayName: "lookup", description: "The lookup handler.",
        inputSchema: { type: "object", properties: { id: { type: "string", minLength: 1 } }, required: ["id"] },
        outputSchema: { type: "object", properties: { id: { type: "string" }, title: { type: "string" } }, required: ["id", "title"] },
      });
      expect(res.body.items[0].retention).toEqual({ tier: "long", keeps: describeRetention("long") });
      // What the catalog offers is what an install takes.
      const installed = await api.post("/v1/installs", { integration: notes.install, config: { region: "eu" }, bindings: { api: { url: "http://127.0.0.1:9" } }, credentials: { apiKey: "sk-catalog-zq-1" } });
      expect(installed.body.version).toBe(notes.latest);
    });

    it("adds a tenant's own private and unlisted integrations for that tenant only", async () => {
      const owner = await createTenant(rt.app, "owner");
      const other = await createTenant(rt.app, "other");
      for (const slug of ["secret", "hidden"]) {
        expect((await owner.api.post("/v1/installs", { integration: `${slug}@^1`, config: { region: "us" }, bindings: { api: { url: "http://127.0.0.1:9" } }, credentials: { apiKey: "sk-catalog-zq-2" } })).status).toBe(201);
      }
      expect((await owner.api.get("/v1/catalog")).body.items.map((i: { slug: string }) => i.slug)).toEqual(["archive", "hidden", "notes", "secret"]);
      expect((await other.api.get("/v1/catalog")).body.items.map((i: { slug: string }) => i.slug)).toEqual(["archive", "notes"]);
    });

    it("pages by slug with an opaque cursor that only this tenant's catalog accepts", async () => {
      const a = await createTenant(rt.app, "pager");
      const b = await createTenant(rt.app, "pager-b");
      const first = await a.api.get("/v1/catalog?limit=1");
      expect(first.body.items.map((i: { slug: string }) => i.slug)).toEqual(["archive"]);
      const second = await a.api.get(`/v1/catalog?limit=1&cursor=${first.body.cursor}`);
      expect([second.body.items.map((i: { slug: string }) => i.slug), second.body.cursor]).toEqual([["notes"], null]);
      for (const [who, url, code] of [
        [b, `/v1/catalog?cursor=${first.body.cursor}`, "INVALID_CURSOR"],
        [a, "/v1/catalog?cursor=not-a-cursor", "INVALID_CURSOR"],
        [a, "/v1/catalog?limit=0", "INVALID_REQUEST"],
        [a, "/v1/catalog?limit=201", "INVALID_REQUEST"],
        [a, "/v1/catalog?sort=name", "INVALID_REQUEST"],
      ] as const) {
        const res = await who.api.get(url);
        expect([url, res.status, res.body.error.code]).toEqual([url, 400, code]);
      }
      expect((await rt.app.inject({ method: "GET", url: "/v1/catalog" })).statusCode).toBe(401);
    });
  });
});
