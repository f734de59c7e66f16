/**
 * The service's frame: health, readiness, metrics, the OpenAPI document, auth and the error body,
 * on SQLite and on PostgreSQL (a throwaway cluster, a database per runtime).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeSpecs } from "./runtime-app.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { ADMIN, client, createTenant, startTestRuntime, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES, storeRows, storeText } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

let dir: string;
let registry: string;
let publicKeyPem: string;
let server: ThrowawayPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-service-api-"));
  [{ registry, publicKeyPem }, server] = await Promise.all([buildTestRegistry(dir, [notesManifest()]), startThrowawayPostgres()]);
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});
const freshDatabase = databaseMaker("service_api", () => dir, () => server);

describe.each(ENGINES)("on %s", (engine) => {
  let db: string;
  let rt: TestRuntime;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    rt = await startTestRuntime({ dir, registry, publicKeyPem, db, limits: { bodyBytes: 4096 } });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  describe("health, readiness, metrics", () => {
    it("answers liveness and readiness without a token", async () => {
      expect((await rt.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
      const ready = await rt.app.inject({ url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ok", checks: { storage: "ok" } });
    });

    it("is not ready while a probe fails, and says which", async () => {
      const own = await mkdtemp(path.join(dir, "probe-"));
      const down = await startTestRuntime({ dir: own, registry, publicKeyPem, db: await freshDatabase(engine, own), probes: { registry: () => Promise.reject(new Error("connection refused")) } });
      const res = await down.app.inject({ url: "/readyz" });
      expect([res.statusCode, res.json()]).toEqual([503, { status: "unavailable", checks: { storage: "ok", registry: "unavailable: connection refused" } }]);
      await down.app.close();
    });

    it("exposes Prometheus metrics: requests, run durations, queue depth, timer lateness", async () => {
      await rt.app.inject({ url: "/healthz" });
      const res = await rt.app.inject({ url: "/metrics" });
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.body).toMatch(/ihub_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      for (const name of ["ihub_run_duration_seconds", "ihub_queue_depth 0", "ihub_timer_lateness_seconds", "ihub_timer_slots_skipped_total"]) expect(res.body).toContain(name);
    });
  });

  describe("OpenAPI document", () => {
    it("is a valid OpenAPI 3.1 document with every route the server has", async () => {
      const doc = (await rt.app.inject({ url: "/openapi.json" })).json();
      expect(doc.openapi).toBe("3.1.0");
      await SwaggerParser.validate(structuredClone(doc));
      for (const spec of routeSpecs) expect(doc.paths[spec.url.replace(/:(\w+)/g, "{$1}")][spec.method.toLowerCase()], `${spec.method} ${spec.url}`).toBeDefined();
      expect(doc.paths["/v1/installs"].post.requestBody.content["application/json"].schema.required).toEqual(["integration"]);
      expect(doc.paths["/v1/installs/{id}/upgrade"].post.requestBody.required).toBe(false);
      expect(doc.paths["/v1/installs"].post.requestBody.required).toBe(true);
      const upgrade = doc.paths["/v1/installs/{id}/upgrade"].post.requestBody.content["application/json"].schema;
      expect(Object.keys(upgrade.properties).sort()).toEqual(["acceptPermissions", "bindings", "config", "credentials", "version"]);
      expect(doc.paths["/v1/catalog"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "cursor"]);
      expect(doc.components.schemas.Error.properties.error.properties.problems.type).toBe("array");
    });

    it("describes the bodies the server actually validates", async () => {
      const admin = client(rt.app, ADMIN);
      const res = await admin.post("/v1/tenants", { name: "x", extra: true });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: "INVALID_REQUEST", message: expect.stringContaining("extra"), hint: expect.any(String), pointer: "/extra" } });
      const doc = (await rt.app.inject({ url: "/openapi.json" })).json();
      expect(doc.paths["/v1/tenants"].post.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    });
  });

  describe("authentication", () => {
    it("refuses a missing or unknown token with 401 and the error body", async () => {
      const none = await rt.app.inject({ url: "/v1/installs" });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "missing bearer token", hint: expect.any(String) } });
      expect((await client(rt.app, "ihub_t_not-a-real-token").get("/v1/installs")).status).toBe(401);
    });

    it("lets only the admin create tenants and only tenants act on installs", async () => {
      const tenant = await createTenant(rt.app, "acme");
      expect(tenant.token).toMatch(/^ihub_t_/);
      expect((await tenant.api.post("/v1/tenants", { name: "sneaky" })).body.error.code).toBe("ADMIN_TOKEN_REQUIRED");
      expect((await client(rt.app, ADMIN).get("/v1/installs")).body.error.code).toBe("TENANT_TOKEN_REQUIRED");
      expect((await tenant.api.get("/v1/installs")).body).toEqual({ items: [], cursor: null });
    });

    it("stores tenant tokens hashed, never in plain text", async () => {
      const tenant = await createTenant(rt.app, "hashed");
      const [row] = await storeRows(db, "SELECT token_hash FROM tenants WHERE name = $1", ["hashed"]);
      const text = await storeText(db);
      expect(text).toContain(String(row!.token_hash));
      expect(text).not.toContain(tenant.token);
    });
  });

  describe("errors", () => {
    it("answers unknown routes and oversized bodies with the error body", async () => {
      const tenant = await createTenant(rt.app, "errors");
      expect((await tenant.api.get("/v1/nothing")).body.error.code).toBe("NOT_FOUND");
      const big = await tenant.api.post("/v1/events", { topic: "a.b", payload: "x".repeat(5000) });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe("BODY_TOO_LARGE");
    });
  });
});
