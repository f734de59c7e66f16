/**
 * PostgreSQL Storage for a runtime fleet: the install-scoped cache and containers in the service's
 * database (tables from the service migrations), every query filtered by install id. Values are
 * JSON text; keys compare as bytes (COLLATE "C"), the order SQLite and the memory store list in.
 */
import type pg from "pg";
import type { Clock, InstallStore, ListOptions, ListPage, Storage } from "./install-store.js";
import { decodeCursor, recordPage, listLimit } from "./list-cursor.js";

class PostgresInstallStore implements InstallStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly installId: string,
    private readonly clock: Clock,
  ) {}

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[]) {
    return (await this.pool.query<R>(sql, [this.installId, ...params])).rows;
  }
  private async changed(sql: string, params: unknown[]) {
    return ((await this.pool.query(sql, [this.installId, ...params])).rowCount ?? 0) > 0;
  }

  async cacheGet(key: string) {
    // An expired entry reads as missing and is dropped by the same statement.
    const [row] = await this.rows<{ value: string; live: boolean }>(
      `WITH hit AS (SELECT value, expires_at IS NULL OR expires_at > $3 AS live FROM cache WHERE install_id = $1 AND key = $2),
       gone AS (DELETE FROM cache WHERE install_id = $1 AND key = $2 AND expires_at IS NOT NULL AND expires_at <= $3)
       SELECT value, live FROM hit`,
      [key, this.clock.now()],
    );
    return row?.live ? JSON.parse(row.value) : null;
  }
  async cacheSet(key: string, value: unknown, ttlSeconds?: number) {
    const now = this.clock.now();
    await this.changed("DELETE FROM cache WHERE install_id = $1 AND expires_at IS NOT NULL AND expires_at <= $2", [now]);
    await this.changed(
      "INSERT INTO cache (install_id, key, value, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (install_id, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
      [key, JSON.stringify(value), ttlSeconds === undefined ? null : now + ttlSeconds * 1000],
    );
  }
  async cacheDelete(key: string) {
    const [row] = await this.rows<{ live: boolean }>("DELETE FROM cache WHERE install_id = $1 AND key = $2 RETURNING expires_at IS NULL OR expires_at > $3 AS live", [key, this.clock.now()]);
    return row?.live ?? false;
  }
  async cacheEntries() {
    const rows = await this.rows<{ key: string; value: string }>("SELECT key, value FROM cache WHERE install_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY key", [this.clock.now()]);
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
  }
  async containerGet(name: string, key: string) {
    const [row] = await this.rows<{ value: string }>("SELECT value FROM container_records WHERE install_id = $1 AND container = $2 AND key = $3", [name, key]);
    return row ? JSON.parse(row.value) : null;
  }
  async containerSet(name: string, key: string, value: unknown) {
    await this.changed(
      "INSERT INTO container_records (install_id, container, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT (install_id, container, key) DO UPDATE SET value = excluded.value",
      [name, key, JSON.stringify(value)],
    );
  }
  async containerDelete(name: string, key: string) {
    return this.changed("DELETE FROM container_records WHERE install_id = $1 AND container = $2 AND key = $3", [name, key]);
  }
  async containerList(name: string, opts?: ListOptions): Promise<ListPage> {
    const prefix = opts?.prefix ?? "";
    const limit = listLimit(opts);
    const after = decodeCursor(name, prefix, opts?.cursor);
    const rows = await this.rows<{ key: string; value: string }>(
      "SELECT key, value FROM container_records WHERE install_id = $1 AND container = $2 AND starts_with(key, $3) AND key > $4 ORDER BY key LIMIT $5",
      [name, prefix, after ?? "", limit + 1],
    );
    return recordPage(name, prefix, rows, limit);
  }
  async containerEntries() {
    const out: Record<string, Record<string, unknown>> = {};
    for (const r of await this.rows<{ container: string; key: string; value: string }>("SELECT container, key, value FROM container_records WHERE install_id = $1 ORDER BY container, key", [])) {
      (out[r.container] ??= {})[r.key] = JSON.parse(r.value);
    }
    return out;
  }
}

/** Install stores over the service store's pool; the pool is the service store's to end, so `close` leaves it open. */
export function postgresStorage(pool: pg.Pool, clock: Clock): Storage {
  return {
    forInstall: (installId) => new PostgresInstallStore(pool, installId, clock),
    close: () => undefined,
  };
}
