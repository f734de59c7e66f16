/**
 * Versioned schema of the service tables. Each migration runs once, in order, inside a
 * transaction that also records its number in `schema_migrations`, so a crash mid-migration
 * leaves the previous version intact. Append new migrations; never edit a released one.
 */
import type Database from "better-sqlite3";
import { UPGRADES_AND_RETENTION, WORK_OWNERS } from "./shared-migrations.js";

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, bindings TEXT NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE TABLE installs (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), seq INTEGER NOT NULL UNIQUE,
    slug TEXT NOT NULL, version TEXT NOT NULL, range TEXT NOT NULL, integrity TEXT NOT NULL,
    config TEXT NOT NULL, bindings TEXT NOT NULL, credential_fields TEXT NOT NULL, warnings TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE INDEX installs_tenant ON installs (tenant_id, seq);
  CREATE TABLE credentials (
    install_id TEXT PRIMARY KEY REFERENCES installs(id) ON DELETE CASCADE,
    key_id TEXT NOT NULL, iv TEXT NOT NULL, tag TEXT NOT NULL, ciphertext TEXT NOT NULL
  );
  CREATE TABLE triggers (
    install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE, tenant_id TEXT NOT NULL, handler TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('timer', 'event')), topic TEXT, schedule TEXT, next_at INTEGER,
    PRIMARY KEY (install_id, handler)
  );
  CREATE INDEX triggers_topic ON triggers (tenant_id, topic) WHERE kind = 'event';
  CREATE INDEX triggers_due ON triggers (next_at) WHERE kind = 'timer';
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, install_id TEXT NOT NULL,
    handler TEXT NOT NULL, trigger TEXT NOT NULL, trigger_ref TEXT, version TEXT NOT NULL, attempt INTEGER NOT NULL,
    status TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER, duration_ms REAL,
    error TEXT, limit_hit TEXT, logs TEXT NOT NULL
  );
  CREATE INDEX runs_install ON runs (install_id, seq);
  CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
  CREATE TABLE idempotency (
    install_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, response TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (install_id, key)
  );
  CREATE TABLE events (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, source TEXT, created_at INTEGER NOT NULL
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, tenant_id TEXT NOT NULL, install_id TEXT NOT NULL,
    handler TEXT NOT NULL, payload TEXT NOT NULL, ref TEXT NOT NULL, attempts INTEGER NOT NULL, max_attempts INTEGER NOT NULL,
    run_at INTEGER NOT NULL, status TEXT NOT NULL
  );
  CREATE INDEX jobs_due ON jobs (status, run_at);
  CREATE INDEX jobs_install ON jobs (install_id, handler, status);
  `,
  // 2: OAuth connections, connected accounts and billed charges (lifecycle-store.ts).
  `
  CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE,
    verifier TEXT NOT NULL, redirect_uri TEXT NOT NULL, return_to TEXT, expires_at INTEGER NOT NULL
  );
  CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);
  CREATE TABLE oauth_connections (
    install_id TEXT PRIMARY KEY REFERENCES installs(id) ON DELETE CASCADE, connected_at INTEGER NOT NULL,
    expires_at INTEGER, refreshed_at INTEGER, scope TEXT, last_error TEXT
  );
  CREATE TABLE connected_accounts (
    install_id TEXT PRIMARY KEY REFERENCES installs(id) ON DELETE CASCADE, account TEXT, error TEXT, run_id TEXT, checked_at INTEGER NOT NULL
  );
  CREATE TABLE run_charges (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
    install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE, handler TEXT NOT NULL,
    usd_micros INTEGER NOT NULL, note TEXT, charged_at INTEGER NOT NULL
  );
  CREATE INDEX run_charges_period ON run_charges (tenant_id, charged_at);
  CREATE INDEX run_charges_run ON run_charges (run_id);
  CREATE INDEX run_charges_install ON run_charges (install_id);
  `,
  UPGRADES_AND_RETENTION,
  WORK_OWNERS,
];

export function migrate(db: Database.Database): number {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  const current = (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
  // IMMEDIATE takes the write lock first, so two processes starting together apply each migration once.
  const apply = db.transaction((version: number, sql: string) => {
    const again = (db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(version) as unknown) !== undefined;
    if (again) return;
    db.exec(sql);
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(version, new Date().toISOString());
  });
  MIGRATIONS.forEach((sql, i) => {
    if (i + 1 > current) apply.immediate(i + 1, sql);
  });
  return MIGRATIONS.length;
}
