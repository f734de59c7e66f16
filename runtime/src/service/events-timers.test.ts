/**
 * Events and timers on a fake clock: the worker is stepped with tick(), so every slot, retry and
 * backoff happens at a chosen instant. Restarts reopen the same database. Every case runs on
 * SQLite and on PostgreSQL (a throwaway cluster, a database per runtime).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../storage/fake-clock.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startFakeApi, startTestRuntime, until, type FakeApi, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES, storeRows } from "../../test-support/service/engines.js";
import { DEAD_LETTERS, QUEUE_SCHEMA } from "../service-store/postgres-job-queue.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const SECRET = "sk-events-zq52-9e3a";
let dir: string;
let registry: string;
let publicKeyPem: string;
let fake: FakeApi;
let server: ThrowawayPostgres;
const open: TestRuntime[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-events-"));
  [{ registry, publicKeyPem }, fake, server] = await Promise.all([buildTestRegistry(dir, [notesManifest()]), startFakeApi(), startThrowawayPostgres()]);
});
afterEach(async () => {
  for (const rt of open.splice(0)) await rt.app.close().catch(() => undefined);
});
afterAll(async () => {
  await fake.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const freshDatabase = databaseMaker("events", () => dir, () => server);

async function install(rt: TestRuntime, api: Awaited<ReturnType<typeof createTenant>>["api"]) {
  const res = await api.post("/v1/installs", { integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: fake.url } }, credentials: { apiKey: SECRET } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const runsOf = async (api: Awaited<ReturnType<typeof createTenant>>["api"], id: string) => (await api.get(`/v1/installs/${id}/runs`)).body.items as { trigger: string; triggerRef: string; status: string; attempt: number; handler: string }[];

describe.each(ENGINES)("on %s", (engine) => {
  async function runtime(over: Partial<Parameters<typeof startTestRuntime>[0]> = {}) {
    const rt = await startTestRuntime({ dir, registry, publicKeyPem, db: await freshDatabase(engine), limits: { eventMaxAttempts: 3, worker: { concurrency: 8, backoffBaseMs: 1000, backoffMaxMs: 60_000, pollMs: 50 } }, ...over });
    open.push(rt);
    return rt;
  }

  describe("events", () => {
    it("delivers a published event once to each subscribed install of the tenant, as a run", async () => {
      const rt = await runtime();
      const a = await createTenant(rt.app, "a");
      const b = await createTenant(rt.app, "b");
      const [a1, a2, b1] = [await install(rt, a.api), await install(rt, a.api), await install(rt, b.api)];
      const res = await a.api.post("/v1/events", { topic: "note.created", payload: { id: "n-1" } });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ eventId: expect.any(String), deliveries: 2 });
      await rt.app.runtime.worker.tick();
      await rt.app.runtime.worker.tick();
      for (const id of [a1, a2]) {
        expect(await runsOf(a.api, id)).toMatchObject([{ trigger: "event", handler: "on_created", triggerRef: res.body.eventId, status: "ok", attempt: 1 }]);
        expect(await rt.app.runtime.store.installData.forInstall(id).containerGet("seen", "created")).toEqual({ n: 1, last: "n-1" });
      }
      expect(await runsOf(b.api, b1)).toEqual([]);
      expect((await b.api.post("/v1/events", { topic: "note.created", payload: { id: "n-2" } })).body.deliveries).toBe(1);
    });

    it("carries ctx.emit from one install to the tenant's subscribers", async () => {
      const rt = await runtime();
      const a = await createTenant(rt.app, "emit");
      const [emitter, listener] = [await install(rt, a.api), await install(rt, a.api)];
      expect((await a.api.post(`/v1/installs/${emitter}/rpc/create`, { input: { id: "n-9" } })).status).toBe(200);
      await rt.app.runtime.worker.tick();
      for (const id of [emitter, listener]) expect(await rt.app.runtime.store.installData.forInstall(id).containerGet("seen", "created")).toEqual({ n: 1, last: "n-9" });
      expect((await runsOf(a.api, listener)).map((r) => r.trigger)).toEqual(["event"]);
    });

    // The embedded queue backs off on the runtime's clock, so the fake clock steps through it.
    if (engine === "sqlite") it("retries a failing delivery with exponential backoff, then keeps it as a dead letter", async () => {
      const rt = await runtime();
      const a = await createTenant(rt.app, "retry");
      const id = await install(rt, a.api);
      await a.api.post("/v1/events", { topic: "note.created", payload: { id: "n-3", fail: true } });
      const worker = rt.app.runtime.worker;
      await worker.tick();
      rt.clock.advance(999);
      await worker.tick();
      expect((await runsOf(a.api, id)).length).toBe(1);
      rt.clock.advance(1);
      await worker.tick();
      rt.clock.advance(1999);
      await worker.tick();
      expect((await runsOf(a.api, id)).length).toBe(2);
      rt.clock.advance(1);
      await worker.tick();
      const runs = await runsOf(a.api, id);
      expect(runs.map((r) => [r.attempt, r.status])).toEqual([[3, "dead_letter"], [2, "error"], [1, "error"]]);
      // The install's 1-minute timer fires in this hour too; only event runs count here.
      rt.clock.advance(3_600_000);
      await worker.tick();
      expect((await runsOf(a.api, id)).filter((r) => r.trigger === "event").length).toBe(3);
      expect((await rt.app.inject({ url: "/metrics" })).body).toContain("ihub_queue_depth 0");
    });

    // pg-boss backs off on the database's clock (1 s, then 2 s, doubled with jitter): real seconds pass.
    if (engine === "postgres") it("retries a failing delivery after pg-boss's backoff, then keeps it as a dead letter in its queue", async () => {
      const db = await freshDatabase(engine);
      const rt = await runtime({ db });
      const a = await createTenant(rt.app, "retry");
      const id = await install(rt, a.api);
      await a.api.post("/v1/events", { topic: "note.created", payload: { id: "n-3", fail: true } });
      const worker = rt.app.runtime.worker;
      await worker.tick();
      await worker.tick();
      const deliveries = async () => {
        await worker.tick();
        return (await runsOf(a.api, id)).filter((r) => r.trigger === "event").map((r) => [r.attempt, r.status]);
      };
      expect(await deliveries()).toEqual([[1, "error"]]);
      await expect.poll(deliveries, { timeout: 15_000, interval: 250 }).toEqual([[2, "error"], [1, "error"]]);
      await expect.poll(deliveries, { timeout: 15_000, interval: 250 }).toEqual([[3, "dead_letter"], [2, "error"], [1, "error"]]);
      const dead = await storeRows(db, `SELECT data->>'installId' AS install FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [DEAD_LETTERS]);
      expect(dead).toEqual([{ install: id }]);
      expect((await rt.app.inject({ url: "/metrics" })).body).toContain("ihub_queue_depth 0");
    });
  });

  describe("dead letters without retries", () => {
    it("buries a delivery whose payload its handler can never accept at once", async () => {
      const rt = await runtime();
      const a = await createTenant(rt.app, "invalid");
      const id = await install(rt, a.api);
      await a.api.post("/v1/events", { topic: "note.created", payload: { id: 42 } });
      await rt.app.runtime.worker.tick();
      const runs = (await a.api.get(`/v1/installs/${id}/runs`)).body.items;
      expect(runs).toMatchObject([{ status: "dead_letter", attempt: 1, error: { code: "INPUT_INVALID" } }]);
      rt.clock.advance(60_000);
      expect(await rt.app.runtime.store.jobs.depth()).toBe(0);
    });
  });

  describe("tenant concurrency cap for jobs", () => {
    it("puts a delivery back unrun while the tenant is at its cap and runs it afterwards", async () => {
      const rt = await runtime({ limits: { tenantConcurrency: 1, eventMaxAttempts: 3, worker: { concurrency: 8, backoffBaseMs: 1000, backoffMaxMs: 60_000, pollMs: 50 } } });
      const a = await createTenant(rt.app, "capped");
      const id = await install(rt, a.api);
      const release = fake.hold("/slow/cap-1");
      const seen = fake.requests.length;
      await a.api.post("/v1/events", { topic: "note.created", payload: { id: "cap-1", slow: true } });
      await a.api.post("/v1/events", { topic: "note.created", payload: { id: "cap-2" } });
      const first = rt.app.runtime.worker.tick();
      await until(() => fake.requests.length > seen);
      release();
      await first;
      expect((await runsOf(a.api, id)).map((r) => r.status)).toEqual(["ok"]);
      await rt.app.runtime.worker.tick();
      expect((await runsOf(a.api, id)).map((r) => [r.status, r.attempt])).toEqual([["ok", 1], ["ok", 1]]);
      expect(await rt.app.runtime.store.jobs.depth()).toBe(0);
    });
  });

  describe("timers", () => {
    const T = (hms: string) => Date.parse(`2026-01-01T${hms}Z`);
    const timerRuns = async (api: Awaited<ReturnType<typeof createTenant>>["api"], id: string) => (await runsOf(api, id)).filter((r) => r.trigger === "timer").map((r) => r.triggerRef);

    it("fires each slot once, never reruns a slot after a restart, and catches up missed slots with one run", async () => {
      const clock = fakeClock("2026-01-01T00:00:00.000Z");
      const db = await freshDatabase(engine);
      let rt = await runtime({ clock, db });
      const { vaultKey } = rt;
      const { token } = await createTenant(rt.app, "timers");
      let api = (await import("../../test-support/service/test-runtime.js")).client(rt.app, token);
      const id = await install(rt, api);
      clock.advance(59_999);
      await rt.app.runtime.worker.tick();
      expect(await timerRuns(api, id)).toEqual([]);
      clock.advance(11);
      await rt.app.runtime.worker.tick();
      expect(await timerRuns(api, id)).toEqual(["2026-01-01T00:01:00.000Z"]);
      expect((await rt.app.inject({ url: "/metrics" })).body).toMatch(/ihub_timer_lateness_seconds_count 1/);

      await rt.app.close();
      rt = await runtime({ clock, db, vaultKey });
      api = (await import("../../test-support/service/test-runtime.js")).client(rt.app, token);
      await rt.app.runtime.worker.tick();
      expect(await timerRuns(api, id)).toEqual(["2026-01-01T00:01:00.000Z"]);

      clock.advance(T("00:06:30") - clock.now());
      await rt.app.runtime.worker.tick();
      await rt.app.runtime.worker.tick();
      expect(await timerRuns(api, id)).toEqual(["2026-01-01T00:06:00.000Z", "2026-01-01T00:01:00.000Z"]);
      expect(await rt.app.runtime.store.installData.forInstall(id).containerGet("seen", "ticks")).toEqual({ n: 2 });
      clock.advance(T("00:07:00") - clock.now());
      await rt.app.runtime.worker.tick();
      expect((await timerRuns(api, id))[0]).toBe("2026-01-01T00:07:00.000Z");
    });

    it("skips a slot while the previous run of the timer is still going", async () => {
      const clock = fakeClock("2026-01-01T00:00:00.000Z");
      const rt = await runtime({ clock });
      const { api } = await createTenant(rt.app, "skip");
      const id = await install(rt, api);
      const release = fake.hold("/tick");
      const seen = fake.requests.length;
      clock.advance(60_000);
      const first = rt.app.runtime.worker.tick();
      await until(() => fake.requests.length > seen);
      clock.advance(60_000);
      await rt.app.runtime.worker.tick();
      release();
      await first;
      expect(await timerRuns(api, id)).toEqual(["2026-01-01T00:01:00.000Z"]);
      expect((await rt.app.inject({ url: "/metrics" })).body).toContain("ihub_timer_slots_skipped_total 1");
      clock.advance(60_000);
      await rt.app.runtime.worker.tick();
      expect(await timerRuns(api, id)).toEqual(["2026-01-01T00:03:00.000Z", "2026-01-01T00:01:00.000Z"]);
    });

    it("stops an install's timers when it is deleted", async () => {
      const clock = fakeClock("2026-01-01T00:00:00.000Z");
      const rt = await runtime({ clock });
      const { api } = await createTenant(rt.app, "delete");
      const id = await install(rt, api);
      expect((await api.delete(`/v1/installs/${id}`)).status).toBe(204);
      clock.advance(600_000);
      await rt.app.runtime.worker.tick();
      expect(await rt.app.runtime.store.jobs.depth()).toBe(0);
      expect(await rt.app.runtime.store.dueTimers(clock.now())).toEqual([]);
    });
  });
});
