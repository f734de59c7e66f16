import { REGISTRY_FORMAT, type VersionRecord } from "@ihub/runtime/registry";
import type { BuiltBundle } from "../bundle/build-bundle.js";
import { tagName } from "../repo/tag-name.js";

/** The immutable record of one published version: what the indexes are rebuilt from. */
export function versionRecord(
  bundle: BuiltBundle,
  signature: VersionRecord["signature"],
  at: { commit: string | null; publishedAt: Date },
): VersionRecord {
  return {
    format: REGISTRY_FORMAT,
    slug: bundle.slug,
    version: bundle.version,
    integrity: bundle.integrity,
    signature,
    size: bundle.bytes.length,
    contentDigest: bundle.contentDigest,
    tag: tagName(bundle.slug, bundle.version),
    commit: at.commit,
    publishedAt: at.publishedAt.toISOString(),
    manifest: bundle.manifest,
  };
}
