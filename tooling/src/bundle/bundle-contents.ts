/**
 * What goes into an integration's bundle, and the content digest that decides whether a version
 * bump is needed. Shared by `ihub version` (reading a git tree) and `ihub bundle` (reading the
 * working tree) through the `FileSource` interface, so both agree byte for byte.
 */
import { createHash } from "node:crypto";
import path from "node:path/posix";
import type { Manifest } from "@ihub/runtime/manifest";
import { BUNDLE_DOCS, BUNDLE_MODULES_DIR, HANDLERS_DIR, integrationPath, MANIFEST_FILE, sharedModulePath } from "@ihub/runtime/layout";

/** Reads repository files by root-relative POSIX path; a missing file is null. */
export interface FileSource {
  read(relPath: string): Promise<Uint8Array | null>;
  /** Root-relative paths of every file below `relDir`, recursively. */
  list(relDir: string): Promise<string[]>;
}

export type BundleEntry = { path: string; bytes: Uint8Array };

/**
 * Entries of the bundle of `slug`, sorted by path. Paths inside the bundle are relative to the
 * integration folder; shared modules go under `modules/<name>/`.
 */
export async function collectBundleEntries(source: FileSource, slug: string, manifest: Manifest): Promise<BundleEntry[]> {
  const base = integrationPath(slug);
  const wanted = new Map<string, string>(); // bundle path -> repo path
  const add = (inBundle: string, inRepo: string) => wanted.set(path.normalize(inBundle), path.normalize(inRepo));

  add(MANIFEST_FILE, `${base}/${MANIFEST_FILE}`);
  for (const doc of BUNDLE_DOCS) add(doc, `${base}/${doc}`);
  add(manifest.icon, `${base}/${manifest.icon}`);
  for (const handler of Object.values(manifest.handlers)) add(handler.file, `${base}/${handler.file}`);
  for (const resource of Object.values(manifest.resources ?? {})) if (resource.openapi) add(resource.openapi, `${base}/${resource.openapi}`);
  for (const file of await source.list(`${base}/${HANDLERS_DIR}`)) if (file.endsWith(".lua")) add(path.relative(base, file), file);
  for (const name of Object.keys(manifest.dependencies?.modules ?? {})) {
    for (const file of await source.list(sharedModulePath(name))) add(`${BUNDLE_MODULES_DIR}/${name}/${path.relative(sharedModulePath(name), file)}`, file);
  }

  const entries: BundleEntry[] = [];
  for (const [inBundle, inRepo] of wanted) {
    const bytes = await source.read(inRepo);
    if (bytes) entries.push({ path: inBundle, bytes });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** sha256 (hex) over every entry's path, length and bytes: independent of tar and gzip framing. */
export function contentDigest(entries: readonly BundleEntry[]): string {
  const hash = createHash("sha256");
  for (const e of entries) {
    hash.update(e.path);
    hash.update("\0");
    hash.update(String(e.bytes.byteLength));
    hash.update("\0");
    hash.update(e.bytes);
  }
  return hash.digest("hex");
}
