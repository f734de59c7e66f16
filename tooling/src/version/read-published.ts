/**
 * The versions a registry already holds for one integration (`<slug>/index.json`), read from a
 * directory or over HTTP: the floor below which no version may be declared, and the content each
 * published version is pinned to. A registry or slug the registry does not know has none.
 */
import { readIntegrationIndex, type RegistryLocation } from "@ihub/runtime/registry";
import { IhubError, UsageError } from "../errors.js";
import type { PublishedVersion } from "./snapshot.js";

export async function readPublishedVersions(location: RegistryLocation, slug: string): Promise<PublishedVersion[]> {
  if (location.kind === "oci") {
    throw new UsageError("the version gate reads a directory or HTTP registry", "Pass --registry with the directory or http(s) URL the pipeline publishes its index to.");
  }
  const base = location.kind === "dir" ? { dir: location.dir } : { baseUrl: location.baseUrl };
  const read = await readIntegrationIndex(base, slug);
  if (read.ok) return Object.values(read.index.versions).map((r) => ({ version: r.version, contentDigest: r.contentDigest }));
  const { error } = read;
  if (error.code === "REG_NOT_FOUND") return [];
  throw new IhubError("IH_VERSION_REGISTRY_UNREADABLE", `cannot read the registry's versions of ${slug}: ${error.message}`, {
    location: error.location,
    hint: "The floor check needs the registry's index; repair it (`ihub publish --reconcile`) or pass another --registry.",
    cause: error,
  });
}
