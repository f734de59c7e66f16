/**
 * The ServiceStore on one SQLite file (better-sqlite3, WAL): the embedded default of
 * `ihub runtime start`. Multi-row changes (an install with its credential and triggers, an event
 * with its deliveries, a timer step with its job) are single transactions, so a crash at any
 * point leaves either all or none of them.
 */
import { randomInt } from "node:crypto";
import Database from "better-sqlite3";
import type { JobQueue, TenantRoom } from "../scheduler/job-queue.js";
import { systemClock, type Clock } from "../storage/install-store.js";
import { sqliteStorage } from "../storage/sqlite-storage.js";
import type { SealedCredential } from "../vault/credential-vault.js";
import { decodePageCursor, pageLimit } from "./page-cursor.js";
import type { InstallRecord, PageOptions, PurgeRule, ServiceStore, Tenant, TimerMove, TimerState, Trigger } from "./service-store.js";
import { INSTALL_OWNED_TABLES, INTERRUPTED_ERROR, installRow, page, toInstall, toJob, toRun, type InstallRow, type JobRow, type RunRow } from "./service-store-rows.js";
import { sqliteLifecycleStore } from "./sqlite-lifecycle-store.js";
import { migrate } from "./sqlite-migrations.js";
import { timeOrderedId } from "./time-ordered-id.js";
import { startWalCheckpointer } from "./wal-checkpointer.js";

