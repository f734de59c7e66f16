/**
 * Live ctx.device.sql for bindings of dialect sqlite, through better-sqlite3. A read-only
 * permission opens the file read-only and refuses writing statements up front; ATTACH and
 * DETACH are refused so a handler cannot open other files on the host. Other dialects have no
 * driver here and fail with SQL_NO_DRIVER.
 */
import Database from "better-sqlite3";
import { DeviceError } from "./device-error.js";
import type { SqlExchange, SqlRow, SqlTransport } from "./sql-call.js";

export type SqlBinding = { dialect: string; database: string };
export const MAX_SQL_ROWS = 10_000;

function toJsonCell(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Buffer.isBuffer(v)) return v.toString("base64");
  return v;
}

export function sqliteTransport(bindings: Record<string, SqlBinding>): SqlTransport & { close(): void } {
  const open = new Map<string, Database.Database>();
  const connection = (alias: string, binding: SqlBinding, readOnly: boolean) => {
    const key = `${alias}\0${readOnly}`;
    let db = open.get(key);
    if (!db) {
      const file = binding.database.replace(/^sqlite:(\/\/)?/, "");
      try {
        db = new Database(file, { readonly: readOnly, fileMustExist: true });
      } catch (error) {
        throw new DeviceError("SQL_ERROR", `alias "${alias}": cannot open the bound database: ${(error as Error).message}`, { alias });
      }
      open.set(key, db);
    }
    return db;
  };
  return {
    async query(ex: SqlExchange): Promise<SqlRow[]> {
      const binding = bindings[ex.alias];
      if (!binding) throw new DeviceError("UNBOUND_ALIAS", `alias "${ex.alias}" has no binding in this install`, { alias: ex.alias });
      if (binding.dialect !== "sqlite") throw new DeviceError("SQL_NO_DRIVER", `no driver for dialect ${binding.dialect}: only sqlite bindings run live`, { alias: ex.alias });
      if (/^\s*(attach|detach)\b/i.test(ex.query)) throw new DeviceError("SQL_ERROR", "ATTACH and DETACH are not allowed", { alias: ex.alias });
      const db = connection(ex.alias, binding, ex.readOnly);
      let stmt: Database.Statement;
      try {
        stmt = db.prepare(ex.query);
      } catch (error) {
        throw new DeviceError("SQL_ERROR", (error as Error).message, { alias: ex.alias });
      }
      if (ex.readOnly && !stmt.reader) throw new DeviceError("SQL_READ_ONLY", `alias "${ex.alias}" is read-only (permissions.device.${ex.alias}.readOnly): only reading statements run`, { alias: ex.alias });
      const params = ex.params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
      try {
        if (!stmt.reader) {
          stmt.run(...params);
          return [];
        }
        const rows: SqlRow[] = [];
        for (const row of stmt.iterate(...params) as Iterable<Record<string, unknown>>) {
          if (rows.length >= MAX_SQL_ROWS) throw new DeviceError("SQL_TOO_MANY_ROWS", `the query returned more than ${MAX_SQL_ROWS} rows; add a LIMIT`, { alias: ex.alias });
          rows.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJsonCell(v)])));
        }
        return rows;
      } catch (error) {
        if (error instanceof DeviceError) throw error;
        throw new DeviceError("SQL_ERROR", (error as Error).message, { alias: ex.alias });
      }
    },
    close() {
      for (const db of open.values()) db.close();
      open.clear();
    },
  };
}
