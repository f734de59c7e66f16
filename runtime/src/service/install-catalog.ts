/**
 * `GET /v1/catalog`: what this runtime can install from its registry, for a tenant. The registry's
 * index.json names every integration; public ones are listed for everyone, others only for a
 * tenant that already installed them (its own). Each entry is read from the bundle an install
 * would get (the newest version that is not yanked and is signed by a trusted key, verified and
 * cached like any pull), so what a workflow builder offers is exactly what POST /v1/installs takes.
 * An integration with nothing installable is left out.
 */
import type { FastifyBaseLogger } from "fastify";
import semver from "semver";
import type { z } from "zod";
import { ExecutorError } from "../executor/executor-error.js";
import { describeRetention } from "../manifest/retention-policy.js";
import type { RegistryClient } from "../registry/registry-client.js";
import { RegistryError } from "../registry/registry-error.js";
import { decodeKeyCursor, encodePageCursor, pageLimit } from "../service-store/page-cursor.js";
import type { PageOptions, ServiceStore } from "../service-store/service-store.js";
import type { catalogItem, catalogPage } from "./api-schemas.js";
import type { BundleLoader } from "./bundle-loader.js";
import { allInstalls } from "./tenant-installs.js";

type Deps = { registry: Pick<RegistryClient, "listIntegrations">; bundles: BundleLoader; store: ServiceStore; log: FastifyBaseLogger };

type CatalogItem = z.infer<typeof catalogItem>;

async function entry(bundles: BundleLoader, slug: string): Promise<CatalogItem> {
  const { pulled, integration } = await bundles.pull(slug);
  const m = integration.manifest;
  return {
    slug,
    name: m.name,
    description: m.description,
    latest: pulled.version,
    install: `${slug}@^${semver.major(pulled.version)}`,
    trustTier: m.trustTier,
    visibility: m.visibility,
    deprecated: m.deprecated !== undefined,
    categories: m.categories,
    authType: m.auth.type,
    configSchema: m.configSchema ?? null,
    resources: Object.fromEntries(Object.entries(m.resources ?? {}).map(([alias, r]) => [alias, { kind: r.kind, description: r.description }])),
    retention: { tier: m.retentionTier, keeps: describeRetention(m.retentionTier) },
    handlers: Object.entries(m.handlers).map(([name, h]) => ({
      name, type: h.type, displayName: h.displayName, description: h.description,
      ...(h.inputSchema ? { inputSchema: h.inputSchema } : {}),
      ...(h.outputSchema ? { outputSchema: h.outputSchema } : {}),
    })),
  };
}

export function createInstallCatalog(deps: Deps) {
  return {
    async page(tenantId: string, opts: PageOptions): Promise<z.infer<typeof catalogPage>> {
      const list = `catalog:${tenantId}`;
      const after = decodeKeyCursor(list, opts.cursor);
      const limit = pageLimit(opts.limit);
      const [index, installed] = await Promise.all([deps.registry.listIntegrations(), allInstalls(deps.store, tenantId)]);
      const own = new Set(installed.map((i) => i.slug));
      const slugs = Object.entries(index.integrations)
        .filter(([slug, e]) => (e.visibility === "public" || own.has(slug)) && (after === null || slug > after))
        .map(([slug]) => slug)
        .sort();
      // A page holds `limit` installable entries: ones with nothing installable are passed over, not counted.
      const items: CatalogItem[] = [];
      let examined = 0;
      while (items.length < limit && examined < slugs.length) {
        const slug = slugs[examined++]!;
        try {
          items.push(await entry(deps.bundles, slug));
        } catch (error) {
          if (!(error instanceof RegistryError || error instanceof ExecutorError)) throw error;
          deps.log.debug({ slug, code: error.code }, "catalog: nothing installable");
        }
      }
      return { items, cursor: examined < slugs.length ? encodePageCursor(list, slugs[examined - 1]!) : null };
    },
  };
}

export type InstallCatalog = ReturnType<typeof createInstallCatalog>;
