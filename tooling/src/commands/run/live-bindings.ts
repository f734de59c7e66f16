/**
 * `ihub run --live --bindings`: alias -> target, as an installer would bind them. An http alias
 * takes a base URL (or `{ "baseUrl" }`), an sql alias a SQLite file (or `{ "database",
 * "dialect" }`); the live transports the runtime service uses then make the calls.
 */
import path from "node:path";
import { z } from "zod";
import { type HttpBinding, liveHttpTransport } from "@ihub/runtime";
import { type SqlBinding, sqliteTransport } from "@ihub/runtime/sqlite";
import type { Manifest } from "@ihub/runtime/manifest";
import { UsageError } from "../../errors.js";

const httpBindingSchema = z.union([z.url(), z.strictObject({ baseUrl: z.url() })]);
const sqlBindingSchema = z.union([z.string().min(1), z.strictObject({ database: z.string().min(1), dialect: z.string().optional() })]);

export function liveTransports(manifest: Manifest, bindings: Record<string, unknown>, cwd = process.cwd()) {
  const http: Record<string, HttpBinding> = {};
  const sql: Record<string, SqlBinding> = {};
  const resources = manifest.resources ?? {};
  for (const [alias, value] of Object.entries(bindings)) {
    const resource = Object.hasOwn(resources, alias) ? resources[alias]! : undefined;
    if (!resource) throw new UsageError(`--bindings: alias "${alias}" is not declared in resources`, `Declared: ${Object.keys(resources).join(", ") || "(none)"}.`);
    if (resource.kind === "http") {
      const parsed = httpBindingSchema.safeParse(value);
      if (!parsed.success) throw new UsageError(`--bindings: "${alias}" is an http resource and needs a base URL`, `For example {"${alias}": "https://api.example.com"}.`);
      http[alias] = { baseUrl: typeof parsed.data === "string" ? parsed.data : parsed.data.baseUrl };
    } else {
      const parsed = sqlBindingSchema.safeParse(value);
      if (!parsed.success) throw new UsageError(`--bindings: "${alias}" is an sql resource and needs a database file`, `For example {"${alias}": "./data.sqlite"}.`);
      const { database, dialect } = typeof parsed.data === "string" ? { database: parsed.data, dialect: undefined } : parsed.data;
      sql[alias] = { database: database.startsWith("sqlite:") ? database : path.resolve(cwd, database), dialect: dialect ?? resource.dialect ?? "sqlite" };
    }
  }
  return { http: liveHttpTransport(http), sql: sqliteTransport(sql) };
}
