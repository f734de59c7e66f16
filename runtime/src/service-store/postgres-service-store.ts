/**
 * The ServiceStore on PostgreSQL (node-postgres pool): what `ihub runtime start --db postgres://…`
 * runs on, so several runtime processes share tenants, installs, credentials, runs and queues.
 * Unlike the SQLite store, nothing but tenants (which never change) is kept in memory: another
 * process may change an install at any time. Multi-row changes are transactions; the statements
 * every run makes are group-committed across concurrent runs (postgres-statement-batcher.ts). The job queue is
 * pg-boss (postgres-job-queue.ts), written in the same transactions as the events and timer moves
 * that enqueue. Runs, claimed jobs and reserved keys name the process that owns them, so recovery
 * touches only the work of processes that are gone (postgres-process-lease.ts).
 */
import type pg from "pg";
import { systemClock, type Clock } from "../storage/install-store.js";
import { postgresStorage } from "../storage/postgres-storage.js";
import type { SealedCredential } from "../vault/credential-vault.js";
import { decodePageCursor, pageLimit } from "./page-cursor.js";
import { postgresLifecycleStore } from "./postgres-lifecycle-store.js";
import { openPostgresJobQueue, timerKey, type PostgresJobQueue } from "./postgres-job-queue.js";
import { inTransaction, openPool } from "./postgres-pool.js";
import { migrate } from "./postgres-migrations.js";
import { holdProcessLease, type ProcessLease } from "./postgres-process-lease.js";
import { batchStatements } from "./postgres-statement-batcher.js";
import type { InstallRecord, PageOptions, RunOutcome, RunRecord, ServiceStore, Tenant, TimerState, Trigger } from "./service-store.js";
import { INSTALL_OWNED_TABLES, INTERRUPTED_ERROR, installRow, page, toInstall, toRun, type InstallRow, type RunRow } from "./service-store-rows.js";

const credentialOf = (r: { key_id: string; iv: string; tag: string; ciphertext: string }): SealedCredential => ({ keyId: r.key_id, iv: r.iv, tag: r.tag, ciphertext: r.ciphertext });
/** The install columns a write sets, in the order installValues gives their values. */
const INSTALL_COLUMNS = ["slug", "version", "range", "integrity", "config", "bindings", "credential_fields", "warnings", "updated_at", "retention_tier", "follow_range", "previous", "pending_upgrade"] as const;
const installValues = (i: InstallRecord) => {
  const r = installRow(i);
  return [r.slug, r.version, r.range, r.integrity, r.config, r.bindings, r.credentialFields, r.warnings, r.updatedAt, r.retentionTier, r.followRange, r.previous, r.pendingUpgrade];
};
/** UPDATE of every install column from $3 on, for the install $1 of tenant $2. */
const UPDATE_INSTALL = `UPDATE installs SET ${INSTALL_COLUMNS.map((c, n) => `${c} = $${n + 3}`).join(", ")} WHERE id = $1 AND tenant_id = $2`;
const UPSERT_CREDENTIAL =
  "INSERT INTO credentials (install_id, key_id, iv, tag, ciphertext) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (install_id) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, tag = excluded.tag, ciphertext = excluded.ciphertext";

/**
 * Opens a pool on `url`, takes this process's lease, starts the queue (pg-boss brings its own
 * schema up under its lock) and brings the store's schema to the newest version (under the
 * migration lock) before answering. `onQueueError` hears pg-boss's background failures.
 */
