/**
 * The job queue of a fleet: pg-boss 10 on the shared PostgreSQL, in its own schema. Timer slots go
 * to one queue, event deliveries to another; pg-boss owns their states, the fetch that never hands
 * one job to two processes (SKIP LOCKED), retries with exponential backoff, dead letters (a third
 * queue), the expiry of jobs a vanished process held, and archiving. Jobs are inserted through the
 * caller's transaction, so an event and its deliveries, or a timer's move and its slot, commit
 * together. A job's id is derived from its key, so the same slot or delivery enqueued twice is
 * stored once. This process's claims are recorded with its lease (postgres-process-lease.ts): a
 * peer that sees the lease gone returns those jobs to pg-boss at once instead of waiting for them
 * to expire. pg-boss reads its own clock (the database's), not the runtime's: `now` is ignored.
 */
import PgBoss from "pg-boss";
import type pg from "pg";
import { v5 as uuidv5 } from "uuid";
import type { Job, JobKind, JobQueue, TenantRoom } from "../scheduler/job-queue.js";
import { inTransaction } from "./postgres-pool.js";
import type { ProcessLease } from "./postgres-process-lease.js";
import { batchStatements } from "./postgres-statement-batcher.js";

export const QUEUE_SCHEMA = "ihub_queue";
export const QUEUES: Record<JobKind, string> = { timer: "ihub_timer", event: "ihub_event" };
export const DEAD_LETTERS = "ihub_event_dead";
/** A run lasts at most 900 s (the manifest's timeoutMs cap): a job active longer than this was held by a process that is gone. */
export const EXPIRE_SECONDS = 960;
/**
 * Jobs fetched from each queue per claim. Small, because a fetched job whose tenant is at its cap
 * goes back: a large batch would churn a backlogged tenant's jobs on every step. The worker claims
 * again at once while claims return work.
 */
const FETCH_BATCH = 64;
/** The namespace of job ids derived from job keys (any fixed UUID). */
const JOB_ID_SPACE = "5f0c8e8e-4c1b-4d57-9d0e-6a3f1d2b7c41";

/**
 * What a job carries in pg-boss; `attempts` and `maxAttempts` come from pg-boss's retry count and
 * limit. A delivery's payload stays in the `events` row (read when the job is claimed), so the
 * retention sweep, not pg-boss's archive, decides how long a payload is kept.
 */
type JobData = Pick<Job, "key" | "kind" | "tenantId" | "installId" | "handler" | "ref">;
export type NewJob = JobData & { maxAttempts: number; runAt: number };

const queueOf = (kind: JobKind) => QUEUES[kind];
/** Job ids name their queue, so a job is completed or failed in the right one: `<queue>:<uuid>`. */
const jobId = (queue: string, uuid: string) => `${queue}:${uuid}`;
function parseJobId(id: string): { queue: string; uuid: string } {
  const at = id.lastIndexOf(":");
  return { queue: id.slice(0, at), uuid: id.slice(at + 1) };
}
/** Job ids grouped by queue, as pg-boss takes them: uuids of one queue per call. */
function byQueue(ids: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { queue, uuid } of ids.map(parseJobId)) {
    const uuids = out.get(queue);
    if (uuids) uuids.push(uuid);
    else out.set(queue, [uuid]);
  }
  return out;
}
/** Timer jobs carry `<install>:<handler>` as their singleton key, which is how a pending slot makes its timer busy. */
export const timerKey = (installId: string, handler: string) => `${installId}:${handler}`;

type Executor = { query: pg.Pool["query"] | pg.PoolClient["query"] };
const through = (c: Executor): PgBoss.Db => ({ executeSql: (text, values) => c.query(text, values) as Promise<{ rows: unknown[] }> });

export type PostgresJobQueue = {
  queue: JobQueue;
  /** Inserts jobs within the caller's transaction; a job whose key is already queued is not added again. */
  enqueue(client: pg.PoolClient, jobs: readonly NewJob[]): Promise<void>;
  /** Drops an install's jobs that have not started, all of them or those of handlers not in `keep`. */
  dropPending(client: pg.PoolClient, installId: string, keep?: readonly string[]): Promise<void>;
  /** SQL true for the timer `t` (a `triggers` row) while a job of it waits or runs. */
  timerBusy(t: string): string;
  /** SQL true for the event `e` (an `events` row) while a delivery of it waits or runs. */
  eventPending(e: string): string;
  stop(): Promise<void>;
};

