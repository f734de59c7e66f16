/**
 * What the runtime service keeps: tenants, installs with their sealed credentials and triggers,
 * runs, idempotency records, events and the job queue, timer state. Every method is async and
 * every query that a caller can reach is scoped by tenant id, so a PostgreSQL implementation
 * (a fleet sharing one database) is another class behind the same interface, checked by the same
 * contract suite (service-store-contract.ts). Times are epoch milliseconds on the caller's clock.
 */
import type { LogRecord } from "../host/invocation-record.js";
import type { RetentionTier } from "../manifest/retention-policy.js";
import type { Storage } from "../storage/install-store.js";
import type { SealedCredential } from "../vault/credential-vault.js";
import type { JobQueue } from "../scheduler/job-queue.js";
import type { LifecycleStore } from "./lifecycle-store.js";

export type Tenant = { id: string; name: string; createdAt: number; bindings: Record<string, unknown> };

export type Binding = { url: string } | { dsn: string };

export type InstallRecord = {
  id: string;
  tenantId: string;
  slug: string;
  version: string;
  /** What the installer asked for, e.g. `^1`; upgrades stay inside it. */
  range: string;
  /** sha512 hex of the verified bundle, so a restart loads exactly the bytes that were checked. */
  integrity: string;
  config: Record<string, unknown>;
  bindings: Record<string, Binding>;
  /** Names of the credential fields that are set; the values live only in the sealed record. */
  credentialFields: string[];
  warnings: string[];
  createdAt: number;
  updatedAt: number;
  /** The installed version's tier; null for an install made before tiers were recorded, until the retention sweep reads it from the bundle. */
  retentionTier: RetentionTier | null;
  /** Whether the runtime moves the install to newer versions in its range by itself. */
  followRange: boolean;
  /** What the last upgrade or rollback left, so a rollback can return to it. */
  previous: InstalledVersion | null;
  /** A newer version the install cannot move to by itself, and why. */
  pendingUpgrade: PendingUpgrade | null;
};

/** The part of an install that belongs to its version: what a rollback restores. */
export type InstalledVersion = Pick<InstallRecord, "version" | "range" | "integrity" | "config" | "bindings" | "retentionTier" | "warnings">;

/** A change named by a message and a JSON pointer (into the new manifest, or the request body). */
export type PointedChange = { message: string; pointer: string };

export type PendingUpgrade = {
  version: string;
  detectedAt: number;
  /** What the new version may do that the installed one may not: applied only once the tenant accepts. */
  access: PointedChange[];
  /** Where the stored config or bindings do not fit the new version: applied only with new ones. */
  problems: PointedChange[];
};

/** What one retention tier lets go: records older than `before`, and finished deliveries' payloads at once unless kept. */
export type PurgeRule = { tier: RetentionTier; before: number; keepPayloads: boolean };
export type PurgeCounts = { runs: number; jobs: number; events: number; idempotency: number };

/** A handler that runs without a caller: a timer on a schedule or an event handler on a topic. */
export type Trigger =
  | { kind: "timer"; handler: string; schedule: string; firstAt: number }
  | { kind: "event"; handler: string; topic: string };

export type RunTrigger = "rpc" | "timer" | "event";
export type RunStatus = "running" | "ok" | "error" | "dead_letter" | "interrupted";
export type RunError = { kind: string; code: string; message: string };

export type RunRecord = {
  id: string;
  tenantId: string;
  installId: string;
  handler: string;
  trigger: RunTrigger;
  /** The timer slot (ISO time) or the event id the run is for. */
  triggerRef: string | null;
  version: string;
  attempt: number;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  error: RunError | null;
  limitHit: string | null;
  logs: LogRecord[];
};

export type RunOutcome = Pick<RunRecord, "status" | "finishedAt" | "durationMs" | "error" | "limitHit" | "logs">;

export type Page<T> = { items: T[]; cursor: string | null };
export type PageOptions = { limit?: number; cursor?: string };

export type StoredResponse = { status: number; body: unknown };
export type IdempotencyClaim =
  | { state: "new" }
  | { state: "done"; response: StoredResponse }
  | { state: "pending" }
  /** The key was used for a different request. */
  | { state: "mismatch" };

export type PublishedEvent = { id: string; tenantId: string; topic: string; payload: unknown; createdAt: number; source: string | null };

/** A due timer; `busy` when a job of it is still pending or running (its next slot is then skipped). */
export type TimerState = { tenantId: string; installId: string; handler: string; schedule: string; nextAt: number; busy: boolean };

/** One timer step: move from `expectedNextAt` to `nextAt`, enqueueing the slot's job when `fire` is set. */
export type TimerMove = { installId: string; handler: string; expectedNextAt: number; nextAt: number; fire: { slot: number; maxAttempts: number } | null };

