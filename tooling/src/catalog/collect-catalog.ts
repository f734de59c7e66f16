/**
 * Reads the repository and the registry into the catalog: entries in listing order, the icon
 * files to copy, and findings for what had to be left out.
 */
import type { Finding } from "../findings/finding.js";
import { listIntegrationDirs } from "../repo/list-integrations.js";
import type { Progress } from "../report/progress.js";
import { buildEntry, compareEntries } from "./build-entry.js";
import { hashedIconPath } from "./icon-file.js";
import { readIntegration } from "./read-integration.js";
import { readRegistryVersions } from "./read-registry.js";
import { renderMarkdown } from "./render-markdown.js";
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

const isFinding = (v: object): v is Finding => "code" in v && "severity" in v;

export async function collectCatalog(root: string, registryDir: string, tick?: Progress["tick"]): Promise<CollectedCatalog> {
  const out: CollectedCatalog = { integrations: [], icons: new Map(), findings: [], privateSlugs: [] };
  for (const dir of await listIntegrationDirs(root)) {
    tick?.(dir.slug);
    const source = await readIntegration(dir);
    if (isFinding(source)) {
      out.findings.push(source);
      continue;
    }
    if (source.manifest.visibility === "private") {
      out.privateSlugs.push(source.slug);
      continue;
    }
    const registry = await readRegistryVersions(registryDir, source.slug);
    if (registry && isFinding(registry)) out.findings.push(registry);
    const icon = source.icon ?? { bytes: PLACEHOLDER_ICON, ext: "svg" };
    const iconPath = hashedIconPath(source.slug, icon.bytes, icon.ext);
    const entry = buildEntry(source, registry && !isFinding(registry) ? registry : null, iconPath);
    if (!entry) continue;
    out.icons.set(iconPath, icon.bytes);
    const notesHtml: Record<string, string> = {};
    for (const v of entry.versions) if (v.changelog) notesHtml[v.version] = renderMarkdown(v.changelog, { shift: 2 });
    out.integrations.push({ ...entry, readmeHtml: renderMarkdown(source.readme ?? "", { shift: 2 }), notesHtml });
  }
  out.integrations.sort(compareEntries);
  return out;
}
