/**
 * The catalog entry of one integration, from what was read off the repository and the registry.
 * Pure: no disk, no clock, so tests feed it values directly.
 */
import semver from "semver";
import type { IntegrationIndex } from "@ihub/runtime/registry";
import { describeRetention } from "@ihub/runtime/manifest";
import { tagName } from "../repo/tag-name.js";
import { CATALOG_FORMAT, type HandlerEntry, type IntegrationEntry, type VersionDetail, type VersionEntry } from "./catalog-schema.js";
import { parseChangelog, type ChangelogEntry } from "./changelog.js";
import { deviceHttpCallsIn, type DeviceHttpCall } from "../analysis/lua-handler-analysis.js";
import { operationsUsed, readOpenApi } from "../analysis/openapi-operations.js";
import { describePermissions } from "./permission-words.js";
import type { IntegrationSource } from "./read-integration.js";
import { exampleFromSchema, schemaRows } from "./schema-rows.js";

/** Site-relative URLs; the site and the JSON use the same ones. */
export const integrationUrl = (slug: string) => `integrations/${slug}/`;
export const versionUrl = (slug: string, version: string) => `integrations/${slug}/${version}/`;
export const detailUrl = (slug: string) => `catalog/${slug}.json`;

/** `^<major>` of a version; for 0.x the minor is the breaking part, so `^0.<minor>`. */
export function caretRange(version: string): string {
  const v = semver.parse(version)!;
  return v.major > 0 ? `^${v.major}` : `^0.${v.minor}`;
}

function versionEntries(source: IntegrationSource, registry: IntegrationIndex | null): VersionEntry[] {
  const slug = source.slug;
  const notes = new Map<string, ChangelogEntry>(parseChangelog(source.changelog ?? "").map((e) => [e.version, e]));
  const records = Object.values(registry?.versions ?? {});
  let entries: Omit<VersionEntry, "breaking">[];
  if (records.length > 0) {
    entries = records.map((r) => ({
      version: r.version,
      date: r.publishedAt,
      tag: r.tag,
      contentDigest: r.contentDigest,
      integrity: r.integrity,
      size: r.size,
      ...(r.yanked ? { yanked: r.yanked } : {}),
      changelog: notes.get(r.version)?.body ?? "",
      source: "registry" as const,
    }));
  } else {
    const known = [...notes.values()].filter((n) => semver.valid(n.version));
    if (!notes.has(source.manifest.version)) known.push({ version: source.manifest.version, body: "" });
    entries = known.map((n) => ({
      version: n.version,
      ...(n.date ? { date: n.date } : {}),
      tag: tagName(slug, n.version),
      changelog: n.body,
      source: n.version === source.manifest.version && !notes.has(n.version) ? ("manifest" as const) : ("changelog" as const),
    }));
  }
  entries.sort((a, b) => semver.rcompare(a.version, b.version));
  return entries.map((e, i) => {
    const previous = entries[i + 1];
    return { ...e, breaking: previous !== undefined && !semver.satisfies(e.version, `^${previous.version}`) };
  });
}

function handlerEntries(source: IntegrationSource): HandlerEntry[] {
  return Object.entries(source.manifest.handlers).map(([name, h]) => {
    const entry: HandlerEntry = {
      name,
      displayName: h.displayName,
      description: h.description,
      type: h.type,
      input: schemaRows(h.inputSchema),
      output: schemaRows(h.outputSchema),
    };
    if (h.schedule) entry.schedule = h.schedule;
    if (h.event) entry.event = h.event;
    if (h.timeoutMs) entry.timeoutMs = h.timeoutMs;
    if (h.inputSchema) entry.inputSchema = h.inputSchema;
    if (h.outputSchema) entry.outputSchema = h.outputSchema;
    const tested = source.tests.find((t) => t.handler === name && !t.expect.error && (t.input !== undefined || t.expect.output !== undefined));
    if (tested) {
      entry.example = { source: "test", input: tested.input ?? tested.event?.payload, output: tested.expect.output };
    } else {
      const input = exampleFromSchema(h.inputSchema);
      const output = exampleFromSchema(h.outputSchema);
      if (input !== undefined || output !== undefined) entry.example = { source: "schema", input, output };
    }
    return entry;
  });
}

