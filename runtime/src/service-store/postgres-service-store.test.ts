import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";
import type { Clock } from "../storage/install-store.js";
import { serviceStoreContract } from "./service-store-contract.js";
import { upgradesStoreContract } from "./service-store-upgrades-contract.js";
import { QUEUE_SCHEMA } from "./postgres-job-queue.js";
import { postgresServiceStore } from "./postgres-service-store.js";

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(() => server?.stop());
let databases = 0;

const freshDatabase = () => {
  const name = `store_${++databases}`;
  let url: Promise<string> | undefined;
  return { open: async (clock: Clock) => postgresServiceStore(await (url ??= server.createDatabase(name)), clock) };
};
serviceStoreContract("postgres", freshDatabase, "pg-boss");
upgradesStoreContract("postgres", freshDatabase, "pg-boss");

it("brings one schema up once when several processes start against an empty database together", async () => {
  const url = await server.createDatabase("racing_starts");
  const stores = await Promise.all(Array.from({ length: 4 }, () => postgresServiceStore(url)));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    expect((await admin.query("SELECT version FROM schema_migrations ORDER BY version")).rows).toEqual([1, 2, 3, 4, 5].map((version) => ({ version })));
    // Every store works on the shared schema: a tenant made through one is found through the others.
    await stores[0]!.createTenant({ id: "t1", name: "T", createdAt: 0, bindings: {} }, "hash-1");
    for (const s of stores) expect(await s.tenantByTokenHash("hash-1")).toMatchObject({ id: "t1" });
  } finally {
    await admin.end();
    await Promise.all(stores.map((s) => s.close()));
  }
});

