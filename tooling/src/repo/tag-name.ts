/** Release tags are `<slug>@<version>`; every command names and parses them here. */
import { SEMVER_PATTERN, SLUG_PATTERN } from "../../../runtime/src/manifest/manifest-schema.js";

const TAG_PATTERN = new RegExp(`^(${SLUG_PATTERN.slice(1, -1)})@(${SEMVER_PATTERN.slice(1, -1)})$`);

export function tagName(slug: string, version: string): string {
  return `${slug}@${version}`;
}

export function parseTagName(tag: string): { slug: string; version: string } | null {
  const m = TAG_PATTERN.exec(tag);
  return m ? { slug: m[1]!, version: m[2]! } : null;
}
