/**
 * The tenant's own targets for one run (ctx.cache, ctx.sql, ctx.graphql), opened only for an
 * integration granted a tenant API. The shared cache lives in the install-data tables under a
 * scope of its own: install ids are UUIDs, so `tenant:<id>` never meets one.
 */
import { liveHttpTransport } from "../device/live-http-transport.js";
import { sqliteTransport } from "../device/sqlite-transport.js";
import { TENANT_GRAPHQL_ALIAS, TENANT_SQL_ALIAS } from "../host/sandbox-host.js";
import type { TenantApis } from "../host/tenant-apis.js";
import { tenantApiNames, type Manifest } from "../manifest/manifest-schema.js";
import type { InstallRecord, ServiceStore } from "../service-store/service-store.js";

export const tenantCacheScope = (tenantId: string) => `tenant:${tenantId}`;

/** The tenant APIs of a run and how to release them, or null when the manifest grants none. */
export async function openTenantApis(store: ServiceStore, install: InstallRecord, manifest: Manifest): Promise<{ apis: TenantApis; close(): void } | null> {
  const granted = manifest.permissions.tenantApis ?? [];
  if (!tenantApiNames.some((api) => granted.includes(api))) return null;
  const bindings = await store.lifecycle.tenantBindings(install.tenantId);
  const sql = bindings.sql ? sqliteTransport({ [TENANT_SQL_ALIAS]: { dialect: "sqlite", database: bindings.sql.dsn } }) : null;
  return {
    apis: {
      cache: store.installData.forInstall(tenantCacheScope(install.tenantId)),
      sql,
      graphql: bindings.graphql ? { transport: liveHttpTransport({ [TENANT_GRAPHQL_ALIAS]: { baseUrl: bindings.graphql.url } }), url: bindings.graphql.url } : null,
    },
    close: () => sql?.close(),
  };
}