it("recovers at start only the work of processes that are gone, leaving a live peer's work in flight", async () => {
  const url = await server.createDatabase("peers");
  const T = Date.parse("2026-01-01T00:00:00.000Z");
  // The application name marks peer A's sessions, so the test can end them as a kill -9 would.
  const a = await postgresServiceStore(`${url}&application_name=peer-a`);
  await a.createTenant({ id: "t", name: "T", createdAt: T, bindings: {} }, "hash-t");
  const base = { tenantId: "t", slug: "notes", version: "1.0.0", range: "^1", integrity: "ab", config: {}, bindings: {}, credentialFields: [], warnings: [], createdAt: T, updatedAt: T, retentionTier: null, followRange: false, previous: null, pendingUpgrade: null };
  await a.createInstall({ ...base, id: "i-1" }, null, [{ kind: "event", handler: "on_ping", topic: "ping" }, { kind: "timer", handler: "tick", schedule: "1m", firstAt: T }]);
  await a.publishEvent({ id: "ev-1", tenantId: "t", topic: "ping", payload: null, createdAt: T, source: null }, 3);
  await a.advanceTimers([{ installId: "i-1", handler: "tick", expectedNextAt: T, nextAt: T + 60_000, fire: { slot: T, maxAttempts: 1 } }]);
  expect(await a.jobs.claim(T, 10)).toHaveLength(2);
  await a.createRun({ id: "run-1", tenantId: "t", installId: "i-1", handler: "lookup", trigger: "rpc", triggerRef: null, version: "1.0.0", attempt: 1, status: "running", startedAt: T, finishedAt: null, durationMs: null, error: null, limitHit: null, logs: [] });
  expect(await a.claimIdempotencyKey("i-1", "key-1", "fp", T)).toEqual({ state: "new" });

  const b = await postgresServiceStore(url);
  const recover = async () => ({ runs: await b.interruptRunningRuns(T + 5), keys: await b.releasePendingIdempotencyKeys(), jobs: await b.jobs.recover(T + 5) });
  expect(await recover()).toEqual({ runs: 0, keys: 0, jobs: { requeued: 0, abandoned: 0 } });
  expect(await b.getRun("t", "run-1")).toMatchObject({ status: "running" });

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  expect((await admin.query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'peer-a'")).rows.length).toBeGreaterThan(0);
  await admin.end();
  // PostgreSQL drops A's lease with its session; the next start of any peer recovers A's work.
  await expect.poll(recover).toEqual({ runs: 1, keys: 1, jobs: { requeued: 1, abandoned: 1 } });
  expect(await b.getRun("t", "run-1")).toMatchObject({ status: "interrupted", error: { code: "INTERRUPTED" } });
  // pg-boss retries the delivery after its backoff (1 to 2 s on the database's clock).
  await expect.poll(() => b.jobs.claim(T + 5, 10), { timeout: 10_000, interval: 250 }).toMatchObject([{ kind: "event", ref: "ev-1", attempts: 2 }]);
  await a.close().catch(() => undefined);
  await b.close();
});

it("claims past the jobs another process is claiming, without waiting for it or taking them", async () => {
  const url = await server.createDatabase("claims");
  const T = Date.parse("2026-01-01T00:00:00.000Z");
  const store = await postgresServiceStore(url);
  await store.createTenant({ id: "t", name: "T", createdAt: T, bindings: {} }, "hash-t");
  const base = { tenantId: "t", slug: "notes", version: "1.0.0", range: "^1", integrity: "ab", config: {}, bindings: {}, credentialFields: [], warnings: [], createdAt: T, updatedAt: T, retentionTier: null, followRange: false, previous: null, pendingUpgrade: null };
  await store.createInstall({ ...base, id: "i-1" }, null, [{ kind: "event", handler: "on_ping", topic: "ping" }]);
  for (let n = 0; n < 5; n++) await store.publishEvent({ id: `ev-${n}`, tenantId: "t", topic: "ping", payload: { n }, createdAt: T + n, source: null }, 3);
  // A peer's claim in progress: its transaction holds the row locks of the two oldest jobs.
  const peer = new pg.Client({ connectionString: url });
  await peer.connect();
  await peer.query("BEGIN");
  await peer.query(`SELECT id FROM ${QUEUE_SCHEMA}.job WHERE data->>'ref' IN ('ev-0', 'ev-1') FOR UPDATE`);
  try {
    expect((await store.jobs.claim(T + 100, 10)).map((j) => j.ref)).toEqual(["ev-2", "ev-3", "ev-4"]);
  } finally {
    await peer.query("ROLLBACK");
    await peer.end();
  }
  expect((await store.jobs.claim(T + 100, 10)).map((j) => j.ref)).toEqual(["ev-0", "ev-1"]);
  await store.close();
});

it("answers concurrent reads and run writes batched together, each for its own caller and tenant", async () => {
  const url = await server.createDatabase("batched");
  const T = Date.parse("2026-01-01T00:00:00.000Z");
  const store = await postgresServiceStore(url);
  const base = { slug: "notes", version: "1.0.0", range: "^1", integrity: "ab", config: {}, bindings: {}, credentialFields: [], warnings: [], createdAt: T, updatedAt: T, retentionTier: null, followRange: false, previous: null, pendingUpgrade: null };
  const sealed = (n: number) => ({ keyId: "k", iv: `iv-${n}`, tag: `tag-${n}`, ciphertext: `ct-${n}` });
  for (const t of ["a", "b"]) await store.createTenant({ id: t, name: t, createdAt: T, bindings: {} }, `hash-${t}`);
  for (let n = 0; n < 20; n++) await store.createInstall({ ...base, tenantId: n % 2 ? "b" : "a", id: `i-${n}`, config: { n } }, n % 3 ? sealed(n) : null, []);
  // Each install asked for under its own tenant and under the other: only its own answers.
  const asks = Array.from({ length: 20 }, (_, n) => ({ n, own: n % 2 ? "b" : "a", other: n % 2 ? "a" : "b" }));
  const installs = await Promise.all(asks.flatMap(({ n, own, other }) => [store.getInstall(own, `i-${n}`), store.getInstall(other, `i-${n}`)]));
  const credentials = await Promise.all(asks.flatMap(({ n, own, other }) => [store.getCredential(own, `i-${n}`), store.getCredential(other, `i-${n}`)]));
  asks.forEach(({ n }) => {
    expect(installs[2 * n]).toMatchObject({ id: `i-${n}`, config: { n } });
    expect(installs[2 * n + 1]).toBeNull();
    expect(credentials[2 * n]).toEqual(n % 3 ? sealed(n) : null);
    expect(credentials[2 * n + 1]).toBeNull();
  });
  expect(await store.getInstall("a", "missing")).toBeNull();

  // Concurrent run writes, one of which repeats a run id: only that one fails, the rest are stored.
  const run = (id: string, n: number) => ({ id, tenantId: "a", installId: "i-0", handler: "h", trigger: "rpc" as const, triggerRef: null, version: "1.0.0", attempt: n, status: "running" as const, startedAt: T + n, finishedAt: null, durationMs: null, error: null, limitHit: null, logs: [] });
  await store.createRun(run("run-0", 0));
  const created = await Promise.allSettled([1, 2, 3, 4].map((n) => store.createRun(run(n === 3 ? "run-0" : `run-${n}`, n))));
  expect(created.map((c) => c.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
  await Promise.all([0, 1, 2, 4].map((n) => store.finishRun(`run-${n}`, { status: n === 2 ? "error" : "ok", finishedAt: T + 10 + n, durationMs: n + 0.5, error: n === 2 ? { kind: "lua", code: "E", message: "m" } : null, limitHit: null, logs: [{ level: "info" as const, message: `m${n}`, at: "2026-01-01T00:00:00.000Z" }] })));
  const runs = (await store.listRuns("a", "i-0")).items;
  expect(runs.map((r) => [r.id, r.attempt, r.status, r.durationMs])).toEqual([
    ["run-4", 4, "ok", 4.5],
    ["run-2", 2, "error", 2.5],
    ["run-1", 1, "ok", 1.5],
    ["run-0", 0, "ok", 0.5],
  ]);
  expect(runs[1]).toMatchObject({ error: { code: "E" }, finishedAt: T + 12, logs: [{ message: "m2" }] });
  await store.close();
});
