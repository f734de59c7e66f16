/**
 * SQLite Storage (better-sqlite3) for the runtime service: one database file for all installs,
 * every statement prepared once and filtered by install id, WAL so readers do not block the
 * writer. Values are stored as JSON text; key order is SQLite's BINARY collation (UTF-8 bytes),
 * the same order the memory store uses.
 */
import Database from "better-sqlite3";
import type { Clock, InstallStore, ListOptions, ListPage, Storage } from "./install-store.js";
import { systemClock } from "./install-store.js";
import { decodeCursor, recordPage, listLimit } from "./list-cursor.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cache (
  install_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires_at REAL,
  PRIMARY KEY (install_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS container_records (
  install_id TEXT NOT NULL, container TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (install_id, container, key)
) WITHOUT ROWID;
`;

function prepare(db: Database.Database) {
  return {
    cacheGet: db.prepare<[string, string], { value: string; expires_at: number | null }>("SELECT value, expires_at FROM cache WHERE install_id = ? AND key = ?"),
    cacheSet: db.prepare<[string, string, string, number | null]>(
      "INSERT INTO cache (install_id, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (install_id, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
    ),
    cacheDelete: db.prepare<[string, string]>("DELETE FROM cache WHERE install_id = ? AND key = ?"),
    cacheDeleteLive: db.prepare<[string, string, number]>("DELETE FROM cache WHERE install_id = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)"),
    cachePurge: db.prepare<[string, number]>("DELETE FROM cache WHERE install_id = ? AND expires_at IS NOT NULL AND expires_at <= ?"),
    cacheAll: db.prepare<[string, number], { key: string; value: string }>(
      "SELECT key, value FROM cache WHERE install_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key",
    ),
    recGet: db.prepare<[string, string, string], { value: string }>("SELECT value FROM container_records WHERE install_id = ? AND container = ? AND key = ?"),
    recSet: db.prepare<[string, string, string, string]>(
      "INSERT INTO container_records (install_id, container, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (install_id, container, key) DO UPDATE SET value = excluded.value",
    ),
    recDelete: db.prepare<[string, string, string]>("DELETE FROM container_records WHERE install_id = ? AND container = ? AND key = ?"),
    recList: db.prepare<[string, string, string, string, string, number], { key: string; value: string }>(
      "SELECT key, value FROM container_records WHERE install_id = ? AND container = ? AND substr(key, 1, length(?)) = ? AND key > ? ORDER BY key LIMIT ?",
    ),
    recAll: db.prepare<[string], { container: string; key: string; value: string }>(
      "SELECT container, key, value FROM container_records WHERE install_id = ? ORDER BY container, key",
    ),
  };
}

type Statements = ReturnType<typeof prepare>;

class SqliteInstallStore implements InstallStore {
  constructor(
    private readonly q: Statements,
    private readonly installId: string,
    private readonly clock: Clock,
  ) {}

  async cacheGet(key: string) {
    const row = this.q.cacheGet.get(this.installId, key);
    if (!row) return null;
    if (row.expires_at !== null && row.expires_at <= this.clock.now()) {
      this.q.cacheDelete.run(this.installId, key);
      return null;
    }
    return JSON.parse(row.value);
  }
  async cacheSet(key: string, value: unknown, ttlSeconds?: number) {
    const now = this.clock.now();
    this.q.cachePurge.run(this.installId, now);
    this.q.cacheSet.run(this.installId, key, JSON.stringify(value), ttlSeconds === undefined ? null : now + ttlSeconds * 1000);
  }
  async cacheDelete(key: string) {
    const live = this.q.cacheDeleteLive.run(this.installId, key, this.clock.now()).changes > 0;
    this.q.cacheDelete.run(this.installId, key);
    return live;
  }
  async cacheEntries() {
    return Object.fromEntries(this.q.cacheAll.all(this.installId, this.clock.now()).map((r) => [r.key, JSON.parse(r.value)]));
  }
  async containerGet(name: string, key: string) {
    const row = this.q.recGet.get(this.installId, name, key);
    return row ? JSON.parse(row.value) : null;
  }
  async containerSet(name: string, key: string, value: unknown) {
    this.q.recSet.run(this.installId, name, key, JSON.stringify(value));
  }
  async containerDelete(name: string, key: string) {
    return this.q.recDelete.run(this.installId, name, key).changes > 0;
  }
  async containerList(name: string, opts?: ListOptions): Promise<ListPage> {
    const prefix = opts?.prefix ?? "";
    const limit = listLimit(opts);
    const after = decodeCursor(name, prefix, opts?.cursor);
    // "" sorts before every key, so it means "from the start".
    const rows = this.q.recList.all(this.installId, name, prefix, prefix, after ?? "", limit + 1);
    return recordPage(name, prefix, rows, limit);
  }
  async containerEntries() {
    const out: Record<string, Record<string, unknown>> = {};
    for (const r of this.q.recAll.all(this.installId)) (out[r.container] ??= {})[r.key] = JSON.parse(r.value);
    return out;
  }
}

/** Opens (creating if needed) the database at `file`; state survives close and reopen. */
export function sqliteStorage(file: string, clock: Clock = systemClock): Storage {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // Survives a killed process (commits are in the WAL); only a power loss can drop the last ones.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);
  const q = prepare(db);
  return {
    forInstall: (installId) => new SqliteInstallStore(q, installId, clock),
    close: () => db.close(),
  };
}
