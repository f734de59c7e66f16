/**
 * Reads the bundles of published versions from a directory registry, so the page of an older
 * (or newer) version shows what that version needs and does rather than what the repository holds
 * today. A registry without bundle files (an index mirrored on its own) simply yields none; a
 * bundle that fails its recorded integrity or does not unpack is a finding, and its page falls
 * back to the repository's contents with a note saying so.
 */
import { readFile } from "node:fs/promises";
import { type IntegrationIndex, integrityMatches, readArchive } from "@ihub/runtime/registry";
import { registryPaths } from "../publish/dir-registry.js";
import type { Finding } from "../findings/finding.js";
import { catalogFinding, isFinding } from "./catalog-finding.js";
import { archiveFiles, readIntegration, type IntegrationSource } from "./read-integration.js";

export type VersionSources = { sources: Map<string, IntegrationSource>; findings: Finding[] };

const HINT = "Republish the version or repair the registry; the catalog shows the repository's contents on that version's page meanwhile.";

/** Sources of every published version except `skip` (the one the repository's files already describe). */
export async function readVersionBundles(registryDir: string, index: IntegrationIndex, skip: string): Promise<VersionSources> {
  const out: VersionSources = { sources: new Map(), findings: [] };
  for (const record of Object.values(index.versions)) {
    if (record.version === skip) continue;
    const file = registryPaths(registryDir).bundle(index.slug, record.version);
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue;
    const fail = (message: string) => out.findings.push(catalogFinding({ code: "IH_CATALOG_BUNDLE", integration: index.slug, file, message, hint: HINT }));
    if (!integrityMatches(bytes, record.integrity)) {
      fail(`bundle of ${record.version} does not match the integrity recorded in the registry index`);
      continue;
    }
    let source: IntegrationSource | Finding;
    try {
      source = await readIntegration(index.slug, archiveFiles(await readArchive(bytes), `${index.slug}@${record.version}.tgz`));
    } catch (error) {
      fail(`bundle of ${record.version} does not unpack: ${(error as Error).message}`);
      continue;
    }
    if (isFinding(source)) out.findings.push(source);
    else if (source.manifest.version !== record.version) fail(`bundle of ${record.version} holds a manifest of version ${source.manifest.version}`);
    else out.sources.set(record.version, source);
  }
  return out;
}
