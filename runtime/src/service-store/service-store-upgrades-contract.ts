/**
 * The ServiceStore contract for what keeps installs alive over time: switching versions in one
 * transaction, recording a pending upgrade, and purging by retention tier. Run by every
 * implementation beside service-store-contract.ts.
 */
import { describe, expect, it } from "vitest";
import { fakeClock } from "../storage/fake-clock.js";
import { install, onTopic, run, T0, timer, type QueueKind, type StoreLocation } from "./service-store-contract.js";
import type { InstallRecord, PendingUpgrade, ServiceStore } from "./service-store.js";

const DAY = 24 * 60 * 60 * 1000;

async function setup(fresh: () => StoreLocation) {
  const store = await fresh().open(fakeClock());
  await store.createTenant({ id: "tenant-a", name: "A", createdAt: T0, bindings: {} }, "hash-a");
  return store;
}

async function finishedDelivery(store: ServiceStore, eventId: string, at: number) {
  await store.publishEvent({ id: eventId, tenantId: "tenant-a", topic: "ping", payload: { secret: eventId }, createdAt: at, source: null }, 3);
  for (const job of await store.jobs.claim(at, 100)) {
    const i = { ...install(job.tenantId, job.installId) };
    await store.createRun(run(i, { id: `delivery-${eventId}-${job.installId}`, handler: job.handler, trigger: "event", triggerRef: job.ref, status: "ok", startedAt: at }));
    await store.jobs.complete(job.id);
  }
}

