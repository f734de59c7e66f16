/**
 * The ServiceStore contract as a reusable suite: every implementation runs the same cases.
 * `fresh()` gives a new, empty location (a SQLite file, later a PostgreSQL schema); `open` may be
 * called on it again after `close`, which is how durability is checked.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fakeClock, type FakeClock } from "../storage/fake-clock.js";
import type { Clock } from "../storage/install-store.js";
import type { SealedCredential } from "../vault/credential-vault.js";
import type { InstallRecord, RunRecord, ServiceStore, Trigger } from "./service-store.js";

export type StoreLocation = { open(clock: Clock): Promise<ServiceStore> };

export const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const sealed = (n: string): SealedCredential => ({ keyId: "k_test", iv: `iv-${n}`, tag: `tag-${n}`, ciphertext: `ct-${n}` });

export function install(tenantId: string, id: string = randomUUID(), over: Partial<InstallRecord> = {}): InstallRecord {
  return {
    id, tenantId, slug: "notes", version: "1.0.0", range: "^1", integrity: "ab".repeat(64),
    config: { region: "eu" }, bindings: { api: { url: "http://127.0.0.1:1" } }, credentialFields: ["apiKey"], warnings: [],
    createdAt: T0, updatedAt: T0, retentionTier: "short", followRange: false, previous: null, pendingUpgrade: null, ...over,
  };
}

export function run(i: InstallRecord, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: randomUUID(), tenantId: i.tenantId, installId: i.id, handler: "lookup", trigger: "rpc", triggerRef: null, version: i.version,
    attempt: 1, status: "running", startedAt: T0, finishedAt: null, durationMs: null, error: null, limitHit: null, logs: [], ...over,
  };
}

export const timer = (handler: string, firstAt: number): Trigger => ({ kind: "timer", handler, schedule: "1m", firstAt });
export const onTopic = (handler: string, topic: string): Trigger => ({ kind: "event", handler, topic });

/**
 * Which queue the store runs on: its own tables on the caller's clock, or pg-boss, which keeps
 * finished jobs itself and retries on the database's clock (its cases are postgres-job-queue.test.ts).
 */
export type QueueKind = "store" | "pg-boss";

