/**
 * How a bundle maps onto an OCI artifact (distribution spec): repository `<namespace>/<slug>`,
 * tag = version (`+` becomes `_`, which tags cannot contain), one layer = the .tgz, config blob =
 * the version record, and the integrity/signature repeated as manifest annotations so generic
 * OCI tooling (oras, crane) shows them.
 */
import { z } from "zod";
import { versionRecordSchema } from "./registry-schema.js";

export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const BUNDLE_ARTIFACT_TYPE = "application/vnd.ihub.bundle.v1";
export const BUNDLE_LAYER_MEDIA_TYPE = "application/vnd.ihub.bundle.layer.v1.tar+gzip";
export const BUNDLE_CONFIG_MEDIA_TYPE = "application/vnd.ihub.bundle.config.v1+json";

export const ANNOTATIONS = {
  title: "org.opencontainers.image.title",
  version: "org.opencontainers.image.version",
  slug: "dev.ihub.slug",
  sha256: "dev.ihub.integrity.sha256",
  sha512: "dev.ihub.integrity.sha512",
  contentDigest: "dev.ihub.content-digest",
  keyId: "dev.ihub.signature.key-id",
  signature: "dev.ihub.signature",
} as const;

/** The config blob: the version record as published, minus what only the directory registry knows. */
export const ociConfigSchema = versionRecordSchema.omit({ ociDigest: true, yanked: true });
export type OciConfig = z.infer<typeof ociConfigSchema>;

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const descriptor = z.object({ mediaType: z.string(), digest, size: z.number().int().nonnegative() });

export const ociManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.literal(OCI_MANIFEST_MEDIA_TYPE),
  artifactType: z.literal(BUNDLE_ARTIFACT_TYPE).optional(),
  config: descriptor.extend({ mediaType: z.literal(BUNDLE_CONFIG_MEDIA_TYPE) }),
  layers: z.tuple([descriptor.extend({ mediaType: z.literal(BUNDLE_LAYER_MEDIA_TYPE) })]),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type OciManifest = z.infer<typeof ociManifestSchema>;

export const ociTagListSchema = z.object({ name: z.string(), tags: z.array(z.string()).nullable() });

export function versionToTag(version: string): string {
  return version.replace(/\+/g, "_");
}

export function tagToVersion(tag: string): string {
  return tag.replace(/_/g, "+");
}
