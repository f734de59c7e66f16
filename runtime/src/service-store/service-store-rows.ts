/**
 * The service tables' rows as both engines return them (JSON columns as text, times as epoch
 * milliseconds) and their mapping to the store's records, so SQLite and PostgreSQL read rows one way.
 */
import type { Job } from "../scheduler/job-queue.js";
import { encodePageCursor } from "./page-cursor.js";
import type { InstallRecord, Page, RunRecord } from "./service-store.js";

export type InstallRow = {
  id: string; tenant_id: string; seq: number; slug: string; version: string; range: string; integrity: string;
  config: string; bindings: string; credential_fields: string; warnings: string; created_at: number; updated_at: number;
  retention_tier: string | null; follow_range: number; previous: string | null; pending_upgrade: string | null;
};
export type RunRow = {
  seq: number; id: string; tenant_id: string; install_id: string; handler: string; trigger: string; trigger_ref: string | null;
  version: string; attempt: number; status: string; started_at: number; finished_at: number | null; duration_ms: number | null;
  error: string | null; limit_hit: string | null; logs: string;
};
export type JobRow = {
  id: string; key: string; kind: string; tenant_id: string; install_id: string; handler: string; payload: string; ref: string;
  attempts: number; max_attempts: number; run_at: number; status: string;
};

export const toInstall = (r: InstallRow): InstallRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  slug: r.slug,
  version: r.version,
  range: r.range,
  integrity: r.integrity,
  config: JSON.parse(r.config),
  bindings: JSON.parse(r.bindings),
  credentialFields: JSON.parse(r.credential_fields),
  warnings: JSON.parse(r.warnings),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  retentionTier: r.retention_tier as InstallRecord["retentionTier"],
  followRange: r.follow_range === 1,
  previous: r.previous === null ? null : JSON.parse(r.previous),
  pendingUpgrade: r.pending_upgrade === null ? null : JSON.parse(r.pending_upgrade),
});

/** An install's column values as named parameters (JSON as text, the follow flag as 0 or 1). */
export const installRow = (i: InstallRecord) => ({
  id: i.id, tenantId: i.tenantId, slug: i.slug, version: i.version, range: i.range, integrity: i.integrity,
  config: JSON.stringify(i.config), bindings: JSON.stringify(i.bindings), credentialFields: JSON.stringify(i.credentialFields), warnings: JSON.stringify(i.warnings),
  createdAt: i.createdAt, updatedAt: i.updatedAt, retentionTier: i.retentionTier, followRange: i.followRange ? 1 : 0,
  previous: i.previous && JSON.stringify(i.previous), pendingUpgrade: i.pendingUpgrade && JSON.stringify(i.pendingUpgrade),
});

export const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  installId: r.install_id,
  handler: r.handler,
  trigger: r.trigger as RunRecord["trigger"],
  triggerRef: r.trigger_ref,
  version: r.version,
  attempt: r.attempt,
  status: r.status as RunRecord["status"],
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms,
  error: r.error === null ? null : JSON.parse(r.error),
  limitHit: r.limit_hit,
  logs: JSON.parse(r.logs),
});

export const toJob = (r: JobRow): Job => ({
  id: r.id,
  key: r.key,
  kind: r.kind as Job["kind"],
  tenantId: r.tenant_id,
  installId: r.install_id,
  handler: r.handler,
  payload: JSON.parse(r.payload),
  ref: r.ref,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at,
  status: r.status as Job["status"],
});

/** One page of a keyset list: `rows` holds up to limit + 1 rows, the extra one only says there is more. */
export const page = <R extends { seq: number }, T>(list: string, rows: R[], limit: number, map: (r: R) => T): Page<T> => ({
  items: rows.slice(0, limit).map(map),
  cursor: rows.length > limit ? encodePageCursor(list, rows[limit - 1]!.seq) : null,
});

/** The run error written when a run was in flight as its runtime stopped. */
export const INTERRUPTED_ERROR = JSON.stringify({ kind: "internal", code: "INTERRUPTED", message: "the runtime stopped while this run was in flight" });

/** The tables whose rows belong to one install (by `install_id`), removed with it. */
export const INSTALL_OWNED_TABLES = ["triggers", "credentials", "runs", "idempotency", "jobs", "cache", "container_records"] as const;
