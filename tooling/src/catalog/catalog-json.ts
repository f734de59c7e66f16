/** The machine-readable catalog: `catalog.json` (public listing) and `catalog/<slug>.json` (public and unlisted). */
import { CATALOG_FORMAT, type CatalogListing, type IntegrationEntry, type ListingEntry } from "./catalog-schema.js";
import { detailUrl } from "./build-entry.js";
import type { SiteIntegration } from "./site-data.js";

export const LISTING_FILE = "catalog.json";

export function toEntry(site: SiteIntegration): IntegrationEntry {
  const { readmeHtml: _html, notesHtml: _notes, sourceVersion: _source, versionDetails: _details, ...entry } = site;
  return entry;
}

export function toListingEntry(e: IntegrationEntry): ListingEntry {
  const out: ListingEntry = {
    slug: e.slug,
    name: e.name,
    description: e.description,
    publisher: e.publisher,
    trustTier: e.trustTier,
    categories: e.categories,
    icon: e.icon,
    url: e.url,
    latestVersion: e.latestVersion,
    install: e.install,
    yanked: e.yanked,
    authType: e.auth.type,
    handlers: e.handlers.map((h) => ({ name: h.name, displayName: h.displayName, type: h.type, description: h.description })),
    detail: detailUrl(e.slug),
  };
  if (e.deprecated) out.deprecated = e.deprecated;
  return out;
}

/** Every file of the machine-readable catalog, by site-relative path. Unlisted entries get a detail file but no listing row. */
export function catalogFiles(integrations: readonly SiteIntegration[], generatedAt: string): Map<string, string> {
  const files = new Map<string, string>();
  const entries = integrations.map(toEntry);
  const listing: CatalogListing = {
    format: CATALOG_FORMAT,
    generatedAt,
    integrations: entries.filter((e) => e.visibility === "public").map(toListingEntry),
  };
  files.set(LISTING_FILE, JSON.stringify(listing, null, 2) + "\n");
  for (const e of entries) files.set(detailUrl(e.slug), JSON.stringify(e, null, 2) + "\n");
  return files;
}
