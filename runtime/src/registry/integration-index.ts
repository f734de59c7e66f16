/**
 * The one reader of a registry's `<slug>/index.json`: bytes from a directory or over HTTP, the
 * schema, and the checks that it describes `slug` and files every version under its own key.
 * It returns a typed result, so each caller decides what a bad or missing index means: the
 * registry client refuses, the version gate reports it, the catalog falls back to the
 * repository's history and `publish --reconcile` rebuilds it.
 */
import { readStatic } from "./bounded-read.js";
import { parseDocument } from "./parse-document.js";
import { RegistryError } from "./registry-error.js";
import { registryFiles } from "./registry-layout.js";
import { integrationIndexSchema, type IntegrationIndex } from "./registry-schema.js";

/** The cap for readers that trust the registry they read (their own, or the one they publish to). */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;

/** `where` is the file or URL the index was read from; a missing index is REG_NOT_FOUND. */
export type IndexRead = { ok: true; index: IntegrationIndex; where: string } | { ok: false; error: RegistryError };

function checkIndex(index: IntegrationIndex, slug: string, where: string): IntegrationIndex {
  if (index.slug !== slug) throw new RegistryError("REG_BAD_DOCUMENT", `${where} describes ${index.slug}, not ${slug}`, { file: where, pointer: "/slug" });
  for (const [key, record] of Object.entries(index.versions)) {
    if (record.version !== key || record.slug !== slug) {
      throw new RegistryError("REG_BAD_DOCUMENT", `${where} lists ${record.slug}@${record.version} under ${key}`, { file: where, pointer: `/versions/${key}` });
    }
  }
  return index;
}

export async function readIntegrationIndex(base: { dir: string } | { baseUrl: URL }, slug: string, maxBytes = MAX_INDEX_BYTES): Promise<IndexRead> {
  try {
    const { where, body } = await readStatic(base, registryFiles.slugIndex(slug), maxBytes);
    return { ok: true, where, index: checkIndex(parseDocument(body, integrationIndexSchema, where), slug, where) };
  } catch (error) {
    if (error instanceof RegistryError) return { ok: false, error };
    throw error;
  }
}
