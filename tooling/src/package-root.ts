/**
 * The folder holding ihub's own package.json. Modules run from two trees, the TypeScript sources
 * and the JavaScript compiled into dist/ (one folder deeper), so what the package ships beside its
 * sources and does not compile (the Astro site, package.json) is found from here rather than by a
 * fixed number of `../` that holds in only one of the trees.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json in ${from} or any folder above it`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The `version` of ihub's package.json, what `ihub --version` prints. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
