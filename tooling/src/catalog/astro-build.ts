/**
 * Runs the Astro build of `site/` programmatically. The catalog data reaches the site through a
 * virtual module that names the data file, so concurrent builds (CLI, tests, bench) each read
 * their own data and never write into the site's source tree.
 */
import { cp, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Plugin } from "vite";

export const CATALOG_DATA_MODULE = "virtual:ihub-catalog-data";

/**
 * The module names the data file and the base path. The base travels here rather than through
 * `import.meta.env.BASE_URL` because Astro lets a `BASE_URL` in the process environment (which
 * test runners built on Vite set) override the configured one.
 */
function catalogDataPlugin(dataFile: string, base: string): Plugin {
  const resolved = "\0" + CATALOG_DATA_MODULE;
  return {
    name: "ihub-catalog-data",
    resolveId: (id) => (id === CATALOG_DATA_MODULE ? resolved : undefined),
    load: (id) => (id === resolved ? `export const dataFile = ${JSON.stringify(dataFile)};\nexport const base = ${JSON.stringify(base)};\n` : undefined),
  };
}

export type AstroBuildOptions = {
  siteDir: string;
  outDir: string;
  dataFile: string;
  /** Vite's cache for this build; a private one keeps parallel builds apart. */
  cacheDir: string;
  /** Public URL of the site, used for sitemap.xml; optional. */
  siteUrl?: string;
  /** Path the site is served under, e.g. `/catalog/`. */
  base?: string;
};

/** Moves a finished build into place; a rename when on the same disk, else copy and delete. */
async function moveDir(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch {
    await cp(from, to, { recursive: true });
  }
}

export async function runAstroBuild(opts: AstroBuildOptions): Promise<void> {
  // Astro would otherwise report usage over the network; the catalog build stays offline.
  process.env.ASTRO_TELEMETRY_DISABLED = "1";
  const { build } = await import("astro");
  // Astro renders pages by importing server chunks it writes into the output folder, and those
  // chunks resolve Astro's own packages from node_modules; so the build runs in a private
  // staging folder inside the site (and with the site as working directory, which Astro needs
  // to stage there) and is moved to the requested place afterwards.
  const stagingRoot = path.join(opts.siteDir, ".astro");
  await mkdir(stagingRoot, { recursive: true });
  const staging = await mkdtemp(path.join(stagingRoot, "build-"));
  const stagedOut = path.join(staging, "dist");
  const cwd = process.cwd();
  process.chdir(opts.siteDir);
  try {
    await build({
      root: opts.siteDir,
      outDir: stagedOut,
      cacheDir: opts.cacheDir,
      logLevel: "error",
      ...(opts.siteUrl ? { site: opts.siteUrl } : {}),
      ...(opts.base ? { base: opts.base } : {}),
      vite: { plugins: [catalogDataPlugin(opts.dataFile, opts.base ?? "/")], logLevel: "error" },
    });
    await moveDir(stagedOut, path.resolve(cwd, opts.outDir));
  } finally {
    process.chdir(cwd);
    await rm(staging, { recursive: true, force: true });
  }
}
