/**
 * Versioned schema of the service tables on PostgreSQL, the same tables and columns as the SQLite
 * schema (sqlite-migrations.ts) so both engines read rows one way (service-store-rows.ts). Every
 * process of a fleet runs `migrate` at start: a session advisory lock makes them take turns, so
 * processes starting together against an empty database apply each migration once, and each
 * migration commits together with its row in `schema_migrations`. Append; never edit a released one.
 */
import type pg from "pg";
import { DEAD_LETTERS, EXPIRE_SECONDS, QUEUE_SCHEMA, QUEUES } from "./postgres-job-queue.js";
import { UPGRADES_AND_RETENTION, WORK_OWNERS } from "./shared-migrations.js";

/** The advisory lock key the migrations are applied under (any constant the database does not otherwise use). */
const MIGRATION_LOCK = 4_870_013;

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, bindings TEXT NOT NULL, created_at BIGINT NOT NULL
  );
  CREATE TABLE installs (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    slug TEXT NOT NULL, version TEXT NOT NULL, range TEXT NOT NULL, integrity TEXT NOT NULL,
    config TEXT NOT NULL, bindings TEXT NOT NULL, credential_fields TEXT NOT NULL, warnings TEXT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
  );
  CREATE INDEX installs_tenant ON installs (tenant_id, seq);
  CREATE TABLE credentials (
    install_id TEXT PRIMARY KEY REFERENCES installs(id) ON DELETE CASCADE,
    key_id TEXT NOT NULL, iv TEXT NOT NULL, tag TEXT NOT NULL, ciphertext TEXT NOT NULL
  );
  CREATE TABLE triggers (
    install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE, tenant_id TEXT NOT NULL, handler TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('timer', 'event')), topic TEXT, schedule TEXT, next_at BIGINT,
    PRIMARY KEY (install_id, handler)
  );
  CREATE INDEX triggers_topic ON triggers (tenant_id, topic) WHERE kind = 'event';
  CREATE INDEX triggers_due ON triggers (next_at) WHERE kind = 'timer';
  CREATE TABLE runs (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, install_id TEXT NOT NULL,
    handler TEXT NOT NULL, trigger TEXT NOT NULL, trigger_ref TEXT, version TEXT NOT NULL, attempt INTEGER NOT NULL,
    status TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT, duration_ms DOUBLE PRECISION,
    error TEXT, limit_hit TEXT, logs TEXT NOT NULL
  );
  CREATE INDEX runs_install ON runs (install_id, seq);
  CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
  CREATE TABLE idempotency (
    install_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, response TEXT, created_at BIGINT NOT NULL,
    PRIMARY KEY (install_id, key)
  );
  CREATE TABLE events (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, source TEXT, created_at BIGINT NOT NULL
  );
  CREATE TABLE jobs (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, tenant_id TEXT NOT NULL, install_id TEXT NOT NULL,
    handler TEXT NOT NULL, payload TEXT NOT NULL, ref TEXT NOT NULL, attempts INTEGER NOT NULL, max_attempts INTEGER NOT NULL,
    run_at BIGINT NOT NULL, status TEXT NOT NULL
  );
  CREATE INDEX jobs_due ON jobs (status, run_at);
  CREATE INDEX jobs_install ON jobs (install_id, handler, status);
  -- Keys compare as bytes ("C"), the order SQLite's BINARY collation and the memory store list them in.
  CREATE TABLE cache (
    install_id TEXT NOT NULL, key TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL, expires_at DOUBLE PRECISION,
    PRIMARY KEY (install_id, key)
  );
  CREATE TABLE container_records (
    install_id TEXT NOT NULL, container TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (install_id, container, key)
  );
  `,
  // 2: OAuth connections, connected accounts and billed charges (lifecycle-store.ts).
  `
  CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE,
    verifier TEXT NOT NULL, redirect_uri TEXT NOT NULL, return_to TEXT, expires_at BIGINT NOT NULL
  );
  CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);
  CREATE TABLE oauth_connections (
    install_id TEXT PRIMARY KEY REFERENCES installs(id) ON DELETE CASCADE, connected_at BIGINT NOT NULL,
    expires_at BIGINT, refreshed_at BIGINT, scope TEXT, last_error TEXT
  );
  CREATE TABLE connected_accounts (
    install_id TEXT PRIMARY KEY REFERENCES installs(id) ON DELETE CASCADE, account TEXT, error TEXT, run_id TEXT, checked_at BIGINT NOT NULL
  );
  CREATE TABLE run_charges (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, run_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
    install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE, handler TEXT NOT NULL,
    usd_micros BIGINT NOT NULL, note TEXT, charged_at BIGINT NOT NULL
  );
  CREATE INDEX run_charges_period ON run_charges (tenant_id, charged_at);
  CREATE INDEX run_charges_run ON run_charges (run_id);
  CREATE INDEX run_charges_install ON run_charges (install_id);
  `,
  UPGRADES_AND_RETENTION,
  WORK_OWNERS,
  // 5: The queue moves to pg-boss (postgres-job-queue.ts), whose schema and queues exist before this
  // runs. Jobs still waiting or running in the store's own table move with the attempts they spent
  // (a running one's process is gone by the time its successor migrates); claims name their owner.
  `
  CREATE TABLE queue_claims (
    job_id UUID PRIMARY KEY, queue TEXT NOT NULL, owner INTEGER NOT NULL, install_id TEXT NOT NULL, handler TEXT NOT NULL
  );
  CREATE INDEX queue_claims_handler ON queue_claims (install_id, handler);
  INSERT INTO ${QUEUE_SCHEMA}.job (name, data, retry_limit, retry_count, retry_delay, retry_backoff, start_after, singleton_key, expire_in, dead_letter, policy)
  SELECT CASE kind WHEN 'timer' THEN '${QUEUES.timer}' ELSE '${QUEUES.event}' END,
    jsonb_build_object('key', key, 'kind', kind, 'tenantId', tenant_id, 'installId', install_id, 'handler', handler, 'ref', ref),
    max_attempts - 1, attempts, 1, kind = 'event', to_timestamp(run_at / 1000.0),
    CASE kind WHEN 'timer' THEN install_id || ':' || handler END, interval '${EXPIRE_SECONDS} seconds',
    CASE kind WHEN 'event' THEN '${DEAD_LETTERS}' END, 'standard'
  FROM jobs WHERE status IN ('pending', 'running');
  DROP TABLE jobs;
  `,
];

/**
 * Brings the database to the newest schema; returns the schema version. `first` runs under the
 * same lock before the migrations: the queue's own schema set-up, which the last migration needs
 * and which deadlocks when processes starting together run it at once.
 */
export async function migrate(pool: pg.Pool, first: () => Promise<void> = async () => undefined): Promise<number> {
  const client = await pool.connect();
  try {
    // A session lock, held across the per-migration transactions below and released by the unlock (or by the connection ending).
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await first();
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
      const { rows } = await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
      const current = rows[0]!.v ?? 0;
      for (const [i, sql] of MIGRATIONS.entries()) {
        if (i + 1 <= current) continue;
        await client.query("BEGIN");
        try {
          await client.query(sql);
          await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [i + 1, new Date().toISOString()]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
  return MIGRATIONS.length;
}
