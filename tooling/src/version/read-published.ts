/**
 * The versions a registry already holds for one integration (`<slug>/index.json`), read from a
 * directory or over HTTP: the floor below which no version may be declared, and the content each
 * published version is pinned to. A registry or slug the registry does not know has none.
 */
import { readStatic } from "../../../runtime/src/registry/bounded-read.js";
import { parseDocument } from "../../../runtime/src/registry/parse-document.js";
import { RegistryError } from "../../../runtime/src/registry/registry-error.js";
import type { RegistryLocation } from "../../../runtime/src/registry/registry-location.js";
import { integrationIndexSchema } from "../../../runtime/src/registry/registry-schema.js";
import { IhubError, UsageError } from "../errors.js";
import type { PublishedVersion } from "./snapshot.js";

const MAX_INDEX_BYTES = 16 * 1024 * 1024;

export async function readPublishedVersions(location: RegistryLocation, slug: string): Promise<PublishedVersion[]> {
  if (location.kind === "oci") {
    throw new UsageError("the version gate reads a directory or HTTP registry", "Pass --registry with the directory or http(s) URL the pipeline publishes its index to.");
  }
  const base = location.kind === "dir" ? { dir: location.dir } : { baseUrl: location.baseUrl };
  try {
    const { where, body } = await readStatic(base, `${slug}/index.json`, MAX_INDEX_BYTES);
    const index = parseDocument(body, integrationIndexSchema, where);
    if (index.slug !== slug) throw new RegistryError("REG_BAD_DOCUMENT", `${where} describes ${index.slug}, not ${slug}`, { file: where, pointer: "/slug" });
    return Object.values(index.versions).map((r) => ({ version: r.version, contentDigest: r.contentDigest }));
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    if (error.code === "REG_NOT_FOUND") return [];
    throw new IhubError("IH_VERSION_REGISTRY_UNREADABLE", `cannot read the registry's versions of ${slug}: ${error.message}`, {
      location: error.location,
      hint: "The floor check needs the registry's index; repair it (`ihub publish --reconcile`) or pass another --registry.",
      cause: error,
    });
  }
}
