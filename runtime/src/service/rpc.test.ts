/**
 * rpc over HTTP: the real sandbox, a loopback stand-in for the external API, runs recorded with
 * redacted logs; on SQLite and on PostgreSQL (a throwaway cluster).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startFakeApi, startTestRuntime, until, type FakeApi, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const SECRET = "sk-rpc-zq93-4d1f7a";

let dir: string;
let registry: string;
let publicKeyPem: string;
let fake: FakeApi;
let server: ThrowawayPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-rpc-"));
  [{ registry, publicKeyPem }, fake, server] = await Promise.all([buildTestRegistry(dir, [notesManifest()]), startFakeApi(), startThrowawayPostgres()]);
});
afterAll(async () => {
  await fake.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});
const freshDatabase = databaseMaker("rpc", () => dir, () => server);

const installBody = () => ({ integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: fake.url } }, credentials: { apiKey: SECRET } });

async function installed(runtime: TestRuntime, name: string) {
  const tenant = await createTenant(runtime.app, name);
  const { body } = await tenant.api.post("/v1/installs", installBody());
  return { ...tenant, id: body.id as string };
}

describe.each(["sqlite", "postgres"] as const)("on %s", (engine) => {
  let rt: TestRuntime;
  let logText = "";
  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on("data", (chunk: Buffer) => (logText += chunk.toString()));
    rt = await startTestRuntime({ dir, registry, publicKeyPem, logStream, db: await freshDatabase(engine, dir) });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  describe("POST /v1/installs/:id/rpc/:handler", () => {
    it("runs the handler with the credential injected by the host and records the run", async () => {
      const { api, id } = await installed(rt, "lookup");
      const res = await api.post(`/v1/installs/${id}/rpc/lookup`, { input: { id: "n1" } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ output: { id: "n1", title: "Title of n1" }, runId: expect.any(String) });
      expect(fake.requests.at(-1)).toMatchObject({ method: "GET", url: "/notes/n1", headers: { "x-api-key": SECRET } });
      const run = await api.get(`/v1/runs/${res.body.runId}`);
      expect(run.body).toMatchObject({ installId: id, handler: "lookup", trigger: "rpc", version: "1.0.0", status: "ok", attempt: 1, error: null, limitHit: null });
      expect(run.body.logs).toEqual([{ level: "info", message: "looked up", fields: { id: "n1", status: 200 }, at: "2026-01-01T00:00:00.000Z" }]);
      expect(run.raw).not.toContain(SECRET);
      expect(logText).toContain(res.body.runId);
      expect(logText).not.toContain(SECRET);
      // One line per call, the run's; other routes keep Fastify's request lines.
      const lines = logText.trim().split("\n").map((l) => JSON.parse(l) as { msg: string; req?: { url: string }; runId?: string });
      expect(lines.filter((l) => l.req?.url.includes("/rpc/"))).toEqual([]);
      expect(lines.filter((l) => l.runId === res.body.runId).map((l) => l.msg)).toEqual(["run finished"]);
      expect(lines.some((l) => l.req?.url === `/v1/runs/${res.body.runId}`)).toBe(true);
    });

    it("maps typed errors to statuses, each with code, hint and run id", async () => {
      const { api, id } = await installed(rt, "errors");
      const input = await api.post(`/v1/installs/${id}/rpc/lookup`, { input: { id: 7 } });
      expect([input.status, input.body.error.code, input.body.error.pointer]).toEqual([400, "INPUT_INVALID", "/input/id"]);
      const expected = await api.post(`/v1/installs/${id}/rpc/lookup`, { input: { id: "missing" } });
      expect([expected.status, expected.body.error.code, expected.body.error.message]).toEqual([422, "NOTE_MISSING", "no note missing"]);
      expect(expected.body.error.hint).toEqual(expect.any(String));
      const limit = await api.post(`/v1/installs/${id}/rpc/spin`, {});
      expect(limit.status).toBeGreaterThanOrEqual(500);
      expect(limit.body.error.code).toMatch(/^LIMIT_/);
      const run = await api.get(`/v1/runs/${limit.body.runId}`);
      expect(run.body).toMatchObject({ status: "error", limitHit: expect.any(String), error: { kind: "limit" } });
      expect((await api.post(`/v1/installs/${id}/rpc/nope`, {})).body.error.code).toBe("HANDLER_NOT_FOUND");
      expect((await api.post(`/v1/installs/${id}/rpc/tick`, {})).body.error).toMatchObject({ code: "HANDLER_NOT_FOUND", hint: "rpc handlers: lookup, echo, spin, create." });
    });

    it("answers a repeated Idempotency-Key with the stored result and runs once", async () => {
      const { api, id } = await installed(rt, "idempotent");
      const headers = { "idempotency-key": "order-zq-1" };
      const first = await api.post(`/v1/installs/${id}/rpc/echo`, { input: { n: 1 } }, headers);
      const again = await api.post(`/v1/installs/${id}/rpc/echo`, { input: { n: 1 } }, headers);
      expect(again.body).toEqual(first.body);
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect((await api.get(`/v1/installs/${id}/runs`)).body.items).toHaveLength(1);
      const reused = await api.post(`/v1/installs/${id}/rpc/echo`, { input: { n: 2 } }, headers);
      expect([reused.status, reused.body.error.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    });

    it("lists runs newest first, page by page", async () => {
      const { api, id } = await installed(rt, "pages");
      const ids = [];
      for (let n = 0; n < 3; n++) ids.push((await api.post(`/v1/installs/${id}/rpc/echo`, { input: { n } })).body.runId);
      const first = await api.get(`/v1/installs/${id}/runs?limit=2`);
      const second = await api.get(`/v1/installs/${id}/runs?limit=2&cursor=${first.body.cursor}`);
      expect([...first.body.items, ...second.body.items].map((r: { id: string }) => r.id)).toEqual(ids.reverse());
      expect(second.body.cursor).toBeNull();
      expect((await api.get(`/v1/installs/${id}/runs?cursor=bogus`)).body.error.code).toBe("INVALID_CURSOR");
    });
  });

  describe("limits", () => {
    it("rate-limits each install with 429 and Retry-After, other installs unaffected", async () => {
      const own = await mkdtemp(path.join(dir, "rate-"));
      const limited = await startTestRuntime({ dir: own, registry, publicKeyPem, db: await freshDatabase(engine, own), limits: { rpcRate: { requests: 2, windowMs: 60_000 } } });
      limited.clock.advance(15_000);
      const a = await installed(limited, "a");
      const b = await installed(limited, "b");
      const call = (t: typeof a) => t.api.post(`/v1/installs/${t.id}/rpc/echo`, {});
      expect((await call(a)).status).toBe(200);
      expect((await call(a)).status).toBe(200);
      const refused = await call(a);
      expect([refused.status, refused.body.error.code, refused.headers["retry-after"]]).toEqual([429, "RATE_LIMITED", "45"]);
      expect((await call(b)).status).toBe(200);
      limited.clock.advance(45_000);
      expect((await call(a)).status).toBe(200);
      await limited.app.close();
    });

    it("caps runs in flight per tenant; other tenants still run", async () => {
      const own = await mkdtemp(path.join(dir, "concurrency-"));
      const capped = await startTestRuntime({ dir: own, registry, publicKeyPem, db: await freshDatabase(engine, own), limits: { tenantConcurrency: 1 } });
      const a = await installed(capped, "a");
      const b = await installed(capped, "b");
      const release = fake.hold("/notes/slow");
      const seen = fake.requests.length;
      const slow = a.api.post(`/v1/installs/${a.id}/rpc/lookup`, { input: { id: "slow" } });
      await until(() => fake.requests.length > seen);
      const busy = await a.api.post(`/v1/installs/${a.id}/rpc/echo`, {});
      expect([busy.status, busy.body.error.code]).toEqual([429, "TENANT_BUSY"]);
      expect((await b.api.post(`/v1/installs/${b.id}/rpc/echo`, {})).status).toBe(200);
      release();
      expect((await slow).status).toBe(200);
      expect((await a.api.post(`/v1/installs/${a.id}/rpc/echo`, {})).status).toBe(200);
      await capped.app.close();
    });
  });
});
