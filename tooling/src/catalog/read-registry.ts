/**
 * Reads one integration's version list from a directory registry (`<registry>/<slug>/index.json`,
 * see runtime/src/registry/registry-schema.ts). No file means "not published yet"; a file that
 * does not match the schema is a finding, and the catalog falls back to the repository's history.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { integrationIndexSchema, type IntegrationIndex } from "../../../runtime/src/registry/registry-schema.js";
import type { Finding } from "../findings/finding.js";
import { catalogFinding } from "./catalog-finding.js";

export async function readRegistryVersions(registryDir: string, slug: string): Promise<IntegrationIndex | Finding | null> {
  const file = path.join(registryDir, slug, "index.json");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  const fail = (message: string, pointer: string | null = null): Finding =>
    catalogFinding({
      code: "IH_CATALOG_REGISTRY",
      integration: slug,
      file,
      pointer,
      message,
      hint: "The registry index is written by `ihub publish`; republish or repair the file. The catalog shows the repository's versions meanwhile.",
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`registry index is not JSON: ${(error as Error).message}`);
  }
  const parsed = integrationIndexSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`registry index is invalid: ${issue.message}`, "/" + issue.path.join("/"));
  }
  if (parsed.data.slug !== slug) return fail(`registry index names "${parsed.data.slug}", not "${slug}"`, "/slug");
  return parsed.data;
}
