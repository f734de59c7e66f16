/**
 * Work without a caller, as data: a timer slot or an event delivery for one install handler.
 * A job's `key` is its idempotency key (`timer:<install>:<handler>:<slot>`,
 * `event:<event>:<install>:<handler>`): enqueueing the same key twice stores one job. Retries and
 * dead letters belong to the queue; the worker is a function of the job and the stores. The SQLite
 * store implements this on its own tables and the caller's clock; the PostgreSQL store on pg-boss
 * (postgres-job-queue.ts), which keeps its own clock (the database's) and backoff.
 */
export type JobKind = "timer" | "event";
export type JobStatus = "pending" | "running" | "done" | "dead";

export type Job = {
  id: string;
  key: string;
  kind: JobKind;
  tenantId: string;
  installId: string;
  handler: string;
  /** The handler input: the event payload, or null for a timer. */
  payload: unknown;
  /** Timer slot time or event id, recorded on the run. */
  ref: string;
  /** Attempts started so far, this one included once claimed. */
  attempts: number;
  maxAttempts: number;
  runAt: number;
  status: JobStatus;
};

/** How many more runs each tenant may start: `perTenant` less its runs in flight (absent: none). */
export type TenantRoom = { perTenant: number; inFlight: Readonly<Record<string, number>> };

export interface JobQueue {
  /**
   * Pending jobs due at `now`, oldest first, marked running with one more attempt; within each
   * tenant's room when given. May return fewer than `limit` while more are due (pg-boss fetches in
   * batches): the worker claims again while claims return work.
   */
  claim(now: number, limit: number, room?: TenantRoom): Promise<Job[]>;
  complete(id: string): Promise<void>;
  /** Back to pending at `runAt` (the caller's backoff; pg-boss applies its own instead). */
  retry(id: string, runAt: number): Promise<void>;
  /** Gives up: the job stays as a dead letter. */
  bury(id: string): Promise<void>;
  /** Un-claims a job that was not started (e.g. its tenant was at its concurrency cap). */
  release(id: string): Promise<void>;
  /**
   * After a crash: an event delivery that was running goes back to pending (at least once); a
   * timer job that was running is finished, never rerun, so no slot runs twice. In a fleet only
   * jobs claimed by this process or by one that is gone are touched, never a live peer's.
   */
  recover(now: number): Promise<{ requeued: number; abandoned: number }>;
  /** Jobs pending or running, for the queue-depth metric. */
  depth(): Promise<number>;
}
