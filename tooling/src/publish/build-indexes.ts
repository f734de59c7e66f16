/**
 * The registry's indexes as pure functions of the immutable version records: a publisher never
 * edits an index in place, it rebuilds it, so an interrupted or concurrent run cannot lose an
 * entry that has a record.
 */
import semver from "semver";
import { type IntegrationIndex, REGISTRY_FORMAT, type RegistryIndex, type VersionRecord } from "@ihub/runtime/registry";

/** Highest stable non-yanked version; a prerelease only when nothing stable is left. */
export function latestVersion(records: readonly VersionRecord[]): string | null {
  const live = records.filter((r) => !r.yanked).map((r) => r.version);
  const stable = live.filter((v) => semver.prerelease(v) === null);
  const pool = stable.length ? stable : live;
  return pool.length ? semver.rsort([...pool])[0]! : null;
}

export function buildIntegrationIndex(slug: string, records: readonly VersionRecord[]): IntegrationIndex {
  const sorted = [...records].sort((a, b) => semver.compare(a.version, b.version));
  return {
    format: REGISTRY_FORMAT,
    slug,
    latest: latestVersion(sorted),
    versions: Object.fromEntries(sorted.map((r) => [r.version, r])),
  };
}

export function buildRegistryIndex(indexes: readonly IntegrationIndex[], now: Date): RegistryIndex {
  const integrations: RegistryIndex["integrations"] = {};
  for (const index of [...indexes].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    const records = Object.values(index.versions);
    if (!records.length) continue;
    // Describe the integration by its latest version, or by its newest one when all are yanked.
    const shown = index.latest ? index.versions[index.latest]! : records.reduce((a, b) => (semver.gt(b.version, a.version) ? b : a));
    integrations[index.slug] = {
      latest: index.latest,
      ...shown.manifest,
      versions: records.length,
      updatedAt: records.map((r) => r.yanked?.at ?? r.publishedAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)),
    };
  }
  return { format: REGISTRY_FORMAT, generatedAt: now.toISOString(), integrations };
}