/** Everything in an entry that comes from one version's manifest and files (see `versionDetailSchema`). */
export function entryDetail(source: IntegrationSource): VersionDetail {
  const m = source.manifest;
  const calls: DeviceHttpCall[] = Object.values(source.lua).flatMap(deviceHttpCallsIn);
  const auth: VersionDetail["auth"] = {
    type: m.auth.type,
    scopes: m.auth.scopes ?? [],
    // A default of a secret field would be a credential in plain sight: rows never carry one.
    fields: schemaRows(m.auth.fields, { secrets: true }).map(({ default: _secretDefault, ...row }) => row),
  };
  if (m.auth.type !== "none") auth.headerName = m.auth.authHeaderName ?? "Authorization";
  if (m.auth.authValuePrefix) auth.valuePrefix = m.auth.authValuePrefix;
  if (m.auth.oauth2) auth.oauth2 = { authorizationUrl: m.auth.oauth2.authorizationUrl, tokenUrl: m.auth.oauth2.tokenUrl };
  if (m.auth.provider) auth.provider = m.auth.provider;
  return {
    description: m.description,
    auth,
    config: schemaRows(m.configSchema),
    resources: Object.entries(m.resources ?? {}).map(([alias, r]) => ({
      alias,
      kind: r.kind,
      description: r.description,
      ...(r.dialect ? { dialect: r.dialect } : {}),
      operations: r.kind === "http" ? operationsUsed(calls.filter((c) => c.alias === alias), readOpenApi(source.openapi[alias] ?? "")) : [],
    })),
    permissions: m.permissions,
    permissionSummary: describePermissions(m.permissions, m.resources),
    handlers: handlerEntries(source),
    containers: Object.entries(m.dataContainerSchemas ?? {}).map(([name, schema]) => ({ name, fields: schemaRows(schema) })),
    dependencies: { modules: m.dependencies?.modules ?? {}, integrations: m.dependencies?.integrations ?? {} },
    billing: m.billing === true,
    connectedAccount: m.connectedAccount?.handler ?? null,
  };
}

export function buildEntry(source: IntegrationSource, registry: IntegrationIndex | null, iconUrl: string): IntegrationEntry | null {
  const m = source.manifest;
  if (m.visibility === "private") return null;
  const versions = versionEntries(source, registry);
  const installable = versions.filter((v) => !v.yanked);
  const latest = (installable[0] ?? versions[0])!.version;
  const { description, ...detail } = entryDetail(source);
  const entry: IntegrationEntry = {
    format: CATALOG_FORMAT,
    slug: m.slug,
    name: m.name,
    description,
    publisher: m.publisher,
    trustTier: m.trustTier,
    visibility: m.visibility,
    categories: m.categories,
    retentionTier: m.retentionTier,
    retention: describeRetention(m.retentionTier),
    icon: iconUrl,
    url: integrationUrl(m.slug),
    latestVersion: latest,
    install: `${m.slug}@${caretRange(latest)}`,
    yanked: installable.length === 0,
    ...detail,
    versions,
  };
  if (m.homepage) entry.homepage = m.homepage;
  if (m.deprecated) entry.deprecated = m.deprecated;
  return entry;
}

/** Listing order: installable and current first, deprecated or yanked last, then by name. */
export function compareEntries(a: IntegrationEntry, b: IntegrationEntry): number {
  const rank = (e: IntegrationEntry) => (e.deprecated || e.yanked ? 1 : 0);
  return rank(a) - rank(b) || a.name.localeCompare(b.name, "en") || a.slug.localeCompare(b.slug, "en");
}