export interface ServiceStore {
  createTenant(tenant: Tenant, tokenHash: string): Promise<void>;
  tenantByTokenHash(tokenHash: string): Promise<Tenant | null>;

  /** Install, sealed credential and triggers in one transaction: all or nothing. */
  createInstall(install: InstallRecord, credential: SealedCredential | null, triggers: Trigger[]): Promise<void>;
  getInstall(tenantId: string, id: string): Promise<InstallRecord | null>;
  listInstalls(tenantId: string, page?: PageOptions): Promise<Page<InstallRecord>>;
  /**
   * `credential` undefined keeps the stored one; null removes it. False, with nothing written,
   * when the install no longer has `install.integrity` (a version switch came between the read
   * and this write, and its config belongs to the other version).
   */
  updateInstall(install: InstallRecord, credential: SealedCredential | null | undefined): Promise<boolean>;
  /** Removes the install and everything it owns: credential, triggers, timers, pending jobs, runs, idempotency records, cache and containers. */
  deleteInstall(tenantId: string, id: string): Promise<boolean>;
  /**
   * Moves an install to another version in one transaction: the record (version, config,
   * bindings, previous, pending), its triggers (a timer whose schedule is unchanged keeps its next
   * fire time, others are planned anew) and the pending jobs of handlers that are no longer
   * triggered, and the credential when one is given (null removes it). Cache and containers are
   * untouched. False, with nothing written, when the install no longer has `fromIntegrity`
   * (another switch won).
   */
  switchVersion(install: InstallRecord, fromIntegrity: string, triggers: Trigger[], credential?: SealedCredential | null): Promise<boolean>;
  /** Records or clears the upgrade an install waits for, if it still has `integrity`. */
  setPendingUpgrade(tenantId: string, installId: string, integrity: string, pending: PendingUpgrade | null): Promise<boolean>;
  /** Installs of every tenant that follow their range. */
  installsFollowingRanges(): Promise<InstallRecord[]>;
  /** Installs whose retention tier is not recorded yet, a page at a time. */
  installsWithoutRetentionTier(limit: number): Promise<InstallRecord[]>;
  setRetentionTier(installId: string, integrity: string, tier: RetentionTier): Promise<void>;
  /** Deletes, per tier, finished runs, finished jobs and completed idempotency records older than the rule allows, then events no delivery refers to. */
  purgeExpired(rules: readonly PurgeRule[]): Promise<PurgeCounts>;
  getCredential(tenantId: string, installId: string): Promise<SealedCredential | null>;
  /** Sealed credentials whose key is not `keyId`, a page at a time: what a key rotation still has to re-seal. */
  credentialsSealedWithOtherKeys(keyId: string, limit: number): Promise<{ installId: string; sealed: SealedCredential }[]>;
  /** Replaces a sealed credential only if it is still the one that was read, so a concurrent PATCH wins. */
  resealCredential(installId: string, before: SealedCredential, after: SealedCredential): Promise<boolean>;

  createRun(run: RunRecord): Promise<void>;
  finishRun(id: string, outcome: RunOutcome): Promise<void>;
  getRun(tenantId: string, id: string): Promise<RunRecord | null>;
  /** Newest first. */
  listRuns(tenantId: string, installId: string, page?: PageOptions): Promise<Page<RunRecord>>;
  /** After a crash: every run still marked running ends as interrupted, except those of other processes of a fleet that are still alive. Returns how many. */
  interruptRunningRuns(now: number): Promise<number>;

  claimIdempotencyKey(installId: string, key: string, fingerprint: string, now: number): Promise<IdempotencyClaim>;
  completeIdempotencyKey(installId: string, key: string, response: StoredResponse): Promise<void>;
  releaseIdempotencyKey(installId: string, key: string): Promise<void>;
  /** After a crash: keys reserved by calls that never answered (and whose process is gone) are released, so the caller can retry. Returns how many. */
  releasePendingIdempotencyKeys(): Promise<number>;

  /** Stores the event and one delivery job per event handler of the tenant on its topic, in one transaction. Returns the number of deliveries. */
  publishEvent(event: PublishedEvent, maxAttempts: number): Promise<number>;

  dueTimers(now: number): Promise<TimerState[]>;
  /** The earliest next fire time of any timer, so the worker can wake for it rather than poll. */
  nextTimerAt(): Promise<number | null>;
  /**
   * Applies timer steps in one transaction, each moving the timer and enqueueing its slot's job
   * together. A step is false when another caller moved that timer first: the slot is theirs.
   */
  advanceTimers(moves: readonly TimerMove[]): Promise<boolean[]>;

  jobs: JobQueue;
  /** The install-scoped cache and containers behind ctx.integration, in the same database. */
  installData: Storage;
  /** OAuth authorizations and connections, connected accounts and billed charges. */
  lifecycle: LifecycleStore;
  /** Readiness: the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
