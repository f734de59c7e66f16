/**
 * Retention tiers enforced on a fake clock: runs, logs and event payloads go when their tier's
 * period has passed (none keeps no logs or payloads at all), read back through the HTTP API and
 * the store's own tables, on SQLite and on PostgreSQL (a throwaway cluster, a database per runtime).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRetention } from "../manifest/retention-policy.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startFakeApi, startTestRuntime, type FakeApi, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES, storeRows, type Engine } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const DAY = 24 * 60 * 60 * 1000;
const PAYLOAD_MARK = "payload-mark-zq-5512";

let dir: string;
let registry: string;
let publicKeyPem: string;
let api: FakeApi;
let cluster: ThrowawayPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-retention-"));
  const forgetful = notesManifest("1.0.0", (m) => {
    m.slug = "notes-none";
    m.retentionTier = "none";
  });
  [{ registry, publicKeyPem }, api, cluster] = await Promise.all([buildTestRegistry(dir, [notesManifest("1.0.0"), forgetful]), startFakeApi(), startThrowawayPostgres()]);
});
afterAll(async () => {
  await api.close();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const installBody = (slug: string) => ({ integration: `${slug}@^1`, config: { region: "eu" }, bindings: { api: { url: api.url } }, credentials: { apiKey: "sk-retention-zq-0042" } });

/** Where payloads and logs are kept: on PostgreSQL pg-boss's jobs carry none (postgres-job-queue.test.ts), so not `jobs`. */
async function rowsMentioning(db: string, mark: string, engine: Engine): Promise<number> {
  let n = 0;
  const places = [["events", "payload"], ["runs", "logs"], ...(engine === "sqlite" ? [["jobs", "payload"]] : [])];
  for (const [table, column] of places) {
    const [row] = await storeRows(db, `SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table} WHERE ${column} LIKE $1`, [`%${mark}%`]);
    n += row!.n as number;
  }
  return n;
}

const freshDatabase = databaseMaker("retention", () => dir, () => cluster);

describe.each(ENGINES)("on %s", (engine) => {
  describe("retention tiers", () => {
    let db: string;
    let rt: TestRuntime;
    beforeAll(async () => {
      db = await freshDatabase(engine);
      rt = await startTestRuntime({ dir, registry, publicKeyPem, db });
    });
    afterAll(() => rt.app.close());

    it("keeps a short-tier install's runs, logs and payloads 7 days, and a none-tier install's logs and payloads not at all", async () => {
      const { api: tenant } = await createTenant(rt.app, "retention");
      const short = (await tenant.post("/v1/installs", installBody("notes"))).body;
      const none = (await tenant.post("/v1/installs", installBody("notes-none"))).body;
      expect(short.retention).toEqual({ tier: "short", keeps: describeRetention("short") });
      expect(none.retention).toEqual({ tier: "none", keeps: describeRetention("none") });
      expect(describeRetention("short")).toBe("Runs with their logs, event payloads and idempotent answers are kept 7 days.");

      for (const i of [short, none]) expect((await tenant.post(`/v1/installs/${i.id}/rpc/echo`, { input: { mark: PAYLOAD_MARK } })).status).toBe(200);
      expect((await tenant.post("/v1/events", { topic: "note.created", payload: { id: PAYLOAD_MARK } })).status).toBe(202);
      await rt.app.runtime.worker.tick();
      const runs = async (id: string) => (await tenant.get(`/v1/installs/${id}/runs`)).body.items as { handler: string; logs: unknown[] }[];
      expect((await runs(short.id)).map((r) => [r.handler, r.logs.length])).toEqual([["on_created", 0], ["echo", 1]]);
      expect((await runs(none.id)).map((r) => [r.handler, r.logs.length])).toEqual([["on_created", 0], ["echo", 0]]);

      // At once: the none-tier delivery's payload goes; the event itself stays while the short-tier delivery refers to it.
      // Finished jobs are counted only where the store keeps them (the embedded queue); pg-boss archives its own.
      const finishedJobs = (n: number) => (engine === "sqlite" ? n : 0);
      expect(await rt.app.runtime.retention.sweep()).toEqual({ runs: 0, jobs: finishedJobs(1), events: 0, idempotency: 0 });
      // The event row, and on SQLite the short-tier delivery's own copy.
      expect(await rowsMentioning(db, PAYLOAD_MARK, engine)).toBe(engine === "sqlite" ? 2 : 1);

      rt.clock.advance(DAY + 1);
      expect(await rt.app.runtime.retention.sweep()).toEqual({ runs: 2, jobs: 0, events: 0, idempotency: 0 });
      expect(await runs(none.id)).toEqual([]);
      expect(await runs(short.id)).toHaveLength(2);

      rt.clock.advance(6 * DAY);
      expect(await rt.app.runtime.retention.sweep()).toEqual({ runs: 2, jobs: finishedJobs(1), events: 1, idempotency: 0 });
      expect(await runs(short.id)).toEqual([]);
      expect(await rowsMentioning(db, PAYLOAD_MARK, engine)).toBe(0);
      // The install's own data is not the tier's to purge.
      expect((await tenant.get(`/v1/installs/${short.id}`)).status).toBe(200);
      expect(await rt.app.runtime.store.installData.forInstall(short.id).containerGet("seen", "created")).toEqual({ n: 1, last: PAYLOAD_MARK });
      const metrics = (await rt.app.inject({ url: "/metrics" })).body;
      for (const line of ['ihub_retention_purged_total{kind="runs"} 4', `ihub_retention_purged_total{kind="jobs"} ${finishedJobs(2)}`, 'ihub_retention_purged_total{kind="events"} 1']) expect(metrics).toContain(line);
    });
  });

  it("reads the tier of an install recorded before tiers were, from its bundle, before purging anything of it", async () => {
    const db = await freshDatabase(engine);
    const first = await startTestRuntime({ dir, registry, publicKeyPem, db });
    const { api: tenant, token } = await createTenant(first.app, "older");
    const install = (await tenant.post("/v1/installs", installBody("notes-none"))).body;
    await first.app.close();
    await storeRows(db, "UPDATE installs SET retention_tier = NULL");

    const again = await startTestRuntime({ dir, registry, publicKeyPem, db });
    try {
      const view = async () => (await again.app.inject({ method: "GET", url: `/v1/installs/${install.id}`, headers: { authorization: `Bearer ${token}` } })).json();
      expect((await view()).retention).toBeNull();
      await again.app.runtime.retention.sweep();
      expect((await view()).retention).toEqual({ tier: "none", keeps: describeRetention("none") });
    } finally {
      await again.app.close();
    }
  });
});
