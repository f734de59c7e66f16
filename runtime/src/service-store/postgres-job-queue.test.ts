/**
 * The fleet's queue on pg-boss, through the PostgreSQL store, on a throwaway cluster: what differs
 * from the store's own queue (retries on the database's clock with pg-boss's backoff, dead letters
 * in their own queue, slots and deliveries stored once by their key) and what must not (release
 * spends no attempt, a stopped process's claims come back, a live peer's do not).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";
import { DEAD_LETTERS, QUEUE_SCHEMA, QUEUES } from "./postgres-job-queue.js";
import { postgresServiceStore } from "./postgres-service-store.js";
import type { ServiceStore } from "./service-store.js";
import { install, onTopic, T0, timer } from "./service-store-contract.js";

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(() => server?.stop());
let made = 0;

async function rows(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function setup(): Promise<{ url: string; store: ServiceStore }> {
  const url = await server.createDatabase(`queue_${++made}`);
  const store = await postgresServiceStore(url);
  await store.createTenant({ id: "tenant-a", name: "A", createdAt: T0, bindings: {} }, "hash-a");
  return { url, store };
}
const ping = (id: string) => ({ id, tenantId: "tenant-a", topic: "ping", payload: { n: id }, createdAt: T0, source: null });
const claimSoon = (store: ServiceStore) => expect.poll(() => store.jobs.claim(T0, 10), { timeout: 10_000, interval: 200 });

describe("the PostgreSQL job queue (pg-boss)", () => {
  it("retries a delivery after pg-boss's backoff, counting the attempt, and buries the last one in the dead-letter queue", async () => {
    const { url, store } = await setup();
    const a = install("tenant-a");
    await store.createInstall(a, null, [onTopic("on_ping", "ping")]);
    await store.publishEvent(ping("ev-1"), 2);
    const [first] = await store.jobs.claim(T0, 10);
    expect(first).toMatchObject({ kind: "event", ref: "ev-1", payload: { n: "ev-1" }, attempts: 1, maxAttempts: 2 });
    await store.jobs.retry(first!.id, T0);
    // The backoff is pg-boss's (at least 1 s), whatever time the caller names.
    expect(await store.jobs.claim(T0, 10)).toEqual([]);
    await claimSoon(store).toMatchObject([{ ref: "ev-1", attempts: 2 }]);
    const [second] = await rows(url, `SELECT id FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state = 'active'`, [QUEUES.event]);
    await store.jobs.bury(`${QUEUES.event}:${second!.id}`);
    expect(await store.jobs.depth()).toBe(0);
    expect(await rows(url, `SELECT data->>'ref' AS ref, data->>'installId' AS install FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [DEAD_LETTERS])).toEqual([{ ref: "ev-1", install: a.id }]);
    // Nothing of the payload is in the queue: the event row holds it, for the retention sweep to purge.
    expect(JSON.stringify(await rows(url, `SELECT data FROM ${QUEUE_SCHEMA}.job`))).not.toContain('"n"');
    await store.close();
  });

  it("puts back a job its tenant had no room for without spending an attempt", async () => {
    const { store } = await setup();
    await store.createInstall(install("tenant-a"), null, [onTopic("on_ping", "ping")]);
    await store.publishEvent(ping("ev-1"), 3);
    expect(await store.jobs.claim(T0, 10, { perTenant: 1, inFlight: { "tenant-a": 1 } })).toEqual([]);
    const [job] = await store.jobs.claim(T0, 10);
    expect(job).toMatchObject({ ref: "ev-1", attempts: 1 });
    await store.jobs.release(job!.id);
    expect(await store.jobs.claim(T0, 10)).toMatchObject([{ ref: "ev-1", attempts: 1 }]);
    await store.close();
  });

  it("stores a timer slot and an event delivery once however often they are enqueued", async () => {
    const { url, store } = await setup();
    const a = install("tenant-a");
    await store.createInstall(a, null, [timer("tick", T0), onTopic("on_ping", "ping")]);
    const move = { installId: a.id, handler: "tick", expectedNextAt: T0, nextAt: T0 + 60_000, fire: { slot: T0, maxAttempts: 1 } };
    expect(await store.advanceTimers([move])).toEqual([true]);
    // Another process that read the same due timer and got in after the move: the slot is not its to fire.
    expect(await store.advanceTimers([move])).toEqual([false]);
    await store.publishEvent(ping("ev-1"), 3);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Even replayed behind the store's back, the job ids derived from their keys refuse a second copy.
      await admin.query("UPDATE triggers SET next_at = $1 WHERE handler = 'tick'", [T0]);
      expect(await store.advanceTimers([move])).toEqual([true]);
      const counts = await admin.query(`SELECT name, COUNT(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1::text[]) GROUP BY name ORDER BY name`, [[QUEUES.event, QUEUES.timer]]);
      expect(counts.rows).toEqual([{ name: QUEUES.event, n: 1 }, { name: QUEUES.timer, n: 1 }]);
    } finally {
      await admin.end();
    }
    expect((await store.jobs.claim(T0, 10)).map((j) => j.kind)).toEqual(["timer", "event"]);
    await store.close();
  });

  it("moves the jobs an earlier runtime left waiting in the store's own table into pg-boss, with the attempts they spent", async () => {
    const { url, store } = await setup();
    const a = install("tenant-a");
    await store.createInstall(a, null, [onTopic("on_ping", "ping")]);
    await store.publishEvent(ping("ev-1"), 3);
    await store.jobs.claim(T0, 10).then((jobs) => Promise.all(jobs.map((j) => store.jobs.complete(j.id))));
    await store.close();
    // The schema as version 4 left it: the queue in a `jobs` table, one delivery waiting after a failed attempt, one finished.
    await rows(url, `DROP TABLE queue_claims; DELETE FROM schema_migrations WHERE version = 5;
      CREATE TABLE jobs (seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
        tenant_id TEXT NOT NULL, install_id TEXT NOT NULL, handler TEXT NOT NULL, payload TEXT NOT NULL, ref TEXT NOT NULL, attempts INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL, run_at BIGINT NOT NULL, status TEXT NOT NULL, owner INTEGER)`);
    await rows(url, `INSERT INTO jobs (id, key, kind, tenant_id, install_id, handler, payload, ref, attempts, max_attempts, run_at, status) VALUES
      ('j1', 'event:ev-1:${a.id}:on_ping', 'event', 'tenant-a', '${a.id}', 'on_ping', '{"n":"ev-1"}', 'ev-1', 1, 3, ${T0}, 'pending'),
      ('j2', 'event:ev-0:${a.id}:on_ping', 'event', 'tenant-a', '${a.id}', 'on_ping', 'null', 'ev-0', 1, 3, ${T0}, 'done')`);
    const reopened = await postgresServiceStore(url);
    expect(await reopened.jobs.claim(T0, 10)).toMatchObject([{ kind: "event", ref: "ev-1", installId: a.id, payload: { n: "ev-1" }, attempts: 2, maxAttempts: 3 }]);
    expect(await rows(url, "SELECT to_regclass('jobs') AS t")).toEqual([{ t: null }]);
    await reopened.close();
  });

  it("hands the claims of a process that stopped back to pg-boss: the delivery again, the timer slot never", async () => {
    const { url, store } = await setup();
    const a = install("tenant-a");
    await store.createInstall(a, null, [timer("tick", T0), onTopic("on_ping", "ping")]);
    await store.advanceTimers([{ installId: a.id, handler: "tick", expectedNextAt: T0, nextAt: T0 + 60_000, fire: { slot: T0, maxAttempts: 1 } }]);
    await store.publishEvent(ping("ev-1"), 3);
    expect(await store.jobs.claim(T0, 10)).toHaveLength(2);
    expect(await store.dueTimers(T0 + 60_000)).toMatchObject([{ busy: true }]);
    const peer = await postgresServiceStore(url);
    // The first store is alive: its claims are its own.
    expect(await peer.jobs.recover(T0)).toEqual({ requeued: 0, abandoned: 0 });
    await store.close();
    expect(await peer.jobs.recover(T0)).toEqual({ requeued: 1, abandoned: 1 });
    expect(await peer.dueTimers(T0 + 60_000)).toMatchObject([{ busy: false }]);
    await expect.poll(() => peer.jobs.claim(T0, 10), { timeout: 10_000, interval: 200 }).toMatchObject([{ kind: "event", ref: "ev-1", attempts: 2 }]);
    await peer.close();
  });
});
