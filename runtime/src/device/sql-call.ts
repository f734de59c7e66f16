/**
 * ctx.device.sql(alias, query, params) on the host: checks the arguments and sends them through
 * a transport (a live driver or recorded fixtures). Rows come back as plain JSON objects.
 */
import { z } from "zod";
import { DeviceError } from "./device-error.js";

export type SqlParam = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;
export type SqlExchange = { alias: string; dialect: string; query: string; params: SqlParam[]; readOnly: boolean };

export interface SqlTransport {
  query(exchange: SqlExchange): Promise<SqlRow[]>;
  close?(): void;
}

export const MAX_SQL_QUERY_CHARS = 100_000;
const paramsSchema = z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).max(1000);

export function buildSqlExchange(alias: string, dialect: string, readOnly: boolean, query: unknown, params: unknown): SqlExchange {
  if (typeof query !== "string" || query.trim() === "") throw new DeviceError("SQL_ERROR", "ctx.device.sql: the query must be a non-empty string", { alias });
  if (query.length > MAX_SQL_QUERY_CHARS) throw new DeviceError("SQL_ERROR", `ctx.device.sql: the query is longer than ${MAX_SQL_QUERY_CHARS} characters`, { alias });
  // Lua's empty table arrives as [] or {}; nil as null.
  const list = params === undefined || params === null || (typeof params === "object" && !Array.isArray(params) && Object.keys(params).length === 0) ? [] : params;
  const parsed = paramsSchema.safeParse(list);
  if (!parsed.success) throw new DeviceError("SQL_ERROR", "ctx.device.sql: params must be an array of strings, numbers, booleans or nil (at most 1000)", { alias });
  return { alias, dialect, query, params: parsed.data, readOnly };
}

/** Collapses runs of whitespace so recorded queries match regardless of formatting. */
export function collapseSql(query: string): string {
  return query.replace(/\s+/g, " ").trim();
}
