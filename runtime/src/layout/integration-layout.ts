/**
 * The names of the repository layout every layer relies on: where integrations live, what an
 * integration folder holds and where shared Lua modules are. Folder *names* end in `_DIR`;
 * repository-relative *paths* are built with the functions below, so a name never stands for a path.
 */

/** The folder, at the repository root, that holds one folder per integration. */
export const INTEGRATIONS_DIR = "integrations";
/** Folders under integrations/ that start with `_` hold shared material (e.g. `_modules/`), not integrations. */
export const RESERVED_PREFIX = "_";
/** The folder under integrations/ holding one folder per shared Lua module. */
export const SHARED_MODULES_DIR = `${RESERVED_PREFIX}modules`;

/** An integration folder's manifest. */
export const MANIFEST_FILE = "integration.json";
/** Every Lua file below this folder of an integration is loaded and bundled, so handlers can share local helpers. */
export const HANDLERS_DIR = "handlers";
/** An integration's test cases (`*.test.json` / `*.test.yaml`). */
export const TESTS_DIR = "tests";
/** Documents every bundle carries besides the files the manifest references. */
export const BUNDLE_DOCS = ["README.md", "CHANGELOG.md"] as const;

/** Inside a bundle, shared modules are under `modules/<name>/` (the sandbox names their chunks so too). */
export const BUNDLE_MODULES_DIR = "modules";

/** A shared module's metadata and its code, in its folder. */
export const MODULE_FILE = "module.json";
export const MODULE_ENTRY = "init.lua";

/** Repository-relative (POSIX) path of an integration's folder, or of a file in it. */
export function integrationPath(slug: string, ...rest: string[]): string {
  return [INTEGRATIONS_DIR, slug, ...rest].join("/");
}

/** Repository-relative (POSIX) path of a shared module's folder, or of a file in it. */
export function sharedModulePath(name: string, ...rest: string[]): string {
  return [INTEGRATIONS_DIR, SHARED_MODULES_DIR, name, ...rest].join("/");
}

/** Bundle-relative path of a shared module's entry: also the chunk name its errors carry in the sandbox. */
export function bundleModuleEntry(name: string): string {
  return [BUNDLE_MODULES_DIR, name, MODULE_ENTRY].join("/");
}