export async function postgresServiceStore(url: string, clock: Clock = systemClock, onQueueError: (error: Error) => void = () => undefined): Promise<ServiceStore> {
  const pool = openPool(url);
  let lease: ProcessLease | undefined;
  let boss: PostgresJobQueue | undefined;
  try {
    lease = await holdProcessLease(url);
    await migrate(pool, async () => {
      boss = await openPostgresJobQueue(pool, lease!, onQueueError);
    });
  } catch (error) {
    await boss?.stop();
    await lease?.release();
    await pool.end();
    throw error;
  }
  const { owner } = lease;
  const queue = boss!;
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await pool.query<R>(sql, params)).rows;
  const changes = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rowCount ?? 0;

  // Every run reads its install and credential and writes its run twice: batched across concurrent runs (postgres-statement-batcher.ts).
  const ofTenant = <R extends pg.QueryResultRow>(select: string) =>
    batchStatements<{ tenantId: string; id: string }, R | null>(async (keys) => {
      const rows = await query<R & { n: number }>(
        `SELECT q.n, ${select} WITH ORDINALITY AS q(tenant_id, id, n) ON q.tenant_id = i.tenant_id AND q.id = i.id`,
        [keys.map((k) => k.tenantId), keys.map((k) => k.id)],
      );
      const found: (R | null)[] = keys.map(() => null);
      for (const r of rows) found[r.n - 1] = r;
      return found;
    });
  const readInstall = ofTenant<InstallRow>("i.* FROM installs i JOIN unnest($1::text[], $2::text[])");
  const readCredential = ofTenant<{ key_id: string; iv: string; tag: string; ciphertext: string }>(
    "c.key_id, c.iv, c.tag, c.ciphertext FROM credentials c JOIN installs i ON i.id = c.install_id JOIN unnest($1::text[], $2::text[])",
  );
  const insertRuns = batchStatements<RunRecord, void>(async (runs) => {
    await query(
      `INSERT INTO runs (owner, id, tenant_id, install_id, handler, trigger, trigger_ref, version, attempt, status, started_at, finished_at, duration_ms, error, limit_hit, logs)
       SELECT $1, id, tenant_id, install_id, handler, trigger, trigger_ref, version, attempt, status, started_at, finished_at, duration_ms, error, limit_hit, logs
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::bigint[], $12::bigint[], $13::float8[], $14::text[], $15::text[], $16::text[])
         WITH ORDINALITY AS r(id, tenant_id, install_id, handler, trigger, trigger_ref, version, attempt, status, started_at, finished_at, duration_ms, error, limit_hit, logs, n)
       ORDER BY n`,
      [
        owner, runs.map((r) => r.id), runs.map((r) => r.tenantId), runs.map((r) => r.installId), runs.map((r) => r.handler), runs.map((r) => r.trigger), runs.map((r) => r.triggerRef),
        runs.map((r) => r.version), runs.map((r) => r.attempt), runs.map((r) => r.status), runs.map((r) => r.startedAt), runs.map((r) => r.finishedAt), runs.map((r) => r.durationMs),
        runs.map((r) => r.error && JSON.stringify(r.error)), runs.map((r) => r.limitHit), runs.map((r) => JSON.stringify(r.logs)),
      ],
    );
    return runs.map(() => undefined);
  });
  const finishRuns = batchStatements<{ id: string; outcome: RunOutcome }, void>(async (done) => {
    const o = done.map((d) => d.outcome);
    await query(
      `UPDATE runs SET status = u.status, finished_at = u.finished_at, duration_ms = u.duration_ms, error = u.error, limit_hit = u.limit_hit, logs = u.logs
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[], $5::text[], $6::text[], $7::text[]) AS u(id, status, finished_at, duration_ms, error, limit_hit, logs)
       WHERE runs.id = u.id`,
      [done.map((d) => d.id), o.map((x) => x.status), o.map((x) => x.finishedAt), o.map((x) => x.durationMs), o.map((x) => x.error && JSON.stringify(x.error)), o.map((x) => x.limitHit), o.map((x) => JSON.stringify(x.logs))],
    );
    return done.map(() => undefined);
  });

  const tenantsByHash = new Map<string, Tenant>();

  /** `credential` undefined keeps the stored one; null removes it. */
  const putCredential = async (c: pg.PoolClient, installId: string, credential: SealedCredential | null | undefined) => {
    if (credential === null) await c.query("DELETE FROM credentials WHERE install_id = $1", [installId]);
    else if (credential) await c.query(UPSERT_CREDENTIAL, [installId, credential.keyId, credential.iv, credential.tag, credential.ciphertext]);
  };
  const insertTriggers = async (c: pg.PoolClient, i: InstallRecord, triggers: readonly Trigger[], nextAt: (t: Extract<Trigger, { kind: "timer" }>) => number = (t) => t.firstAt) => {
    for (const t of triggers) {
      await c.query("INSERT INTO triggers (install_id, tenant_id, handler, kind, topic, schedule, next_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
        i.id, i.tenantId, t.handler, t.kind, t.kind === "event" ? t.topic : null, t.kind === "timer" ? t.schedule : null, t.kind === "timer" ? nextAt(t) : null,
      ]);
    }
  };
  /** Locks the install row for the transaction and says whether it still has `integrity`: a write checked against another version is refused. */
  const lockIntegrity = async (c: pg.PoolClient, i: InstallRecord, integrity: string) =>
    (await c.query<{ integrity: string }>("SELECT integrity FROM installs WHERE tenant_id = $1 AND id = $2 FOR UPDATE", [i.tenantId, i.id])).rows[0]?.integrity === integrity;

  const claimIdempotencyKey: ServiceStore["claimIdempotencyKey"] = async (installId, key, fingerprint, now) => {
    const inserted = await changes("INSERT INTO idempotency (install_id, key, fingerprint, response, created_at, owner) VALUES ($1, $2, $3, NULL, $4, $5) ON CONFLICT DO NOTHING", [installId, key, fingerprint, now, owner]);
    if (inserted > 0) return { state: "new" };
    const [row] = await query<{ fingerprint: string; response: string | null }>("SELECT fingerprint, response FROM idempotency WHERE install_id = $1 AND key = $2", [installId, key]);
    // Released between the two statements: the key is free again.
    if (!row) return claimIdempotencyKey(installId, key, fingerprint, now);
    if (row.fingerprint !== fingerprint) return { state: "mismatch" };
    return row.response === null ? { state: "pending" } : { state: "done", response: JSON.parse(row.response) };
  };

  return {
    async createTenant(t, tokenHash) {
      await changes("INSERT INTO tenants (id, name, token_hash, bindings, created_at) VALUES ($1, $2, $3, $4, $5)", [t.id, t.name, tokenHash, JSON.stringify(t.bindings), t.createdAt]);
    },
    async tenantByTokenHash(hash) {
      const cached = tenantsByHash.get(hash);
      if (cached) return cached;
      const [r] = await query<{ id: string; name: string; bindings: string; created_at: number }>("SELECT id, name, bindings, created_at FROM tenants WHERE token_hash = $1", [hash]);
      if (!r) return null;
      const tenant = Object.freeze({ id: r.id, name: r.name, bindings: JSON.parse(r.bindings), createdAt: r.created_at });
      tenantsByHash.set(hash, tenant);
      return tenant;
    },
    createInstall: (i, credential, triggers) =>
      inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO installs (id, tenant_id, created_at, ${INSTALL_COLUMNS.join(", ")}) VALUES ($1, $2, $3, ${INSTALL_COLUMNS.map((_, n) => `$${n + 4}`).join(", ")})`,
          [i.id, i.tenantId, i.createdAt, ...installValues(i)],
        );
        await putCredential(c, i.id, credential);
        await insertTriggers(c, i, triggers);
      }),
    async getInstall(tenantId, id) {
      const r = await readInstall({ tenantId, id });
      return r ? toInstall(r) : null;
    },
    async listInstalls(tenantId, opts: PageOptions = {}) {
      const limit = pageLimit(opts.limit);
      const list = `installs:${tenantId}`;
      const after = decodePageCursor(list, opts.cursor) ?? 0;
      return page(list, await query<InstallRow>("SELECT * FROM installs WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", [tenantId, after, limit + 1]), limit, toInstall);
    },
    updateInstall: (i, credential) =>
      inTransaction(pool, async (c) => {
        if (!(await lockIntegrity(c, i, i.integrity))) return false;
        await c.query(UPDATE_INSTALL, [i.id, i.tenantId, ...installValues(i)]);
        await putCredential(c, i.id, credential);
        return true;
      }),
    switchVersion: (i, fromIntegrity, triggers, credential) =>
      inTransaction(pool, async (c) => {
        if (!(await lockIntegrity(c, i, fromIntegrity))) return false;
        await c.query(UPDATE_INSTALL, [i.id, i.tenantId, ...installValues(i)]);
        await putCredential(c, i.id, credential);
        const before = (await c.query<{ handler: string; schedule: string | null; next_at: number | null }>("DELETE FROM triggers WHERE install_id = $1 RETURNING handler, kind, schedule, next_at", [i.id])).rows;
        const timers = new Map(before.filter((t) => t.schedule !== null).map((t) => [t.handler, t]));
        await insertTriggers(c, i, triggers, (t) => {
          const kept = timers.get(t.handler);
          return kept?.schedule === t.schedule && kept.next_at !== null ? kept.next_at : t.firstAt;
        });
        // Jobs of a handler the new version no longer triggers would run code that is not there.
        await queue.dropPending(c, i.id, triggers.map((t) => t.handler));
        return true;
      }),
    async setPendingUpgrade(tenantId, installId, integrity, pending) {
      return (await changes("UPDATE installs SET pending_upgrade = $1 WHERE tenant_id = $2 AND id = $3 AND integrity = $4", [pending && JSON.stringify(pending), tenantId, installId, integrity])) > 0;
    },
    async installsFollowingRanges() {
      return (await query<InstallRow>("SELECT * FROM installs WHERE follow_range = 1 ORDER BY seq")).map(toInstall);
    },
    async installsWithoutRetentionTier(limit) {
      return (await query<InstallRow>("SELECT * FROM installs WHERE retention_tier IS NULL ORDER BY seq LIMIT $1", [limit])).map(toInstall);
    },
    async setRetentionTier(installId, integrity, tier) {
      await changes("UPDATE installs SET retention_tier = $1 WHERE id = $2 AND integrity = $3", [tier, installId, integrity]);
    },
    purgeExpired: (rules) =>
      inTransaction(pool, async (c) => {
        // Finished jobs are pg-boss's to archive and hold no payload: `jobs` stays 0 here.
        const counts = { runs: 0, jobs: 0, events: 0, idempotency: 0 };
        const count = async (sql: string, params: unknown[]) => (await c.query(sql, params)).rowCount ?? 0;
        const ofTier = "install_id IN (SELECT id FROM installs WHERE retention_tier = $1)";
        for (const r of rules) {
          counts.runs += await count(`DELETE FROM runs WHERE started_at < $2 AND status <> 'running' AND ${ofTier}`, [r.tier, r.before]);
          counts.idempotency += await count(`DELETE FROM idempotency WHERE response IS NOT NULL AND created_at < $2 AND ${ofTier}`, [r.tier, r.before]);
        }
        // An event goes once no delivery of it waits or runs and no kept run refers to it, except
        // the runs of tiers that keep no payloads: those let it go as soon as they are delivered.
        const payloadless = rules.filter((r) => !r.keepPayloads).map((r) => r.tier);
        counts.events = await count(
          `DELETE FROM events e WHERE NOT ${queue.eventPending("e")}
             AND NOT EXISTS (SELECT 1 FROM runs r JOIN installs i ON i.id = r.install_id
               WHERE r.trigger = 'event' AND r.trigger_ref = e.id AND (i.retention_tier IS NULL OR i.retention_tier <> ALL($1::text[])))`,
          [payloadless],
        );
        return counts;
      }),
    deleteInstall: (tenantId, id) =>
      inTransaction(pool, async (c) => {
        // Locks the install row, so a concurrent delete of the same install waits and then finds nothing.
        if ((await c.query("SELECT 1 FROM installs WHERE tenant_id = $1 AND id = $2 FOR UPDATE", [tenantId, id])).rowCount === 0) return false;
        for (const table of INSTALL_OWNED_TABLES) if (table !== "jobs") await c.query(`DELETE FROM ${table} WHERE install_id = $1`, [id]);
        await queue.dropPending(c, id);
        return ((await c.query("DELETE FROM installs WHERE tenant_id = $1 AND id = $2", [tenantId, id])).rowCount ?? 0) > 0;
      }),
    async getCredential(tenantId, installId) {
      const r = await readCredential({ tenantId, id: installId });
      return r ? credentialOf(r) : null;
    },
    async credentialsSealedWithOtherKeys(keyId, limit) {
      const rows = await query<{ install_id: string; key_id: string; iv: string; tag: string; ciphertext: string }>(
        "SELECT install_id, key_id, iv, tag, ciphertext FROM credentials WHERE key_id <> $1 ORDER BY install_id LIMIT $2",
        [keyId, limit],
      );
      return rows.map((r) => ({ installId: r.install_id, sealed: credentialOf(r) }));
    },
    async resealCredential(installId, before, after) {
      return (
        (await changes("UPDATE credentials SET key_id = $1, iv = $2, tag = $3, ciphertext = $4 WHERE install_id = $5 AND key_id = $6 AND iv = $7 AND ciphertext = $8", [
          after.keyId, after.iv, after.tag, after.ciphertext, installId, before.keyId, before.iv, before.ciphertext,
        ])) > 0
      );
    },
    createRun: insertRuns,
    finishRun: (id, outcome) => finishRuns({ id, outcome }),
    async getRun(tenantId, id) {
      const [r] = await query<RunRow>("SELECT * FROM runs WHERE tenant_id = $1 AND id = $2", [tenantId, id]);
      return r ? toRun(r) : null;
    },
    async listRuns(tenantId, installId, opts: PageOptions = {}) {
      const limit = pageLimit(opts.limit);
      const list = `runs:${tenantId}:${installId}`;
      const before = decodePageCursor(list, opts.cursor) ?? Number.MAX_SAFE_INTEGER;
      const rows = await query<RunRow>("SELECT * FROM runs WHERE tenant_id = $1 AND install_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4", [tenantId, installId, before, limit + 1]);
      return page(list, rows, limit, toRun);
    },
    async interruptRunningRuns(now) {
      return changes(`UPDATE runs SET status = 'interrupted', finished_at = $1, error = $2 WHERE status = 'running' AND ${lease.orphaned}`, [now, INTERRUPTED_ERROR]);
    },
    claimIdempotencyKey,
    async completeIdempotencyKey(installId, key, response) {
      await changes("UPDATE idempotency SET response = $1 WHERE install_id = $2 AND key = $3", [JSON.stringify(response), installId, key]);
    },
    async releaseIdempotencyKey(installId, key) {
      await changes("DELETE FROM idempotency WHERE install_id = $1 AND key = $2 AND response IS NULL", [installId, key]);
    },
    async releasePendingIdempotencyKeys() {
      return changes(`DELETE FROM idempotency WHERE response IS NULL AND ${lease.orphaned}`);
    },
    publishEvent: (e, maxAttempts) =>
      inTransaction(pool, async (c) => {
        const payload = JSON.stringify(e.payload ?? null);
        await c.query("INSERT INTO events (id, tenant_id, topic, payload, source, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [e.id, e.tenantId, e.topic, payload, e.source, e.createdAt]);
        const subs = (await c.query<{ install_id: string; handler: string }>(
          "SELECT install_id, handler FROM triggers WHERE kind = 'event' AND tenant_id = $1 AND topic = $2 ORDER BY install_id, handler",
          [e.tenantId, e.topic],
        )).rows;
        await queue.enqueue(
          c,
          subs.map((s) => ({ key: `event:${e.id}:${s.install_id}:${s.handler}`, kind: "event", tenantId: e.tenantId, installId: s.install_id, handler: s.handler, ref: e.id, maxAttempts, runAt: e.createdAt })),
        );
        return subs.length;
      }),
    async dueTimers(now): Promise<TimerState[]> {
      const rows = await query<{ tenant_id: string; install_id: string; handler: string; schedule: string; next_at: number; busy: boolean }>(
        `SELECT t.tenant_id, t.install_id, t.handler, t.schedule, t.next_at,
           ${queue.timerBusy("t")} AS busy
         FROM triggers t WHERE t.kind = 'timer' AND t.next_at <= $1 ORDER BY t.next_at, t.install_id, t.handler`,
        [now],
      );
      return rows.map((r) => ({ tenantId: r.tenant_id, installId: r.install_id, handler: r.handler, schedule: r.schedule, nextAt: r.next_at, busy: r.busy }));
    },
    async nextTimerAt() {
      return (await query<{ at: number | null }>("SELECT MIN(next_at) AS at FROM triggers WHERE kind = 'timer'"))[0]!.at;
    },
    advanceTimers: (moves) =>
      moves.length === 0
        ? Promise.resolve([])
        : inTransaction(pool, async (c) => {
            // The conditional update is the claim: of two processes stepping one timer, one sees it not moved.
            const stepped = await c.query<{ install_id: string; handler: string; tenant_id: string }>(
              `UPDATE triggers t SET next_at = m.next_at
               FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS m(install_id, handler, expected, next_at)
               WHERE t.install_id = m.install_id AND t.handler = m.handler AND t.kind = 'timer' AND t.next_at = m.expected
               RETURNING t.install_id, t.handler, t.tenant_id`,
              [moves.map((m) => m.installId), moves.map((m) => m.handler), moves.map((m) => m.expectedNextAt), moves.map((m) => m.nextAt)],
            );
            const tenantOf = new Map(stepped.rows.map((r) => [timerKey(r.install_id, r.handler), r.tenant_id]));
            const moved = moves.map((m) => tenantOf.has(timerKey(m.installId, m.handler)));
            await queue.enqueue(
              c,
              moves.flatMap((m, i) =>
                moved[i] && m.fire
                  ? [{ key: `timer:${m.installId}:${m.handler}:${m.fire.slot}`, kind: "timer" as const, tenantId: tenantOf.get(timerKey(m.installId, m.handler))!, installId: m.installId, handler: m.handler, ref: new Date(m.fire.slot).toISOString(), maxAttempts: m.fire.maxAttempts, runAt: m.fire.slot }]
                  : [],
              ),
            );
            return moved;
          }),
    jobs: queue.queue,
    installData: postgresStorage(pool, clock),
    lifecycle: postgresLifecycleStore(pool),
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      await queue.stop();
      await pool.end();
      await lease.release();
    },
  };
}