export function serviceStoreContract(name: string, fresh: () => StoreLocation, queue: QueueKind = "store"): void {
  describe(`${name} service store`, () => {
    async function setup() {
      const clock: FakeClock = fakeClock();
      const location = fresh();
      const store = await location.open(clock);
      await store.createTenant({ id: "tenant-a", name: "A", createdAt: T0, bindings: {} }, "hash-a");
      await store.createTenant({ id: "tenant-b", name: "B", createdAt: T0, bindings: {} }, "hash-b");
      return { clock, location, store };
    }

    it("finds a tenant by its token hash only", async () => {
      const { store } = await setup();
      expect(await store.tenantByTokenHash("hash-a")).toMatchObject({ id: "tenant-a", name: "A" });
      expect(await store.tenantByTokenHash("hash-c")).toBeNull();
      await store.close();
    });

    it("keeps an install with its sealed credential, visible to its own tenant only", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      await store.createInstall(a, sealed("1"), []);
      expect(await store.getInstall("tenant-a", a.id)).toEqual(a);
      expect(await store.getInstall("tenant-b", a.id)).toBeNull();
      expect(await store.getCredential("tenant-a", a.id)).toEqual(sealed("1"));
      expect(await store.getCredential("tenant-b", a.id)).toBeNull();
      expect((await store.listInstalls("tenant-b")).items).toEqual([]);
      expect(await store.deleteInstall("tenant-b", a.id)).toBe(false);
      expect(await store.getInstall("tenant-a", a.id)).not.toBeNull();
      await store.close();
    });

    it("creates an install all or nothing", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      await expect(store.createInstall(a, sealed("1"), [timer("tick", T0), timer("tick", T0)])).rejects.toThrow();
      expect(await store.getInstall("tenant-a", a.id)).toBeNull();
      expect(await store.getCredential("tenant-a", a.id)).toBeNull();
      expect(await store.dueTimers(T0)).toEqual([]);
      await store.close();
    });

    it("updates config and replaces, keeps or removes the credential", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      await store.createInstall(a, sealed("1"), []);
      await store.updateInstall({ ...a, config: { region: "us" }, updatedAt: T0 + 1 }, undefined);
      expect(await store.getInstall("tenant-a", a.id)).toMatchObject({ config: { region: "us" }, updatedAt: T0 + 1 });
      expect(await store.getCredential("tenant-a", a.id)).toEqual(sealed("1"));
      await store.updateInstall(a, sealed("2"));
      expect(await store.getCredential("tenant-a", a.id)).toEqual(sealed("2"));
      await store.updateInstall({ ...a, credentialFields: [] }, null);
      expect(await store.getCredential("tenant-a", a.id)).toBeNull();
      await store.close();
    });

    it("finds credentials sealed with other keys and re-seals one only if unchanged", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      const b = install("tenant-b");
      await store.createInstall(a, sealed("1"), []);
      await store.createInstall(b, { ...sealed("2"), keyId: "k_new" }, []);
      expect(await store.credentialsSealedWithOtherKeys("k_new", 10)).toEqual([{ installId: a.id, sealed: sealed("1") }]);
      const fresh = { ...sealed("3"), keyId: "k_new" };
      expect(await store.resealCredential(a.id, sealed("9"), fresh)).toBe(false);
      expect(await store.resealCredential(a.id, sealed("1"), fresh)).toBe(true);
      expect(await store.getCredential("tenant-a", a.id)).toEqual(fresh);
      expect(await store.credentialsSealedWithOtherKeys("k_new", 10)).toEqual([]);
      await store.close();
    });

    it("pages installs in creation order and refuses a foreign cursor", async () => {
      const { store } = await setup();
      const ids = [];
      for (let n = 0; n < 5; n++) {
        const i = install("tenant-a");
        ids.push(i.id);
        await store.createInstall(i, null, []);
      }
      const first = await store.listInstalls("tenant-a", { limit: 2 });
      const second = await store.listInstalls("tenant-a", { limit: 2, cursor: first.cursor! });
      const third = await store.listInstalls("tenant-a", { limit: 2, cursor: second.cursor! });
      expect([...first.items, ...second.items, ...third.items].map((i) => i.id)).toEqual(ids);
      expect(third.cursor).toBeNull();
      await expect(store.listInstalls("tenant-b", { cursor: first.cursor! })).rejects.toMatchObject({ code: "INVALID_CURSOR" });
      await store.close();
    });

    it("deletes an install with everything it owns", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      const keep = install("tenant-a");
      await store.createInstall(a, sealed("1"), [timer("tick", T0), onTopic("on_ping", "ping")]);
      await store.createInstall(keep, null, [onTopic("on_ping", "ping")]);
      await store.createRun(run(a));
      await store.claimIdempotencyKey(a.id, "key-1", "fp", T0);
      await store.installData.forInstall(a.id).cacheSet("c", 1);
      await store.installData.forInstall(a.id).containerSet("box", "k", { v: 1 });
      await store.installData.forInstall(keep.id).cacheSet("c", 2);
      await store.publishEvent({ id: "ev-1", tenantId: "tenant-a", topic: "ping", payload: {}, createdAt: T0, source: null }, 3);
      expect(await store.deleteInstall("tenant-a", a.id)).toBe(true);
      expect(await store.getInstall("tenant-a", a.id)).toBeNull();
      expect(await store.getCredential("tenant-a", a.id)).toBeNull();
      expect((await store.listRuns("tenant-a", a.id)).items).toEqual([]);
      expect(await store.dueTimers(T0 + 3_600_000)).toEqual([]);
      expect(await store.installData.forInstall(a.id).cacheEntries()).toEqual({});
      expect(await store.installData.forInstall(a.id).containerEntries()).toEqual({});
      expect(await store.installData.forInstall(keep.id).cacheEntries()).toEqual({ c: 2 });
      expect(await store.claimIdempotencyKey(a.id, "key-1", "other", T0)).toEqual({ state: "new" });
      expect((await store.jobs.claim(T0, 10)).map((j) => j.installId)).toEqual([keep.id]);
      await store.close();
    });

    it("records runs, lists them newest first in pages, scoped by tenant", async () => {
      const { store, location, clock } = await setup();
      const a = install("tenant-a");
      await store.createInstall(a, null, []);
      const runs = [run(a), run(a, { trigger: "timer", triggerRef: "2026-01-01T00:01:00.000Z" }), run(a)];
      for (const r of runs) await store.createRun(r);
      await store.finishRun(runs[0]!.id, { status: "error", finishedAt: T0 + 5, durationMs: 5, error: { kind: "limit", code: "LIMIT_timeoutMs", message: "slow" }, limitHit: "timeoutMs", logs: [{ level: "info", message: "hi", at: "t" }] });
      expect(await store.getRun("tenant-a", runs[0]!.id)).toMatchObject({ status: "error", durationMs: 5, limitHit: "timeoutMs", logs: [{ message: "hi" }] });
      expect(await store.getRun("tenant-b", runs[0]!.id)).toBeNull();
      const first = await store.listRuns("tenant-a", a.id, { limit: 2 });
      const second = await store.listRuns("tenant-a", a.id, { limit: 2, cursor: first.cursor! });
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual(runs.map((r) => r.id).reverse());
      expect(second.cursor).toBeNull();
      expect((await store.listRuns("tenant-b", a.id)).items).toEqual([]);
      // A store leaves its own runs in flight alone; the next one on the location ends them.
      expect(await store.interruptRunningRuns(T0 + 9)).toBe(0);
      await store.close();
      const next = await location.open(clock);
      expect(await next.interruptRunningRuns(T0 + 9)).toBe(2);
      expect(await next.getRun("tenant-a", runs[2]!.id)).toMatchObject({ status: "interrupted", finishedAt: T0 + 9, error: { code: "INTERRUPTED" } });
      await next.close();
    });

    it("claims an idempotency key once and returns the stored response afterwards", async () => {
      const { store: first, location, clock } = await setup();
      let store = first;
      expect(await store.claimIdempotencyKey("i-1", "k", "fp-1", T0)).toEqual({ state: "new" });
      expect(await store.claimIdempotencyKey("i-1", "k", "fp-1", T0)).toEqual({ state: "pending" });
      expect(await store.claimIdempotencyKey("i-1", "k", "fp-2", T0)).toEqual({ state: "mismatch" });
      await store.completeIdempotencyKey("i-1", "k", { status: 200, body: { output: 1 } });
      expect(await store.claimIdempotencyKey("i-1", "k", "fp-1", T0)).toEqual({ state: "done", response: { status: 200, body: { output: 1 } } });
      expect(await store.claimIdempotencyKey("i-2", "k", "fp-1", T0)).toEqual({ state: "new" });
      await store.releaseIdempotencyKey("i-2", "k");
      expect(await store.claimIdempotencyKey("i-2", "k", "fp-9", T0)).toEqual({ state: "new" });
      expect(await store.releasePendingIdempotencyKeys()).toBe(0);
      await store.close();
      store = await location.open(clock);
      expect(await store.releasePendingIdempotencyKeys()).toBe(1);
      expect(await store.claimIdempotencyKey("i-2", "k", "fp-8", T0)).toEqual({ state: "new" });
      expect(await store.claimIdempotencyKey("i-1", "k", "fp-1", T0)).toMatchObject({ state: "done" });
      await store.close();
    });

    it("fans an event out to the tenant's installs on that topic, one job each", async () => {
      const { store } = await setup();
      const a1 = install("tenant-a");
      const a2 = install("tenant-a");
      const b = install("tenant-b");
      await store.createInstall(a1, null, [onTopic("on_ping", "ping"), onTopic("on_pong", "pong")]);
      await store.createInstall(a2, null, [onTopic("on_ping", "ping")]);
      await store.createInstall(b, null, [onTopic("on_ping", "ping")]);
      expect(await store.publishEvent({ id: "ev-1", tenantId: "tenant-a", topic: "ping", payload: { n: 1 }, createdAt: T0, source: null }, 3)).toBe(2);
      expect(await store.jobs.depth()).toBe(2);
      const jobs = await store.jobs.claim(T0, 10);
      expect(jobs.map((j) => [j.installId, j.handler, j.payload, j.ref, j.attempts, j.maxAttempts]).sort()).toEqual(
        [[a1.id, "on_ping", { n: 1 }, "ev-1", 1, 3], [a2.id, "on_ping", { n: 1 }, "ev-1", 1, 3]].sort(),
      );
      expect(await store.jobs.claim(T0, 10)).toEqual([]);
      await store.close();
    });

    it("claims oldest first, within each tenant's room, leaving the rest pending", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      const b = install("tenant-b");
      await store.createInstall(a, null, [onTopic("on_ping", "ping")]);
      await store.createInstall(b, null, [onTopic("on_ping", "ping")]);
      for (const [id, tenantId, at] of [["ev-a2", "tenant-a", T0 + 2], ["ev-b1", "tenant-b", T0 + 1], ["ev-a0", "tenant-a", T0]] as const) {
        await store.publishEvent({ id, tenantId, topic: "ping", payload: null, createdAt: at, source: null }, 3);
      }
      // tenant-a has 1 of its 2 runs in flight, tenant-b none.
      expect((await store.jobs.claim(T0 + 10, 10, { perTenant: 2, inFlight: { "tenant-a": 1 } })).map((j) => j.ref)).toEqual(["ev-a0", "ev-b1"]);
      expect((await store.jobs.claim(T0 + 10, 10, { perTenant: 2, inFlight: { "tenant-a": 2 } })).map((j) => j.ref)).toEqual([]);
      expect((await store.jobs.claim(T0 + 10, 10)).map((j) => j.ref)).toEqual(["ev-a2"]);
      await store.close();
    });

    if (queue === "store") it("retries at the given time, buries dead letters, releases and recovers after a crash", async () => {
      const { store: first, location, clock } = await setup();
      let store = first;
      const a = install("tenant-a");
      await store.createInstall(a, null, [onTopic("on_ping", "ping"), timer("tick", T0)]);
      await store.publishEvent({ id: "ev-1", tenantId: "tenant-a", topic: "ping", payload: null, createdAt: T0, source: null }, 3);
      const [job] = await store.jobs.claim(T0, 10);
      await store.jobs.retry(job!.id, T0 + 1000);
      expect(await store.jobs.claim(T0 + 999, 10)).toEqual([]);
      const [again] = await store.jobs.claim(T0 + 1000, 10);
      expect(again!.attempts).toBe(2);
      await store.jobs.release(again!.id);
      const [third] = await store.jobs.claim(T0 + 1000, 10);
      expect(third!.attempts).toBe(2);
      await store.jobs.bury(third!.id);
      expect(await store.jobs.claim(T0 + 10_000_000, 10)).toEqual([]);
      expect(await store.jobs.depth()).toBe(0);

      await store.publishEvent({ id: "ev-2", tenantId: "tenant-a", topic: "ping", payload: null, createdAt: T0, source: null }, 3);
      await store.advanceTimers([{ installId: a.id, handler: "tick", expectedNextAt: T0, nextAt: T0 + 60_000, fire: { slot: T0, maxAttempts: 1 } }]);
      expect((await store.jobs.claim(T0, 10)).length).toBe(2);
      expect(await store.jobs.recover(T0 + 5)).toEqual({ requeued: 0, abandoned: 0 });
      await store.close();
      store = await location.open(clock);
      expect(await store.jobs.recover(T0 + 5)).toEqual({ requeued: 1, abandoned: 1 });
      const [requeued] = await store.jobs.claim(T0 + 5, 10);
      expect(requeued).toMatchObject({ kind: "event", ref: "ev-2" });
      await store.close();
    });

    it("moves a timer once per slot and enqueues that slot once", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      expect(await store.nextTimerAt()).toBeNull();
      await store.createInstall(a, null, [timer("tick", T0 + 60_000)]);
      await store.createInstall(install("tenant-b"), null, [timer("tock", T0 + 600_000)]);
      expect(await store.nextTimerAt()).toBe(T0 + 60_000);
      expect(await store.dueTimers(T0 + 59_999)).toEqual([]);
      expect(await store.dueTimers(T0 + 60_000)).toEqual([{ tenantId: "tenant-a", installId: a.id, handler: "tick", schedule: "1m", nextAt: T0 + 60_000, busy: false }]);
      const step = (from: number, to: number, fire: boolean) => ({ installId: a.id, handler: "tick", expectedNextAt: from, nextAt: to, fire: fire ? { slot: from, maxAttempts: 1 } : null });
      expect(await store.advanceTimers([step(T0 + 60_000, T0 + 120_000, true)])).toEqual([true]);
      expect(await store.nextTimerAt()).toBe(T0 + 120_000);
      expect(await store.advanceTimers([step(T0 + 60_000, T0 + 120_000, true)])).toEqual([false]);
      expect(await store.dueTimers(T0 + 120_000)).toMatchObject([{ nextAt: T0 + 120_000, busy: true }]);
      const jobs = await store.jobs.claim(T0 + 60_000, 10);
      expect(jobs).toMatchObject([{ kind: "timer", key: `timer:${a.id}:tick:${T0 + 60_000}`, ref: "2026-01-01T00:01:00.000Z", payload: null }]);
      expect(await store.dueTimers(T0 + 120_000)).toMatchObject([{ busy: true }]);
      await store.jobs.complete(jobs[0]!.id);
      expect(await store.dueTimers(T0 + 120_000)).toMatchObject([{ busy: false }]);
      expect(await store.advanceTimers([step(T0 + 120_000, T0 + 180_000, false)])).toEqual([true]);
      expect(await store.jobs.depth()).toBe(0);
      await store.close();
    });

    it("takes a pending OAuth authorization once, and not after it expired", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      await store.createInstall(a, null, []);
      const pending = (stateHash: string, expiresAt: number) => ({ stateHash, tenantId: "tenant-a", installId: a.id, verifier: sealed("v"), redirectUri: "https://rt.example.com/cb", returnTo: null, expiresAt });
      await store.lifecycle.savePendingAuthorization(pending("s-1", T0 + 600_000));
      await store.lifecycle.savePendingAuthorization(pending("s-2", T0 + 1_000));
      expect(await store.lifecycle.takePendingAuthorization("s-1", T0)).toEqual(pending("s-1", T0 + 600_000));
      expect(await store.lifecycle.takePendingAuthorization("s-1", T0)).toBeNull();
      expect(await store.lifecycle.takePendingAuthorization("s-2", T0 + 1_000)).toBeNull();
      expect(await store.lifecycle.takePendingAuthorization("unknown", T0)).toBeNull();
      await store.close();
    });

    it("keeps an install's OAuth connection, connected account and billed total, removed with the install", async () => {
      const { store } = await setup();
      const a = install("tenant-a");
      const bare = install("tenant-a");
      await store.createInstall(a, null, []);
      await store.createInstall(bare, null, []);
      const connection = { connectedAt: T0, expiresAt: T0 + 3_600_000, refreshedAt: null, scope: "repo", lastError: { code: "REFRESH_FAILED", message: "401", at: T0 + 5 } };
      await store.lifecycle.setOAuthConnection(a.id, connection);
      await store.lifecycle.setOAuthConnection(a.id, { ...connection, refreshedAt: T0 + 9, lastError: null });
      const check = { account: { id: "u-1", name: "Ada", email: "ada@example.com" }, error: null, runId: "run-1", checkedAt: T0 + 10 };
      await store.lifecycle.setAccountCheck(a.id, check);
      await store.lifecycle.recordCharges({ runId: "run-1", tenantId: "tenant-a", installId: a.id, handler: "lookup" }, [{ usd: 0.1, note: "sms" }, { usd: 0.2, note: null }], T0);
      expect(await store.lifecycle.getOAuthConnection(a.id)).toEqual({ ...connection, refreshedAt: T0 + 9, lastError: null });
      expect(Object.fromEntries(await store.lifecycle.installLifecycle("tenant-a", [a.id, bare.id]))).toEqual({
        [a.id]: { oauth: { ...connection, refreshedAt: T0 + 9, lastError: null }, account: check, billedUsd: 0.3 },
        [bare.id]: { oauth: null, account: null, billedUsd: 0 },
      });
      // Another tenant's view bills nothing to an install it does not own.
      expect((await store.lifecycle.installLifecycle("tenant-b", [a.id])).get(a.id)?.billedUsd).toBe(0);
      await store.lifecycle.deleteOAuthConnection(a.id);
      expect(await store.lifecycle.getOAuthConnection(a.id)).toBeNull();
      await store.lifecycle.setOAuthConnection(a.id, connection);
      expect(await store.deleteInstall("tenant-a", a.id)).toBe(true);
      expect(await store.lifecycle.getOAuthConnection(a.id)).toBeNull();
      expect(await store.lifecycle.chargesOfRun("tenant-a", "run-1")).toEqual([]);
      await store.close();
    });

    it("sums charges exactly per install and handler within a period, for the tenant only", async () => {
      const { store } = await setup();
      const a = install("tenant-a", undefined, { slug: "sms" });
      const b = install("tenant-a", undefined, { slug: "mail" });
      await store.createInstall(a, null, []);
      await store.createInstall(b, null, []);
      const charge = (runId: string, i: InstallRecord, handler: string, usd: number[], at: number) =>
        store.lifecycle.recordCharges({ runId, tenantId: "tenant-a", installId: i.id, handler }, usd.map((v) => ({ usd: v, note: null })), at);
      await charge("r-1", a, "send", [0.1, 0.2], T0);
      await charge("r-2", a, "send", [0.000001], T0 + 10);
      await charge("r-3", b, "notify", [1.5], T0 + 20);
      await charge("r-4", a, "send", [7], T0 + 1000);
      expect(await store.lifecycle.chargesOfRun("tenant-a", "r-1")).toEqual([{ usd: 0.1, note: null }, { usd: 0.2, note: null }]);
      expect(await store.lifecycle.chargesOfRun("tenant-b", "r-1")).toEqual([]);
      expect(await store.lifecycle.usage("tenant-a", { from: T0, to: T0 + 1000 })).toEqual([
        { installId: a.id, slug: "sms", handler: "send", usd: 0.300001, charges: 3, runs: 2 },
        { installId: b.id, slug: "mail", handler: "notify", usd: 1.5, charges: 1, runs: 1 },
      ]);
      expect(await store.lifecycle.usage("tenant-a", { from: T0, to: T0 + 1001, installId: b.id })).toEqual([{ installId: b.id, slug: "mail", handler: "notify", usd: 1.5, charges: 1, runs: 1 }]);
      expect(await store.lifecycle.usage("tenant-b", { from: 0, to: T0 + 10_000 })).toEqual([]);
      await store.close();
    });

    it("gives a tenant the bindings it was created with", async () => {
      const { store } = await setup();
      const bindings = { sql: { dsn: "postgres://db.example.com/app" }, graphql: { url: "https://gql.example.com" } };
      await store.createTenant({ id: "tenant-c", name: "C", createdAt: T0, bindings }, "hash-c");
      expect(await store.lifecycle.tenantBindings("tenant-c")).toEqual(bindings);
      expect(await store.lifecycle.tenantBindings("tenant-a")).toEqual({});
      expect(await store.lifecycle.tenantBindings("tenant-z")).toEqual({});
      await store.close();
    });

    it("keeps everything across close and reopen", async () => {
      const { store, location, clock } = await setup();
      const a = install("tenant-a");
      await store.createInstall(a, sealed("1"), [timer("tick", T0), onTopic("on_ping", "ping")]);
      await store.publishEvent({ id: "ev-1", tenantId: "tenant-a", topic: "ping", payload: { n: 1 }, createdAt: T0, source: "test" }, 3);
      await store.close();
      const reopened = await location.open(clock);
      expect(await reopened.tenantByTokenHash("hash-a")).toMatchObject({ id: "tenant-a" });
      expect(await reopened.getInstall("tenant-a", a.id)).toEqual(a);
      expect(await reopened.getCredential("tenant-a", a.id)).toEqual(sealed("1"));
      expect(await reopened.dueTimers(T0)).toHaveLength(1);
      expect(await reopened.jobs.depth()).toBe(1);
      await reopened.ping();
      await reopened.close();
    });
  });
}
