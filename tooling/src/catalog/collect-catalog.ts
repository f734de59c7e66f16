/**
 * Reads the repository and the registry into the catalog: entries in listing order, the icon
 * files to copy, and findings for what had to be left out.
 */
import type { Finding } from "../findings/finding.js";
import { listIntegrationDirs, type IntegrationDir } from "../repo/list-integrations.js";
import type { Progress } from "../report/progress.js";
import { buildEntry, compareEntries, entryDetail } from "./build-entry.js";
import { isFinding } from "./catalog-finding.js";
import { hashedIconPath } from "./icon-file.js";
import { folderFiles, readIntegration } from "./read-integration.js";
import { readRegistryVersions } from "./read-registry.js";
import { readVersionBundles } from "./read-version-bundles.js";
import { renderMarkdown } from "./render-markdown.js";
import type { HandlerEntry, VersionDetail } from "./catalog-schema.js";
import type { SiteIntegration } from "./site-data.js";

export type CollectedCatalog = {
  integrations: SiteIntegration[];
  /** Site-relative icon path -> bytes. */
  icons: Map<string, Uint8Array>;
  findings: Finding[];
  /** Slugs left out because they are private. */
  privateSlugs: string[];
};

/** Shown when an icon is missing, so a card never has a broken image. */
const PLACEHOLDER_ICON = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#8a94a6"/><path d="M20 32h24M32 20v24" stroke="#fff" stroke-width="6" stroke-linecap="round"/></svg>',
);

/**
 * Bundles carry no tests, so a version read from one would only get examples assembled from its
 * schemas. A handler whose input and output schemas equal today's takes today's tested example:
 * it is a valid call of that version too.
 */
function withTestedExamples(detail: VersionDetail, today: readonly HandlerEntry[]): VersionDetail {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const handlers = detail.handlers.map((h) => {
    const now = today.find((t) => t.name === h.name);
    return now?.example?.source === "test" && same(now.inputSchema, h.inputSchema) && same(now.outputSchema, h.outputSchema) ? { ...h, example: now.example } : h;
  });
  return { ...detail, handlers };
}

const readmeHtml = (markdown: string | null) => renderMarkdown(markdown ?? "", { shift: 2 });

/** What one integration folder contributes. */
type Collected =
  | { kind: "finding"; finding: Finding }
  | { kind: "private"; slug: string }
  | { kind: "entry"; integration: SiteIntegration; icon: [string, Uint8Array]; findings: Finding[] };

async function collectOne(dir: IntegrationDir, registryDir: string): Promise<Collected | null> {
  const source = await readIntegration(dir.slug, folderFiles(dir));
  if (isFinding(source)) return { kind: "finding", finding: source };
  if (source.manifest.visibility === "private") return { kind: "private", slug: source.slug };
  const findings: Finding[] = [];
  const read = await readRegistryVersions(registryDir, source.slug);
  if (read && isFinding(read)) findings.push(read);
  const registry = read && !isFinding(read) ? read : null;
  const icon = source.icon ?? { bytes: PLACEHOLDER_ICON, ext: "svg" };
  const iconPath = hashedIconPath(source.slug, icon.bytes, icon.ext);
  const entry = buildEntry(source, registry, iconPath);
  if (!entry) return null;
  const notesHtml: Record<string, string> = {};
  for (const v of entry.versions) if (v.changelog) notesHtml[v.version] = renderMarkdown(v.changelog, { shift: 2 });
  const versionDetails: SiteIntegration["versionDetails"] = {};
  if (registry) {
    const bundles = await readVersionBundles(registryDir, registry, source.manifest.version);
    findings.push(...bundles.findings);
    for (const [version, s] of bundles.sources) versionDetails[version] = { ...withTestedExamples(entryDetail(s), entry.handlers), readmeHtml: readmeHtml(s.readme) };
  }
  const integration = { ...entry, readmeHtml: readmeHtml(source.readme), notesHtml, sourceVersion: source.manifest.version, versionDetails };
  return { kind: "entry", integration, icon: [iconPath, icon.bytes], findings };
}

/** Folders read at once: enough for file reads to overlap the parsing of others. */
const CONCURRENCY = 8;

export async function collectCatalog(root: string, registryDir: string, tick?: Progress["tick"]): Promise<CollectedCatalog> {
  const dirs = await listIntegrationDirs(root);
  const results: (Collected | null)[] = new Array(dirs.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < dirs.length; i = next++) {
      results[i] = await collectOne(dirs[i]!, registryDir);
      tick?.(dirs[i]!.slug);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, dirs.length) }, lane));

  // Merged in folder order, so the output does not depend on which read finished first.
  const out: CollectedCatalog = { integrations: [], icons: new Map(), findings: [], privateSlugs: [] };
  for (const r of results) {
    if (r?.kind === "finding") out.findings.push(r.finding);
    else if (r?.kind === "private") out.privateSlugs.push(r.slug);
    else if (r?.kind === "entry") {
      out.integrations.push(r.integration);
      out.icons.set(...r.icon);
      out.findings.push(...r.findings);
    }
  }
  out.integrations.sort(compareEntries);
  return out;
}
