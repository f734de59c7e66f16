/**
 * The tenant's own targets behind ctx.cache, ctx.sql and ctx.graphql. The runtime service opens
 * them per run from the tenant's bindings; elsewhere (`ihub test`, `ihub run` without a tenant)
 * they are absent and a call fails with TENANT_API_UNAVAILABLE, naming what is missing.
 */
import type { HttpTransport } from "../device/http-exchange.js";
import type { SqlTransport } from "../device/sql-call.js";
import type { InstallStore } from "../storage/install-store.js";
import { CtxError } from "./ctx-error.js";

export type TenantApis = {
  /** The cache every install of the tenant shares. */
  cache: InstallStore;
  /** The tenant's `sql` binding, reached under the alias `sql`; null when the tenant has none. */
  sql: SqlTransport | null;
  /** The tenant's `graphql` binding, reached under the alias `graphql`; null when the tenant has none. */
  graphql: { transport: HttpTransport; url: string } | null;
};

export const MAX_GRAPHQL_QUERY_CHARS = 100_000;

export function tenantApi<K extends keyof TenantApis>(tenant: TenantApis | undefined, name: K): NonNullable<TenantApis[K]> {
  const api = tenant?.[name];
  if (!tenant) throw new CtxError("TENANT_API_UNAVAILABLE", `ctx.${name} needs a tenant: it runs in the runtime service, not in ihub test or ihub run`);
  if (!api) throw new CtxError("TENANT_API_UNAVAILABLE", `ctx.${name}: the tenant has no "${name}" binding; the tenant's bindings are given at its creation (bindings.${name})`);
  return api as NonNullable<TenantApis[K]>;
}

/** The JSON body of a GraphQL POST (graphql-over-http), after checking what the handler passed. */
export function graphqlBody(query: unknown, variables: unknown): string {
  if (typeof query !== "string" || query.trim() === "") throw new CtxError("INVALID_ARGUMENT", "ctx.graphql: the query must be a non-empty string");
  if (query.length > MAX_GRAPHQL_QUERY_CHARS) throw new CtxError("INVALID_ARGUMENT", `ctx.graphql: the query is longer than ${MAX_GRAPHQL_QUERY_CHARS} characters`);
  // Lua's empty table arrives as [] or {}; both mean no variables.
  const none = variables === undefined || variables === null || (Array.isArray(variables) && variables.length === 0);
  if (!none && (typeof variables !== "object" || Array.isArray(variables))) throw new CtxError("INVALID_ARGUMENT", "ctx.graphql: variables must be a table of names to values");
  return JSON.stringify({ query, variables: none ? {} : variables });
}
