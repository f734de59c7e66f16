/**
 * The two storage engines a runtime test that does not depend on the engine runs on: a SQLite file,
 * or a database on a throwaway PostgreSQL cluster (one cluster per test file, a database per
 * runtime), and a way to read the store's tables straight from either.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { parseDatabaseLocation } from "../../src/service-store/open-service-store.js";
import type { ThrowawayPostgres } from "../throwaway-postgres.js";

export const ENGINES = ["sqlite", "postgres"] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * Makes new, empty databases named `<prefix>-<n>`: a SQLite file (an absolute path) in `dir()`, or a
 * database on `server()` (a postgres URL). Both are read when called, as test files set them in beforeAll.
 */
export function databaseMaker(prefix: string, dir: () => string, server: () => ThrowawayPostgres) {
  let made = 0;
  return (engine: Engine, under = dir()): Promise<string> =>
    engine === "sqlite" ? Promise.resolve(path.join(under, `${prefix}-${++made}.sqlite`)) : server().createDatabase(`${prefix}_${++made}`);
}

/**
 * Rows of `sql` (placeholders `$1`, `$2`, …) run directly on `db`, a SQLite file or a postgres URL;
 * none for a statement that writes (a test setting up what an older runtime left behind).
 */
export async function storeRows(db: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const location = parseDatabaseLocation(process.cwd(), db);
  if (location.kind === "sqlite") {
    const sqlite = new Database(location.file);
    try {
      // SQLite's `?` are positional: each `$n` becomes one, with its value in that place.
      const values: unknown[] = [];
      const positional = sql.replace(/\$(\d+)/g, (_, n: string) => (values.push(params[Number(n) - 1]), "?"));
      const statement = sqlite.prepare(positional);
      if (!statement.reader) return statement.run(...values), [];
      return statement.all(...values) as Record<string, unknown>[];
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Everything the store holds at rest, as text to search for a secret: on SQLite the bytes of the
 * file and its WAL (freed pages included); on PostgreSQL, whose files are the server's, every row
 * of every table, bytea columns as their bytes.
 */
export async function storeText(db: string): Promise<string> {
  const location = parseDatabaseLocation(process.cwd(), db);
  if (location.kind === "sqlite") {
    const files = await Promise.all([location.file, `${location.file}-wal`].map((f) => readFile(f).then((b) => b.toString("latin1"), () => "")));
    return files.join("");
  }
  const tables = await storeRows(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
  const text: string[] = [];
  for (const { table_name } of tables) {
    for (const row of await storeRows(db, `SELECT * FROM ${pg.escapeIdentifier(String(table_name))}`)) {
      for (const value of Object.values(row)) text.push(Buffer.isBuffer(value) ? value.toString("latin1") : JSON.stringify(value));
    }
  }
  return text.join("\n");
}
