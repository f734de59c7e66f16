/**
 * Migrations whose SQL both engines accept as written, so the SQLite and PostgreSQL stores apply
 * the very same text (their earlier migrations differ in column types and identity columns).
 */

/** 3: Upgrades and retention: what an install follows and may return to, the upgrade waiting for
 * its tenant, and the retention tier of its version (NULL for installs made before it was
 * recorded, until the retention sweep reads it from their bundle). The indexes serve the purge. */
export const UPGRADES_AND_RETENTION = `
  ALTER TABLE installs ADD COLUMN retention_tier TEXT;
  ALTER TABLE installs ADD COLUMN follow_range INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE installs ADD COLUMN previous TEXT;
  ALTER TABLE installs ADD COLUMN pending_upgrade TEXT;
  CREATE INDEX installs_following ON installs (slug) WHERE follow_range = 1;
  CREATE INDEX runs_started ON runs (started_at);
  CREATE INDEX jobs_ref ON jobs (ref) WHERE kind = 'event';
  CREATE INDEX events_created ON events (created_at);
  CREATE INDEX idempotency_created ON idempotency (created_at);
  `;

/** 4: The store instance (a process, on PostgreSQL its lease) that owns a run, a claimed job or a
 * reserved key, so recovery touches only the work of an owner that is gone, never a live peer's. */
export const WORK_OWNERS = `
  ALTER TABLE runs ADD COLUMN owner INTEGER;
  ALTER TABLE jobs ADD COLUMN owner INTEGER;
  ALTER TABLE idempotency ADD COLUMN owner INTEGER;
  `;