export async function openPostgresJobQueue(pool: pg.Pool, lease: ProcessLease, onError: (error: Error) => void): Promise<PostgresJobQueue> {
  const boss = new PgBoss({
    db: through(pool),
    schema: QUEUE_SCHEMA,
    // Cron schedules are minute-grained; timers are slots this runtime enqueues itself.
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: 30,
    archiveCompletedAfterSeconds: 300,
  });
  boss.on("error", onError);
  await boss.start();
  await boss.createQueue(DEAD_LETTERS);
  await boss.createQueue(QUEUES.event, { name: QUEUES.event, retryBackoff: true, retryDelay: 1, expireInSeconds: EXPIRE_SECONDS, deadLetter: DEAD_LETTERS });
  await boss.createQueue(QUEUES.timer, { name: QUEUES.timer, retryLimit: 0, expireInSeconds: EXPIRE_SECONDS });
  const { owner } = lease;

  const dropClaims = async (uuids: readonly string[]) => {
    await pool.query("DELETE FROM queue_claims WHERE job_id = ANY($1::uuid[])", [uuids]);
  };

  /**
   * Un-claims jobs that did not start: back to waiting (started_on cleared, so the next fetch counts
   * no attempt), one priority step lower, so other tenants' waiting jobs are fetched before them.
   */
  async function unclaim(queue: string, uuids: string[]): Promise<void> {
    // pg-boss 10 has no call for this: it is its own job table's shape, pinned with the version.
    await pool.query(`UPDATE ${QUEUE_SCHEMA}.job SET state = 'created', started_on = NULL, priority = priority - 1 WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`, [queue, uuids]);
    await dropClaims(uuids);
  }

  async function eventPayloads(ids: string[]): Promise<Map<string, unknown>> {
    const rows = (await pool.query<{ id: string; payload: string }>("SELECT id, payload FROM events WHERE id = ANY($1::text[])", [ids])).rows;
    return new Map(rows.map((r) => [r.id, JSON.parse(r.payload)]));
  }

  async function fetchFrom(kind: JobKind, limit: number): Promise<Job[]> {
    const queue = queueOf(kind);
    const fetched = await boss.fetch<JobData>(queue, { batchSize: Math.min(limit, FETCH_BATCH), includeMetadata: true });
    if (fetched.length === 0) return [];
    await pool.query(
      "INSERT INTO queue_claims (job_id, queue, owner, install_id, handler) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[])",
      [fetched.map((j) => j.id), fetched.map(() => queue), fetched.map(() => owner), fetched.map((j) => j.data.installId), fetched.map((j) => j.data.handler)],
    );
    const payloads = kind === "event" ? await eventPayloads(fetched.map((j) => j.data.ref)) : new Map<string, unknown>();
    // RETURNING gives rows in no particular order; jobs start oldest first.
    fetched.sort((x, y) => x.startAfter.getTime() - y.startAfter.getTime() || x.createdOn.getTime() - y.createdOn.getTime());
    return fetched.map((j) => ({
      ...j.data,
      payload: payloads.get(j.data.ref) ?? null,
      id: jobId(queue, j.id),
      attempts: j.retryCount + 1,
      maxAttempts: j.retryLimit + 1,
      runAt: j.startAfter.getTime(),
      status: "running",
    }));
  }

  const settle = async (id: string, act: (queue: string, uuid: string) => Promise<unknown>) => {
    const { queue, uuid } = parseJobId(id);
    await act(queue, uuid);
    await dropClaims([uuid]);
  };
  // Every run completes its job: batched across concurrent runs (postgres-statement-batcher.ts).
  const completeJobs = batchStatements<string, void>(async (ids) => {
    for (const [q, uuids] of byQueue(ids)) await boss.complete(q, uuids);
    await dropClaims(ids.map((id) => parseJobId(id).uuid));
    return ids.map(() => undefined);
  });

  const queue: JobQueue = {
    async claim(_now, limit, room?: TenantRoom) {
      // Timer slots first: they are due now, deliveries can wait a poll.
      const timers = await fetchFrom("timer", limit);
      const jobs = [...timers, ...(timers.length < limit ? await fetchFrom("event", limit - timers.length) : [])];
      if (!room) return jobs;
      const taken = new Map(Object.entries(room.inFlight));
      const kept: Job[] = [];
      const over: string[] = [];
      for (const job of jobs) {
        const n = taken.get(job.tenantId) ?? 0;
        if (n < room.perTenant) {
          taken.set(job.tenantId, n + 1);
          kept.push(job);
        } else over.push(job.id);
      }
      for (const [q, uuids] of byQueue(over)) await unclaim(q, uuids);
      return kept;
    },
    complete: completeJobs,
    // pg-boss applies the queue's backoff (1 s doubling, with jitter, on the database's clock), not `runAt`.
    retry: (id) => settle(id, (q, uuid) => boss.fail(q, uuid)),
    bury: (id) =>
      settle(id, (q, uuid) =>
        inTransaction(pool, async (client) => {
          const [job] = (await client.query<{ data: JobData }>(`SELECT data FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = $2`, [q, uuid])).rows;
          await boss.cancel(q, uuid, { db: through(client) });
          if (job) await boss.send(DEAD_LETTERS, job.data, { db: through(client) });
        }),
      ),
    release: async (id) => {
      const { queue: q, uuid } = parseJobId(id);
      await unclaim(q, [uuid]);
    },
    async recover() {
      const orphans = (await pool.query<{ job_id: string; queue: string }>(`DELETE FROM queue_claims WHERE ${lease.orphaned} RETURNING job_id, queue`)).rows;
      const ofQueue = (q: string) => orphans.filter((o) => o.queue === q).map((o) => o.job_id);
      const events = ofQueue(QUEUES.event);
      const timers = ofQueue(QUEUES.timer);
      // A delivery goes back with one attempt spent (at least once); a timer slot is finished, never run twice.
      if (events.length > 0) await boss.fail(QUEUES.event, events);
      if (timers.length > 0) await boss.complete(QUEUES.timer, timers);
      return { requeued: events.length, abandoned: timers.length };
    },
    async depth() {
      const sizes = await Promise.all(Object.values(QUEUES).map((q) => boss.getQueueSize(q, { before: "completed" })));
      return sizes.reduce((a, b) => a + b, 0);
    },
  };

  return {
    queue,
    async enqueue(client, jobs) {
      if (jobs.length === 0) return;
      await boss.insert(
        jobs.map(({ maxAttempts, runAt, ...data }) => ({
          id: uuidv5(data.key, JOB_ID_SPACE),
          name: queueOf(data.kind),
          data,
          retryLimit: maxAttempts - 1,
          startAfter: new Date(runAt).toISOString(),
          ...(data.kind === "timer" ? { singletonKey: timerKey(data.installId, data.handler) } : {}),
        })),
        { db: through(client) },
      );
    },
    async dropPending(client, installId, keep) {
      await client.query(
        `DELETE FROM ${QUEUE_SCHEMA}.job WHERE name = ANY($1::text[]) AND state < 'active' AND data->>'installId' = $2 AND NOT (data->>'handler' = ANY($3::text[]))`,
        [Object.values(QUEUES), installId, keep ?? []],
      );
    },
    timerBusy: (t) =>
      `(EXISTS (SELECT 1 FROM queue_claims c WHERE c.install_id = ${t}.install_id AND c.handler = ${t}.handler AND c.queue = '${QUEUES.timer}')
        OR EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.job j WHERE j.name = '${QUEUES.timer}' AND j.state < 'active' AND j.singleton_key = ${t}.install_id || ':' || ${t}.handler))`,
    eventPending: (e) => `EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.job j WHERE j.name = '${QUEUES.event}' AND j.state < 'completed' AND j.data->>'ref' = ${e}.id)`,
    stop: () => boss.stop({ graceful: false, close: false, wait: true }),
  };
}
