/**
 * Reads an integration folder into what an invocation needs: the parsed manifest, every Lua file
 * below handlers/ (plus each handler's file) keyed by its folder-relative path, and the shared
 * modules the manifest depends on from integrations/_modules/<name>/init.lua (in a repository) or
 * modules/<name>/init.lua (in an unpacked bundle, see `loadBundle`).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { HANDLERS_DIR, INTEGRATIONS_DIR, MANIFEST_FILE, MODULE_ENTRY, SHARED_MODULES_DIR, sharedModulePath } from "../layout/integration-layout.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import { ExecutorError } from "./executor-error.js";

export type LoadedIntegration = {
  slug: string;
  dir: string;
  manifest: Manifest;
  sources: Record<string, string>;
  modules: Record<string, string>;
};

async function luaFilesBelow(dir: string, rel: string): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".lua"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

export async function loadIntegration(dir: string, modulesDir = path.join(dir, "..", SHARED_MODULES_DIR)): Promise<LoadedIntegration> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const text = await readFile(manifestFile, "utf8").catch(() => null);
  if (text === null) throw new ExecutorError("INTEGRATION_NOT_FOUND", `no ${MANIFEST_FILE} in ${dir}`, manifestFile, `Check the slug: it is the folder name under ${INTEGRATIONS_DIR}/.`);
  const read = parseManifest(text);
  if (!read.ok && read.problem === "too-deep") throw new ExecutorError("NESTING_TOO_DEEP", `${MANIFEST_FILE}: ${read.message}`, manifestFile, "Flatten the document: no reader follows nesting that deep.");
  if (!read.ok && read.problem === "not-json") throw new ExecutorError("MANIFEST_INVALID", `${MANIFEST_FILE} is not JSON: ${read.message}`, manifestFile, "Run `ihub validate` for the exact position.");
  if (!read.ok) throw new ExecutorError("MANIFEST_INVALID", `${MANIFEST_FILE}: ${read.pointer}: ${read.problem === "invalid" ? read.message : "slug differs"}`, manifestFile, "Run `ihub validate` for every problem with positions.");
  const manifest = read.manifest;
  const files = new Set([...(await luaFilesBelow(dir, HANDLERS_DIR)), ...Object.values(manifest.handlers).map((h) => path.posix.normalize(h.file))]);
  const sources: Record<string, string> = {};
  for (const rel of [...files].sort()) {
    const lua = await readFile(path.join(dir, rel), "utf8").catch(() => null);
    if (lua === null) throw new ExecutorError("SOURCE_MISSING", `handler file ${rel} does not exist`, path.join(dir, rel), "Fix the handler's `file` in integration.json or add the file.");
    sources[rel] = lua;
  }
  const modules: Record<string, string> = {};
  for (const name of Object.keys(manifest.dependencies?.modules ?? {})) {
    const file = path.join(modulesDir, name, MODULE_ENTRY);
    const lua = await readFile(file, "utf8").catch(() => null);
    if (lua === null) throw new ExecutorError("MODULE_MISSING", `shared module ${name} has no ${MODULE_ENTRY}`, file, `Add ${sharedModulePath(name, MODULE_ENTRY)} or remove it from dependencies.modules.`);
    modules[name] = lua;
  }
  return { slug: path.basename(dir), dir, manifest, sources, modules };
}

/** An unpacked bundle: the bundler puts shared modules under modules/<name>/, and the folder is named by its digest, not its slug. */
export async function loadBundle(dir: string): Promise<LoadedIntegration> {
  const loaded = await loadIntegration(dir, path.join(dir, "modules"));
  return { ...loaded, slug: loaded.manifest.slug };
}
