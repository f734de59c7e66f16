/**
 * The one reader of a registry's `<slug>/index.json`: bytes from a directory or over HTTP, the
 * schema, and the checks that it describes `slug` and files every version under its own key.
 * It returns a typed result, so each caller decides what a bad or missing index means: the
 * registry client refuses, the version gate reports it, the catalog falls back to the
 * repository's history and `publish --reconcile` rebuilds it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { fetchCapped, readFileCapped, readStatic } from "./bounded-read.js";
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

/** Unchanged since the ETag the caller holds, or read anew with its ETag. */
export type IndexPoll = { changed: false } | { changed: true; etag: string; index: IntegrationIndex };

const contentTag = (body: Buffer) => `"sha256-${createHash("sha256").update(body).digest("base64")}"`;

/**
 * The index again only when it changed since `etag`. Over HTTP a conditional GET
 * (`If-None-Match`), so an unchanged index costs a 304 and no body; from a directory, or from a
 * server that sends no ETag, the tag is the sha256 of the bytes. Failures are RegistryErrors.
 */
export async function pollIntegrationIndex(base: { dir: string } | { baseUrl: URL }, slug: string, etag: string | null, maxBytes = MAX_INDEX_BYTES): Promise<IndexPoll> {
  const rel = registryFiles.slugIndex(slug);
  const fresh = (body: Buffer, tag: string, where: string): IndexPoll =>
    tag === etag ? { changed: false } : { changed: true, etag: tag, index: checkIndex(parseDocument(body, integrationIndexSchema, where), slug, where) };
  if ("dir" in base) {
    const file = path.join(base.dir, ...rel.split("/"));
    const body = await readFileCapped(file, maxBytes);
    return fresh(body, contentTag(body), file);
  }
  const url = new URL(rel, base.baseUrl);
  const { response, body } = await fetchCapped(url, maxBytes, etag ? { headers: { "if-none-match": etag } } : {});
  if (response.status === 304) return { changed: false };
  if (!response.ok) throw new RegistryError("REG_TRANSPORT", `${url.href} answered ${response.status}`, { file: url.href });
  return fresh(body, response.headers.get("etag") ?? contentTag(body), url.href);
}
