/** Builds one integration's bundle in memory: manifest -> entries -> deterministic .tgz -> integrity. */
import { type Manifest, parseManifest } from "@ihub/runtime/manifest";
import { computeIntegrity, type Integrity, type VersionRecord } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";
import { integrationPath, MANIFEST_FILE } from "@ihub/runtime/layout";
import { collectBundleEntries, contentDigest, type BundleEntry, type FileSource } from "./bundle-contents.js";
import { packTgz } from "./pack-tgz.js";

export type BuiltBundle = {
  slug: string;
  version: string;
  bytes: Buffer;
  integrity: Integrity;
  contentDigest: string;
  files: number;
  manifest: VersionRecord["manifest"];
};

export async function readManifest(source: FileSource, slug: string): Promise<Manifest> {
  const file = integrationPath(slug, MANIFEST_FILE);
  const bytes = await source.read(file);
  if (!bytes) throw new IhubError("IH_BUNDLE_NO_MANIFEST", `${slug} has no ${MANIFEST_FILE}`, { location: { file }, hint: "Is the slug right? Integrations live in integrations/<slug>/." });
  const read = parseManifest(Buffer.from(bytes).toString("utf8"), slug);
  if (read.ok) return read.manifest;
  switch (read.problem) {
    case "not-json":
    case "too-deep":
      throw new IhubError("IH_BUNDLE_MANIFEST_INVALID", `${file}: ${read.message}`, { location: { file }, hint: "Run `ihub validate` for details." });
    case "invalid":
      throw new IhubError("IH_BUNDLE_MANIFEST_INVALID", `${file}: ${read.message}`, { location: { file, pointer: read.pointer }, hint: "Run `ihub validate` for every problem with a hint." });
    case "slug-mismatch":
      throw new IhubError("IH_BUNDLE_MANIFEST_INVALID", `${file} declares slug ${read.declared} but lives in folder ${slug}`, { location: { file, pointer: read.pointer }, hint: "The slug must equal the folder name." });
  }
}

export type BundleContent = { manifest: Manifest; entries: BundleEntry[]; contentDigest: string };

/** What a bundle of `slug` would hold, without packing it: enough for a tag, which pins the content digest. */
export async function readBundleContent(source: FileSource, slug: string): Promise<BundleContent> {
  const manifest = await readManifest(source, slug);
  const entries = await collectBundleEntries(source, slug, manifest);
  return { manifest, entries, contentDigest: contentDigest(entries) };
}

export async function buildBundle(source: FileSource, slug: string): Promise<BuiltBundle> {
  const { manifest, entries, contentDigest: digest } = await readBundleContent(source, slug);
  const bytes = packTgz(entries);
  return {
    slug,
    version: manifest.version,
    bytes,
    integrity: computeIntegrity(bytes),
    contentDigest: digest,
    files: entries.length,
    manifest: {
      name: manifest.name,
      description: manifest.description,
      trustTier: manifest.trustTier,
      visibility: manifest.visibility,
      deprecated: manifest.deprecated !== undefined,
    },
  };
}
