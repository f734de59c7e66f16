/**
 * Reads one integration's version list from a directory registry (`<registry>/<slug>/index.json`,
 * read by runtime/src/registry/integration-index.ts). No file means "not published yet"; a file
 * that is unreadable or does not match the schema is a finding, and the catalog falls back to the
 * repository's history.
 */
import { type IntegrationIndex, readIntegrationIndex } from "@ihub/runtime/registry";
import { registryPaths } from "../publish/dir-registry.js";
import type { Finding } from "../findings/finding.js";
import { catalogFinding } from "./catalog-finding.js";

export async function readRegistryVersions(registryDir: string, slug: string): Promise<IntegrationIndex | Finding | null> {
  const read = await readIntegrationIndex({ dir: registryDir }, slug);
  if (read.ok) return read.index;
  if (read.error.code === "REG_NOT_FOUND") return null;
  return catalogFinding({
    code: "IH_CATALOG_REGISTRY",
    integration: slug,
    file: registryPaths(registryDir).slugIndex(slug),
    pointer: read.error.location.pointer ?? null,
    message: `registry index is unusable: ${read.error.message}`,
    hint: "The registry index is written by `ihub publish`; republish or repair the file. The catalog shows the repository's versions meanwhile.",
  });
}
