/**
 * The registry's documents (static files, servable by any HTTP server; where each lives is in
 * registry-layout.ts), defined once with zod. The publisher writes them, the runtime's registry
 * client, the version gate and the catalog read them.
 */
import { z } from "zod";
import { SEMVER_PATTERN, SLUG_PATTERN, trustTiers, visibilities } from "../manifest/manifest-schema.js";

export const REGISTRY_FORMAT = 1;

const slug = z.string().regex(new RegExp(SLUG_PATTERN));
const version = z.string().regex(new RegExp(SEMVER_PATTERN));
const isoTime = z.iso.datetime({ offset: true });

/** Subresource-Integrity style strings: `sha256-<base64>` and `sha512-<base64>` of the .tgz bytes. */
export const integritySchema = z.strictObject({
  sha256: z.string().regex(/^sha256-[A-Za-z0-9+/]{43}=$/),
  sha512: z.string().regex(/^sha512-[A-Za-z0-9+/]{86}==$/),
});

export const signatureSchema = z.strictObject({
  algorithm: z.literal("ed25519"),
  keyId: z.string().min(1).max(128),
  /** base64 ed25519 signature over `signedPayload(slug, version, integrity.sha512)`. */
  value: z.string().min(1).max(200),
  /**
   * Present when the signing key was a dev key generated on first use (keys.json says so too):
   * a label in every index a person or the catalog reads, so a dev-signed bundle never passes
   * for a release. Not part of what is signed; trust comes from the caller's keys alone.
   */
  dev: z.literal(true).optional(),
});

export const yankSchema = z.strictObject({ reason: z.string().min(1).max(1000), at: isoTime });

export const versionRecordSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  slug,
  version,
  integrity: integritySchema,
  signature: signatureSchema,
  size: z.number().int().nonnegative(),
  /** sha256 hex of the bundle's content (paths and bytes, independent of tar/gzip framing). */
  contentDigest: z.string().regex(/^[0-9a-f]{64}$/),
  tag: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/).nullable(),
  publishedAt: isoTime,
  /** OCI manifest digest when the bundle was also pushed to an OCI registry. */
  ociDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
  yanked: yankSchema.optional(),
  manifest: z.strictObject({
    name: z.string(),
    description: z.string(),
    trustTier: z.enum(trustTiers),
    visibility: z.enum(visibilities),
    deprecated: z.boolean(),
  }),
});

export const integrationIndexSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  slug,
  latest: version.nullable(),
  versions: z.record(version, versionRecordSchema),
});

export const registryIndexSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  generatedAt: isoTime,
  integrations: z.record(
    slug,
    z.strictObject({
      latest: version.nullable(),
      name: z.string(),
      description: z.string(),
      trustTier: z.enum(trustTiers),
      visibility: z.enum(visibilities),
      deprecated: z.boolean(),
      versions: z.number().int().nonnegative(),
      updatedAt: isoTime,
    }),
  ),
});

export const registryKeysSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  keys: z.array(
    z.strictObject({
      keyId: z.string().min(1).max(128),
      algorithm: z.literal("ed25519"),
      /** SPKI PEM of the public key. */
      publicKey: z.string().min(1).max(1000),
      /** True for a key generated on first use for local runs: never trust it in production. */
      dev: z.boolean(),
    }),
  ),
});

export type Integrity = z.infer<typeof integritySchema>;
export type VersionRecord = z.infer<typeof versionRecordSchema>;
export type IntegrationIndex = z.infer<typeof integrationIndexSchema>;
export type RegistryIndex = z.infer<typeof registryIndexSchema>;
export type RegistryKeys = z.infer<typeof registryKeysSchema>;

/** What a signature covers: identity and content together, so a signed bundle cannot be replayed under another name or version. */
export function signedPayload(slugValue: string, versionValue: string, sha512: string): Buffer {
  return Buffer.from(`ihub-bundle-v1\n${slugValue}@${versionValue}\n${sha512}\n`, "utf8");
}
