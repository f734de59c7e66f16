/** Release tags are `<slug>@<version>`; every command names and parses them here, and their message too. */
import { SEMVER_PATTERN, SLUG_PATTERN } from "@ihub/runtime/manifest";

const TAG_PATTERN = new RegExp(`^(${SLUG_PATTERN.slice(1, -1)})@(${SEMVER_PATTERN.slice(1, -1)})$`);

export function tagName(slug: string, version: string): string {
  return `${slug}@${version}`;
}

export function parseTagName(tag: string): { slug: string; version: string } | null {
  const m = TAG_PATTERN.exec(tag);
  return m ? { slug: m[1]!, version: m[2]! } : null;
}

/**
 * The annotated tag's message: the tag name, then the bundle's content digest on a line of its
 * own. The content digest (not the .tgz's sha512) is what a tag pins, because it does not depend
 * on the zlib that packed the bytes; `ihub tag` and `ihub publish --reconcile` both read it back.
 */
export function tagMessage(slug: string, version: string, contentDigest: string): string {
  return `${tagName(slug, version)}\n\ncontent-digest: ${contentDigest}\n`;
}

const DIGEST_LINE = /^content-digest:\s*([0-9a-f]{64})\s*$/m;

/** The content digest a tag message carries, or null for a message without one. */
export function parseTagDigest(message: string): string | null {
  return DIGEST_LINE.exec(message)?.[1] ?? null;
}