export function upgradesStoreContract(name: string, fresh: () => StoreLocation, queue: QueueKind = "store"): void {
  describe(`${name} service store: upgrades and retention`, () => {
    it("switches version, config and triggers in one step, keeping an unchanged timer's next fire time and the install's data", async () => {
      const store = await setup(fresh);
      const a = install("tenant-a");
      await store.createInstall(a, null, [timer("tick", T0 + 60_000), { kind: "timer", handler: "tock", schedule: "5m", firstAt: T0 + 300_000 }, onTopic("on_ping", "ping"), onTopic("on_old", "old")]);
      await store.installData.forInstall(a.id).containerSet("seen", "k", { n: 1 });
      await store.publishEvent({ id: "ev-old", tenantId: "tenant-a", topic: "old", payload: null, createdAt: T0, source: null }, 3);
      await store.publishEvent({ id: "ev-ping", tenantId: "tenant-a", topic: "ping", payload: null, createdAt: T0, source: null }, 3);

      const next: InstallRecord = { ...a, version: "1.1.0", integrity: "cd".repeat(64), config: { region: "us" }, previous: { ...a }, updatedAt: T0 + 5 };
      const triggers = [timer("tick", T0 + 999_000), { kind: "timer" as const, handler: "tock", schedule: "10m", firstAt: T0 + 600_000 }, onTopic("on_ping", "ping")];
      expect(await store.switchVersion({ ...next, version: "9.9.9" }, "ff".repeat(64), triggers)).toBe(false);
      expect(await store.getInstall("tenant-a", a.id)).toEqual(a);

      expect(await store.switchVersion(next, a.integrity, triggers)).toBe(true);
      // A change checked against the version that was there before is refused, not written over the new one.
      expect(await store.updateInstall({ ...a, config: { region: "eu" } }, null)).toBe(false);
      expect(await store.getInstall("tenant-a", a.id)).toEqual(next);
      expect((await store.dueTimers(T0 + DAY)).map((t) => [t.handler, t.schedule, t.nextAt])).toEqual([["tick", "1m", T0 + 60_000], ["tock", "10m", T0 + 600_000]]);
      expect((await store.jobs.claim(T0, 10)).map((j) => j.handler)).toEqual(["on_ping"]);
      expect(await store.installData.forInstall(a.id).containerGet("seen", "k")).toEqual({ n: 1 });
      await store.close();
    });

    it("records a pending upgrade only while the install still has the version it was computed for", async () => {
      const store = await setup(fresh);
      const a = install("tenant-a");
      await store.createInstall(a, null, []);
      const pending: PendingUpgrade = { version: "1.2.0", detectedAt: T0, access: [{ message: "permission added: cache", pointer: "/permissions/cache" }], problems: [] };
      expect(await store.setPendingUpgrade("tenant-a", a.id, "ff".repeat(64), pending)).toBe(false);
      expect(await store.setPendingUpgrade("tenant-b", a.id, a.integrity, pending)).toBe(false);
      expect(await store.setPendingUpgrade("tenant-a", a.id, a.integrity, pending)).toBe(true);
      expect((await store.getInstall("tenant-a", a.id))!.pendingUpgrade).toEqual(pending);
      expect(await store.setPendingUpgrade("tenant-a", a.id, a.integrity, null)).toBe(true);
      expect((await store.getInstall("tenant-a", a.id))!.pendingUpgrade).toBeNull();
      await store.close();
    });

    it("lists installs that follow their range, and those whose retention tier is still unknown", async () => {
      const store = await setup(fresh);
      const following = install("tenant-a", "i-follow", { followRange: true });
      const unknown = install("tenant-a", "i-unknown", { retentionTier: null });
      await store.createInstall(following, null, []);
      await store.createInstall(unknown, null, []);
      expect((await store.installsFollowingRanges()).map((i) => i.id)).toEqual(["i-follow"]);
      expect((await store.installsWithoutRetentionTier(10)).map((i) => i.id)).toEqual(["i-unknown"]);
      await store.setRetentionTier("i-unknown", "ff".repeat(64), "long");
      expect((await store.getInstall("tenant-a", "i-unknown"))!.retentionTier).toBeNull();
      await store.setRetentionTier("i-unknown", unknown.integrity, "long");
      expect((await store.getInstall("tenant-a", "i-unknown"))!.retentionTier).toBe("long");
      expect(await store.installsWithoutRetentionTier(10)).toEqual([]);
      await store.close();
    });

    it("purges per tier what is older than its cutoff, finished deliveries at once where payloads are not kept, and events no delivery refers to", async () => {
      const store = await setup(fresh);
      const short = install("tenant-a", "i-short", { retentionTier: "short" });
      const none = install("tenant-a", "i-none", { retentionTier: "none" });
      const unknown = install("tenant-a", "i-unknown", { retentionTier: null });
      for (const i of [short, none, unknown]) await store.createInstall(i, null, [onTopic("on_ping", "ping")]);
      for (const i of [short, none, unknown]) {
        await store.createRun(run(i, { id: `old-${i.id}`, status: "ok", startedAt: T0 }));
        await store.createRun(run(i, { id: `new-${i.id}`, status: "ok", startedAt: T0 + 2 * DAY }));
        await store.createRun(run(i, { id: `running-${i.id}`, status: "running", startedAt: T0 }));
        await store.claimIdempotencyKey(i.id, "old", "fp", T0);
        await store.completeIdempotencyKey(i.id, "old", { status: 200, body: {} });
        await store.claimIdempotencyKey(i.id, "pending", "fp", T0);
      }
      await finishedDelivery(store, "ev-old", T0);
      await finishedDelivery(store, "ev-new", T0 + 2 * DAY);
      await store.publishEvent({ id: "ev-waiting", tenantId: "tenant-a", topic: "ping", payload: null, createdAt: T0, source: null }, 3);
      await store.publishEvent({ id: "ev-nobody", tenantId: "tenant-a", topic: "nobody", payload: null, createdAt: T0, source: null }, 3);

      const cutoff = T0 + DAY;
      const counts = await store.purgeExpired([
        { tier: "short", before: cutoff, keepPayloads: true },
        { tier: "none", before: cutoff, keepPayloads: false },
      ]);
      // Runs: the old finished one and the old delivery's of each tiered install. Jobs: short's old
      // delivery, none's two finished ones (pg-boss archives finished jobs itself, payloads never in them).
      // Events: only ev-nobody (ev-old has the unknown tier's delivery, ev-new short's, ev-waiting waits).
      expect(counts).toEqual({ runs: 4, jobs: queue === "store" ? 3 : 0, events: 1, idempotency: 2 });
      const runIds = async (i: InstallRecord) => (await store.listRuns("tenant-a", i.id)).items.map((r) => r.id).sort();
      expect(await runIds(short)).toEqual(["delivery-ev-new-i-short", "new-i-short", "running-i-short"]);
      expect(await runIds(none)).toEqual(["delivery-ev-new-i-none", "new-i-none", "running-i-none"]);
      expect(await runIds(unknown)).toEqual(["delivery-ev-new-i-unknown", "delivery-ev-old-i-unknown", "new-i-unknown", "old-i-unknown", "running-i-unknown"]);
      expect(await store.claimIdempotencyKey(short.id, "old", "fp", T0 + 3 * DAY)).toEqual({ state: "new" });
      expect(await store.claimIdempotencyKey(unknown.id, "old", "fp", T0 + 3 * DAY)).toMatchObject({ state: "done" });
      expect(await store.claimIdempotencyKey(none.id, "pending", "fp", T0 + 3 * DAY)).toEqual({ state: "pending" });
      // The waiting delivery still has its payload to deliver, whatever the tier.
      expect((await store.jobs.claim(T0 + 3 * DAY, 10)).map((j) => [j.installId, j.ref]).sort()).toEqual([["i-none", "ev-waiting"], ["i-short", "ev-waiting"], ["i-unknown", "ev-waiting"]]);
      // Purged again with nothing left to go: ev-old is still referred to by the unknown-tier install's delivery.
      expect(await store.purgeExpired([{ tier: "short", before: cutoff, keepPayloads: true }])).toEqual({ runs: 0, jobs: 0, events: 0, idempotency: 0 });
      await store.close();
    });
  });
}