/** Installs kept in memory; beyond it the oldest entry is read from the database again when next used. */
const INSTALL_CACHE_SIZE = 10_000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function sqliteServiceStore(file: string, clock: Clock = systemClock): ServiceStore {
  // The install-scoped tables come first: deleteInstall below removes rows from them.
  const installData = sqliteStorage(file, clock);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses
  // nothing committed (the WAL is in the OS's hands), only a power loss can drop the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);
  // This store's mark on the runs, jobs and keys it owns: what is marked otherwise (or not at all)
  // was left by an earlier process on this file, the only work recovery touches.
  const owner = randomInt(1, 2 ** 31 - 1);
  const ORPHANED = `(owner IS NULL OR owner <> ${owner})`;
  const checkpointer = startWalCheckpointer(db, file);

  const q = {
    insertTenant: db.prepare("INSERT INTO tenants (id, name, token_hash, bindings, created_at) VALUES (?, ?, ?, ?, ?)"),
    tenantByHash: db.prepare<[string], { id: string; name: string; bindings: string; created_at: number }>("SELECT id, name, bindings, created_at FROM tenants WHERE token_hash = ?"),
    insertInstall: db.prepare(
      `INSERT INTO installs (id, tenant_id, seq, slug, version, range, integrity, config, bindings, credential_fields, warnings, created_at, updated_at, retention_tier, follow_range, previous, pending_upgrade)
       VALUES (@id, @tenantId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM installs), @slug, @version, @range, @integrity, @config, @bindings, @credentialFields, @warnings, @createdAt, @updatedAt, @retentionTier, @followRange, @previous, @pendingUpgrade)`,
    ),
    updateInstall: db.prepare(
      `UPDATE installs SET slug = @slug, version = @version, range = @range, integrity = @integrity, config = @config, bindings = @bindings, credential_fields = @credentialFields,
         warnings = @warnings, updated_at = @updatedAt, retention_tier = @retentionTier, follow_range = @followRange, previous = @previous, pending_upgrade = @pendingUpgrade
       WHERE id = @id AND tenant_id = @tenantId`,
    ),
    integrityOf: db.prepare<[string, string], { integrity: string }>("SELECT integrity FROM installs WHERE tenant_id = ? AND id = ?"),
    setPending: db.prepare("UPDATE installs SET pending_upgrade = ? WHERE tenant_id = ? AND id = ? AND integrity = ?"),
    following: db.prepare<[], InstallRow>("SELECT * FROM installs WHERE follow_range = 1 ORDER BY seq"),
    withoutTier: db.prepare<[number], InstallRow>("SELECT * FROM installs WHERE retention_tier IS NULL ORDER BY seq LIMIT ?"),
    setTier: db.prepare("UPDATE installs SET retention_tier = ? WHERE id = ? AND integrity = ?"),
    triggersOf: db.prepare<[string], { handler: string; kind: string; schedule: string | null; next_at: number | null }>("SELECT handler, kind, schedule, next_at FROM triggers WHERE install_id = ?"),
    deleteTriggers: db.prepare("DELETE FROM triggers WHERE install_id = ?"),
    // Jobs of a handler the new version no longer triggers would run code that is not there.
    dropUntriggeredJobs: db.prepare("DELETE FROM jobs WHERE install_id = ? AND status = 'pending' AND handler NOT IN (SELECT value FROM json_each(?))"),
    purgeRuns: db.prepare("DELETE FROM runs WHERE started_at < @before AND status <> 'running' AND install_id IN (SELECT id FROM installs WHERE retention_tier = @tier)"),
    purgeJobs: db.prepare(
      `DELETE FROM jobs WHERE status IN ('done', 'dead') AND (run_at < @before OR (kind = 'event' AND @keepPayloads = 0))
         AND install_id IN (SELECT id FROM installs WHERE retention_tier = @tier)`,
    ),
    purgeIdem: db.prepare("DELETE FROM idempotency WHERE response IS NOT NULL AND created_at < @before AND install_id IN (SELECT id FROM installs WHERE retention_tier = @tier)"),
    purgeEvents: db.prepare("DELETE FROM events WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.kind = 'event' AND jobs.ref = events.id)"),
    getInstall: db.prepare<[string, string], InstallRow>("SELECT * FROM installs WHERE tenant_id = ? AND id = ?"),
    listInstalls: db.prepare<[string, number, number], InstallRow>("SELECT * FROM installs WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
    upsertCredential: db.prepare(
      "INSERT INTO credentials (install_id, key_id, iv, tag, ciphertext) VALUES (?, ?, ?, ?, ?) ON CONFLICT (install_id) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, tag = excluded.tag, ciphertext = excluded.ciphertext",
    ),
    deleteCredential: db.prepare("DELETE FROM credentials WHERE install_id = ?"),
    getCredential: db.prepare<[string, string], { key_id: string; iv: string; tag: string; ciphertext: string }>(
      "SELECT c.key_id, c.iv, c.tag, c.ciphertext FROM credentials c JOIN installs i ON i.id = c.install_id WHERE i.tenant_id = ? AND c.install_id = ?",
    ),
    otherKeys: db.prepare<[string, number], { install_id: string; key_id: string; iv: string; tag: string; ciphertext: string }>(
      "SELECT install_id, key_id, iv, tag, ciphertext FROM credentials WHERE key_id <> ? ORDER BY install_id LIMIT ?",
    ),
    reseal: db.prepare("UPDATE credentials SET key_id = ?, iv = ?, tag = ?, ciphertext = ? WHERE install_id = ? AND key_id = ? AND iv = ? AND ciphertext = ?"),
    insertTrigger: db.prepare("INSERT INTO triggers (install_id, tenant_id, handler, kind, topic, schedule, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    deleteInstallRows: INSTALL_OWNED_TABLES.map((t) => db.prepare(`DELETE FROM ${t} WHERE install_id = ?`)),
    deleteInstall: db.prepare("DELETE FROM installs WHERE tenant_id = ? AND id = ?"),
    insertRun: db.prepare(
      `INSERT INTO runs (owner, id, tenant_id, install_id, handler, trigger, trigger_ref, version, attempt, status, started_at, finished_at, duration_ms, error, limit_hit, logs)
       VALUES (${owner}, @id, @tenantId, @installId, @handler, @trigger, @triggerRef, @version, @attempt, @status, @startedAt, @finishedAt, @durationMs, @error, @limitHit, @logs)`,
    ),
    finishRun: db.prepare("UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?, error = ?, limit_hit = ?, logs = ? WHERE id = ?"),
    getRun: db.prepare<[string, string], RunRow>("SELECT * FROM runs WHERE tenant_id = ? AND id = ?"),
    listRuns: db.prepare<[string, string, number, number], RunRow>("SELECT * FROM runs WHERE tenant_id = ? AND install_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"),
    interruptRuns: db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE status = 'running' AND ${ORPHANED}`),
    getIdem: db.prepare<[string, string], { fingerprint: string; response: string | null }>("SELECT fingerprint, response FROM idempotency WHERE install_id = ? AND key = ?"),
    insertIdem: db.prepare(`INSERT INTO idempotency (install_id, key, fingerprint, response, created_at, owner) VALUES (?, ?, ?, NULL, ?, ${owner})`),
    completeIdem: db.prepare("UPDATE idempotency SET response = ? WHERE install_id = ? AND key = ?"),
    releaseIdem: db.prepare("DELETE FROM idempotency WHERE install_id = ? AND key = ? AND response IS NULL"),
    releasePendingIdem: db.prepare(`DELETE FROM idempotency WHERE response IS NULL AND ${ORPHANED}`),
    insertEvent: db.prepare("INSERT INTO events (id, tenant_id, topic, payload, source, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
    subscribers: db.prepare<[string, string], { install_id: string; handler: string }>(
      "SELECT install_id, handler FROM triggers WHERE kind = 'event' AND tenant_id = ? AND topic = ? ORDER BY install_id, handler",
    ),
    insertJob: db.prepare(
      `INSERT INTO jobs (id, key, kind, tenant_id, install_id, handler, payload, ref, attempts, max_attempts, run_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'pending') ON CONFLICT (key) DO NOTHING`,
    ),
    dueTimers: db.prepare<[number], { tenant_id: string; install_id: string; handler: string; schedule: string; next_at: number; busy: number }>(
      `SELECT t.tenant_id, t.install_id, t.handler, t.schedule, t.next_at,
         EXISTS (SELECT 1 FROM jobs j WHERE j.install_id = t.install_id AND j.handler = t.handler AND j.kind = 'timer' AND j.status IN ('pending', 'running')) AS busy
       FROM triggers t WHERE t.kind = 'timer' AND t.next_at <= ? ORDER BY t.next_at, t.install_id, t.handler`,
    ),
    nextTimerAt: db.prepare<[], { at: number | null }>("SELECT MIN(next_at) AS at FROM triggers WHERE kind = 'timer'"),
    moveTimer: db.prepare("UPDATE triggers SET next_at = ? WHERE install_id = ? AND handler = ? AND kind = 'timer' AND next_at = ?"),
    insertTimerJob: db.prepare(
      `INSERT INTO jobs (id, key, kind, tenant_id, install_id, handler, payload, ref, attempts, max_attempts, run_at, status)
       SELECT ?, ?, 'timer', tenant_id, install_id, handler, 'null', ?, 0, ?, ?, 'pending' FROM triggers WHERE install_id = ? AND handler = ?
       ON CONFLICT (key) DO NOTHING`,
    ),
    // One statement marks the due jobs running and returns them, at most `perTenant` less its runs
    // in flight (a JSON object) for each tenant, so jobs are not claimed only to be put back.
    claimJobs: db.prepare<[number, number, string, number], JobRow & { rid: number }>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, owner = ${owner} WHERE id IN (
         SELECT id FROM (
           SELECT id, run_at, rowid AS r, tenant_id, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY run_at, rowid) AS n
           FROM jobs WHERE status = 'pending' AND run_at <= ?
         ) WHERE n <= ? - COALESCE((SELECT value FROM json_each(?) WHERE key = tenant_id), 0)
         ORDER BY run_at, r LIMIT ?
       ) RETURNING rowid AS rid, *`,
    ),
    setJob: db.prepare("UPDATE jobs SET status = ? WHERE id = ?"),
    retryJob: db.prepare("UPDATE jobs SET status = 'pending', run_at = ? WHERE id = ?"),
    releaseJob: db.prepare("UPDATE jobs SET status = 'pending', attempts = attempts - 1 WHERE id = ? AND status = 'running'"),
    requeueEvents: db.prepare(`UPDATE jobs SET status = 'pending', run_at = ? WHERE status = 'running' AND kind = 'event' AND ${ORPHANED}`),
    abandonTimers: db.prepare(`UPDATE jobs SET status = 'done' WHERE status = 'running' AND kind = 'timer' AND ${ORPHANED}`),
    depth: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('pending', 'running')"),
  };

  // Group commit: the single-row writes of runs and jobs issued in one turn of the event loop
  // share one transaction, committed before any of their promises resolves. Under load this
  // turns dozens of commits into one; a lone write waits only for the end of the current turn.
  let pending: { apply: () => void; resolve: () => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    // close() may have flushed already.
    if (batch.length === 0) return;
    try {
      db.transaction(() => batch.forEach((w) => w.apply()))();
      batch.forEach((w) => w.resolve());
    } catch {
      // The transaction rolled back as a whole; each write is tried alone so one bad write fails only itself.
      for (const w of batch) {
        try {
          w.apply();
          w.resolve();
        } catch (error) {
          w.reject(error);
        }
      }
    }
  };
  const grouped = (apply: () => void) =>
    new Promise<void>((resolve, reject) => {
      if (pending.push({ apply, resolve, reject }) === 1) setImmediate(flush);
    });

  // This process is the only writer of tenants and installs in its file, so both are read from
  // memory after the first query: every request authenticates its tenant and reads its install.
  // Records are frozen because callers share them. Tenants never change; an install's entry is
  // replaced or dropped by the writes below.
  const tenantsByHash = new Map<string, Tenant>();
  const installsById = new Map<string, InstallRecord>();
  const remember = (i: InstallRecord) => {
    if (installsById.size >= INSTALL_CACHE_SIZE) installsById.delete(installsById.keys().next().value!);
    installsById.set(i.id, deepFreeze(structuredClone(i)));
    return installsById.get(i.id)!;
  };

  const insertTriggers = (i: InstallRecord, triggers: readonly Trigger[], keptNextAt: (t: Extract<Trigger, { kind: "timer" }>) => number = (t) => t.firstAt) => {
    for (const t of triggers) {
      if (t.kind === "timer") q.insertTrigger.run(i.id, i.tenantId, t.handler, "timer", null, t.schedule, keptNextAt(t));
      else q.insertTrigger.run(i.id, i.tenantId, t.handler, "event", t.topic, null, null);
    }
  };
  const putCredential = (installId: string, c: SealedCredential) => q.upsertCredential.run(installId, c.keyId, c.iv, c.tag, c.ciphertext);

  const createInstall = db.transaction((i: InstallRecord, credential: SealedCredential | null, triggers: Parameters<ServiceStore["createInstall"]>[2]) => {
    q.insertInstall.run(installRow(i));
    if (credential) putCredential(i.id, credential);
    insertTriggers(i, triggers);
  });
  const updateInstall = db.transaction((i: InstallRecord, credential: SealedCredential | null | undefined) => {
    if (q.integrityOf.get(i.tenantId, i.id)?.integrity !== i.integrity) return false;
    q.updateInstall.run(installRow(i));
    if (credential === null) q.deleteCredential.run(i.id);
    else if (credential) putCredential(i.id, credential);
    return true;
  });
  const switchVersion = db.transaction((i: InstallRecord, fromIntegrity: string, triggers: readonly Trigger[], credential: SealedCredential | null | undefined) => {
    if (q.integrityOf.get(i.tenantId, i.id)?.integrity !== fromIntegrity) return false;
    q.updateInstall.run(installRow(i));
    if (credential === null) q.deleteCredential.run(i.id);
    else if (credential) putCredential(i.id, credential);
    const timers = new Map(q.triggersOf.all(i.id).filter((t) => t.kind === "timer").map((t) => [t.handler, t]));
    q.deleteTriggers.run(i.id);
    insertTriggers(i, triggers, (t) => {
      const before = timers.get(t.handler);
      return before?.schedule === t.schedule && before.next_at !== null ? before.next_at : t.firstAt;
    });
    q.dropUntriggeredJobs.run(i.id, JSON.stringify(triggers.map((t) => t.handler)));
    return true;
  });
  const purgeExpired = db.transaction((rules: readonly PurgeRule[]) => {
    const counts = { runs: 0, jobs: 0, events: 0, idempotency: 0 };
    for (const r of rules) {
      const rule = { tier: r.tier, before: r.before, keepPayloads: r.keepPayloads ? 1 : 0 };
      counts.runs += q.purgeRuns.run({ tier: rule.tier, before: rule.before }).changes;
      counts.jobs += q.purgeJobs.run(rule).changes;
      counts.idempotency += q.purgeIdem.run({ tier: rule.tier, before: rule.before }).changes;
    }
    counts.events = q.purgeEvents.run().changes;
    return counts;
  });
  const deleteInstall = db.transaction((tenantId: string, id: string) => {
    if (!q.getInstall.get(tenantId, id)) return false;
    for (const stmt of q.deleteInstallRows) stmt.run(id);
    return q.deleteInstall.run(tenantId, id).changes > 0;
  });
  const claimIdem = db.transaction((installId: string, key: string, fingerprint: string, now: number) => {
    const row = q.getIdem.get(installId, key);
    if (!row) {
      q.insertIdem.run(installId, key, fingerprint, now);
      return { state: "new" as const };
    }
    if (row.fingerprint !== fingerprint) return { state: "mismatch" as const };
    return row.response === null ? { state: "pending" as const } : { state: "done" as const, response: JSON.parse(row.response) };
  });
  const publishEvent = db.transaction((e: Parameters<ServiceStore["publishEvent"]>[0], maxAttempts: number) => {
    q.insertEvent.run(e.id, e.tenantId, e.topic, JSON.stringify(e.payload ?? null), e.source, e.createdAt);
    const subs = q.subscribers.all(e.tenantId, e.topic);
    const payload = JSON.stringify(e.payload ?? null);
    for (const s of subs) q.insertJob.run(timeOrderedId(), `event:${e.id}:${s.install_id}:${s.handler}`, "event", e.tenantId, s.install_id, s.handler, payload, e.id, maxAttempts, e.createdAt);
    return subs.length;
  });
  const advanceTimers = db.transaction((moves: readonly TimerMove[]) =>
    moves.map(({ installId, handler, expectedNextAt, nextAt, fire }) => {
      if (q.moveTimer.run(nextAt, installId, handler, expectedNextAt).changes === 0) return false;
      if (fire) q.insertTimerJob.run(timeOrderedId(), `timer:${installId}:${handler}:${fire.slot}`, new Date(fire.slot).toISOString(), fire.maxAttempts, fire.slot, installId, handler);
      return true;
    }),
  );
  // RETURNING gives rows in no particular order; jobs start oldest first.
  const claim = (now: number, limit: number, room: TenantRoom = { perTenant: Number.MAX_SAFE_INTEGER, inFlight: {} }) =>
    q.claimJobs.all(now, room.perTenant, JSON.stringify(room.inFlight), limit).sort((a, b) => a.run_at - b.run_at || a.rid - b.rid).map(toJob);
  const recover = db.transaction((now: number) => ({
    requeued: q.requeueEvents.run(now).changes,
    abandoned: q.abandonTimers.run().changes,
  }));

  const jobs: JobQueue = {
    claim: async (now, limit, room) => claim(now, limit, room),
    complete: (id) => grouped(() => q.setJob.run("done", id)),
    retry: (id, runAt) => grouped(() => q.retryJob.run(runAt, id)),
    bury: (id) => grouped(() => q.setJob.run("dead", id)),
    release: (id) => grouped(() => q.releaseJob.run(id)),
    recover: async (now) => recover.immediate(now),
    depth: async () => q.depth.get()!.n,
  };

  return {
    async createTenant(t, tokenHash) {
      q.insertTenant.run(t.id, t.name, tokenHash, JSON.stringify(t.bindings), t.createdAt);
    },
    async tenantByTokenHash(hash) {
      const cached = tenantsByHash.get(hash);
      if (cached) return cached;
      const r = q.tenantByHash.get(hash);
      if (!r) return null;
      const tenant = deepFreeze({ id: r.id, name: r.name, bindings: JSON.parse(r.bindings), createdAt: r.created_at });
      tenantsByHash.set(hash, tenant);
      return tenant;
    },
    async createInstall(i, credential, triggers) {
      createInstall.immediate(i, credential, triggers);
      remember(i);
    },
    async getInstall(tenantId, id) {
      const cached = installsById.get(id);
      if (cached) return cached.tenantId === tenantId ? cached : null;
      const r = q.getInstall.get(tenantId, id);
      return r ? remember(toInstall(r)) : null;
    },
    async listInstalls(tenantId, opts: PageOptions = {}) {
      const limit = pageLimit(opts.limit);
      const after = decodePageCursor(`installs:${tenantId}`, opts.cursor) ?? 0;
      return page(`installs:${tenantId}`, q.listInstalls.all(tenantId, after, limit + 1), limit, toInstall);
    },
    async updateInstall(i, credential) {
      installsById.delete(i.id);
      return updateInstall.immediate(i, credential);
    },
    async deleteInstall(tenantId, id) {
      const deleted = deleteInstall.immediate(tenantId, id);
      if (deleted) installsById.delete(id);
      return deleted;
    },
    async switchVersion(i, fromIntegrity, triggers, credential) {
      installsById.delete(i.id);
      return switchVersion.immediate(i, fromIntegrity, triggers, credential);
    },
    async setPendingUpgrade(tenantId, installId, integrity, pending) {
      installsById.delete(installId);
      return q.setPending.run(pending && JSON.stringify(pending), tenantId, installId, integrity).changes > 0;
    },
    async installsFollowingRanges() {
      return q.following.all().map(toInstall);
    },
    async installsWithoutRetentionTier(limit) {
      return q.withoutTier.all(limit).map(toInstall);
    },
    async setRetentionTier(installId, integrity, tier) {
      installsById.delete(installId);
      q.setTier.run(tier, installId, integrity);
    },
    async purgeExpired(rules) {
      // Runs and job bookkeeping written in this turn are committed first, so none is half-purged.
      if (pending.length > 0) flush();
      return purgeExpired.immediate(rules);
    },
    async getCredential(tenantId, installId) {
      const r = q.getCredential.get(tenantId, installId);
      return r ? { keyId: r.key_id, iv: r.iv, tag: r.tag, ciphertext: r.ciphertext } : null;
    },
    async credentialsSealedWithOtherKeys(keyId, limit) {
      return q.otherKeys.all(keyId, limit).map((r) => ({ installId: r.install_id, sealed: { keyId: r.key_id, iv: r.iv, tag: r.tag, ciphertext: r.ciphertext } }));
    },
    async resealCredential(installId, before, after) {
      return q.reseal.run(after.keyId, after.iv, after.tag, after.ciphertext, installId, before.keyId, before.iv, before.ciphertext).changes > 0;
    },
    createRun(run) {
      const row = { ...run, error: run.error && JSON.stringify(run.error), logs: JSON.stringify(run.logs) };
      return grouped(() => q.insertRun.run(row));
    },
    finishRun(id, o) {
      const error = o.error && JSON.stringify(o.error);
      const logs = JSON.stringify(o.logs);
      return grouped(() => q.finishRun.run(o.status, o.finishedAt, o.durationMs, error, o.limitHit, logs, id));
    },
    async getRun(tenantId, id) {
      const r = q.getRun.get(tenantId, id);
      return r ? toRun(r) : null;
    },
    async listRuns(tenantId, installId, opts: PageOptions = {}) {
      const limit = pageLimit(opts.limit);
      const list = `runs:${tenantId}:${installId}`;
      const before = decodePageCursor(list, opts.cursor) ?? Number.MAX_SAFE_INTEGER;
      return page(list, q.listRuns.all(tenantId, installId, before, limit + 1), limit, toRun);
    },
    async interruptRunningRuns(now) {
      return q.interruptRuns.run(now, INTERRUPTED_ERROR).changes;
    },
    async claimIdempotencyKey(installId, key, fingerprint, now) {
      return claimIdem.immediate(installId, key, fingerprint, now);
    },
    async completeIdempotencyKey(installId, key, response) {
      q.completeIdem.run(JSON.stringify(response), installId, key);
    },
    async releaseIdempotencyKey(installId, key) {
      q.releaseIdem.run(installId, key);
    },
    async releasePendingIdempotencyKeys() {
      return q.releasePendingIdem.run().changes;
    },
    async publishEvent(event, maxAttempts) {
      return publishEvent.immediate(event, maxAttempts);
    },
    async dueTimers(now): Promise<TimerState[]> {
      return q.dueTimers.all(now).map((r) => ({ tenantId: r.tenant_id, installId: r.install_id, handler: r.handler, schedule: r.schedule, nextAt: r.next_at, busy: r.busy === 1 }));
    },
    async nextTimerAt() {
      return q.nextTimerAt.get()!.at;
    },
    async advanceTimers(moves) {
      return moves.length === 0 ? [] : advanceTimers.immediate(moves);
    },
    jobs,
    installData,
    lifecycle: sqliteLifecycleStore(db),
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (pending.length > 0) flush();
      await checkpointer.stop();
      installData.close();
      db.close();
    },
  };
}
