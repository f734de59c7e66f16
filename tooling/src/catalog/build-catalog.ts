/**
 * `ihub catalog` end to end: read the repository and the registry, write the data the Astro site
 * reads, build the site, then put the icons and the machine-readable catalog beside the pages.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { IhubError, UsageError } from "../errors.js";
import type { Finding } from "../findings/finding.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { runAstroBuild } from "./astro-build.js";
import { catalogFiles, LISTING_FILE } from "./catalog-json.js";
import { collectCatalog } from "./collect-catalog.js";
import type { SiteData, SiteIntegration } from "./site-data.js";
import { cardData } from "./card-data.js";
import { encodeSearchData } from "./search-data.js";

/** The Astro project ships with the tooling, not with the repository being catalogued. */
export const SITE_DIR = path.join(PACKAGE_ROOT, "site");

export type BuildCatalogOptions = {
  root: string;
  registryDir: string;
  outDir: string;
  siteUrl?: string;
  base?: string;
  /** Called as work advances: phase name and, while reading, the slug. */
  onPhase?: (phase: "read" | "site" | "json", detail?: string) => void;
  now?: Date;
};

export type BuildCatalogResult = {
  outDir: string;
  /** Integrations with pages, by visibility. */
  listed: string[];
  unlisted: string[];
  privateSkipped: string[];
  pages: number;
  findings: Finding[];
  ms: { read: number; site: number; json: number };
};

const WRITE_BATCH = 64;

/** The listed cards for the browser's search, named by a hash of their content so hosts can cache them forever. */
function searchDataFile(integrations: readonly SiteIntegration[]): { path: string; text: string } {
  const text = encodeSearchData(integrations.filter((i) => i.visibility === "public").map(cardData));
  return { path: `search/cards.${createHash("sha256").update(text).digest("hex").slice(0, 10)}.json`, text };
}

async function countPages(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name === "index.html").length;
}

/**
 * A stale page of a since-removed or now-private integration must not survive a rebuild, so the
 * output folder is emptied first, but only when it is empty or holds an earlier catalog build:
 * a mistyped `--out` must never wipe unrelated files.
 */
async function clearPreviousBuild(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(`--out ${outDir} is a file`, "Point --out at a folder for the site.");
  const entries = await readdir(outDir);
  if (entries.length === 0) return;
  if (!entries.includes(LISTING_FILE)) {
    throw new UsageError(`--out ${outDir} is not empty and holds no earlier catalog build (no ${LISTING_FILE})`, "Pick an empty or new folder; ihub replaces only its own earlier output.");
  }
  await rm(outDir, { recursive: true });
}

export async function buildCatalog(opts: BuildCatalogOptions): Promise<BuildCatalogResult> {
  const outDir = path.resolve(opts.outDir);
  const t0 = performance.now();
  const collected = await collectCatalog(opts.root, opts.registryDir, (slug) => opts.onPhase?.("read", slug));
  const t1 = performance.now();

  const generatedAt = (opts.now ?? new Date()).toISOString();
  const search = searchDataFile(collected.integrations);
  const data: SiteData = { generatedAt, searchData: search.path, integrations: collected.integrations };
  const work = await mkdtemp(path.join(tmpdir(), "ihub-catalog-"));
  try {
    const dataFile = path.join(work, "catalog-data.json");
    await writeFile(dataFile, JSON.stringify(data));
    opts.onPhase?.("site");
    await clearPreviousBuild(outDir);
    try {
      await runAstroBuild({ siteDir: SITE_DIR, outDir, dataFile, cacheDir: path.join(work, "vite-cache"), siteUrl: opts.siteUrl, base: opts.base });
    } catch (error) {
      if (process.env.IHUB_DEBUG) console.error(error);
      throw new IhubError("IH_CATALOG_BUILD", `the Astro build of the catalog site failed: ${(error as Error).message}`, {
        hint: "This is a bug in the site templates or their data; rerun with the same repository to reproduce it.",
        cause: error,
      });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const t2 = performance.now();

  opts.onPhase?.("json");
  const files = new Map<string, Uint8Array | string>([...collected.icons, ...catalogFiles(collected.integrations, generatedAt), [search.path, search.text]]);
  for (const dir of new Set([...files.keys()].map((rel) => path.dirname(path.join(outDir, rel))))) await mkdir(dir, { recursive: true });
  // Tens of thousands of small files at 10,000 integrations: written a batch at a time, not one by one.
  const entries = [...files];
  for (let i = 0; i < entries.length; i += WRITE_BATCH) await Promise.all(entries.slice(i, i + WRITE_BATCH).map(([rel, content]) => writeFile(path.join(outDir, rel), content)));
  const t3 = performance.now();

  return {
    outDir,
    listed: collected.integrations.filter((i) => i.visibility === "public").map((i) => i.slug),
    unlisted: collected.integrations.filter((i) => i.visibility === "unlisted").map((i) => i.slug),
    privateSkipped: collected.privateSlugs,
    pages: await countPages(outDir),
    findings: collected.findings,
    ms: { read: Math.round(t1 - t0), site: Math.round(t2 - t1), json: Math.round(t3 - t2) },
  };
}
