/**
 * The runtime's registry client: resolve `slug@range` in a directory, HTTP or OCI registry,
 * download, verify integrity and signature against the keys the caller trusts, cache by
 * content (sha512) and unpack safely. Everything a registry sends is size-capped and validated.
 */
import { createPublicKey, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { readStatic } from "./bounded-read.js";
import { integrityMatches, layerDigest, sha512Hex } from "./integrity.js";
import { ociConfigSchema, ociManifestSchema, tagToVersion, versionToTag } from "./oci-artifact.js";
import { OciClient, sha256Digest, type OciCredentials } from "./oci-client.js";
import { parseDocument } from "./parse-document.js";
import { RegistryError } from "./registry-error.js";
import { describeLocation, parseRegistryLocation, type RegistryLocation } from "./registry-location.js";
import { pollIntegrationIndex, readIntegrationIndex } from "./integration-index.js";
import { registryFiles } from "./registry-layout.js";
import { registryIndexSchema, registryKeysSchema, type RegistryIndex, type VersionRecord } from "./registry-schema.js";
import { installableVersions, parseVersionSpec, type Candidate, type VersionSpec } from "./resolve-version.js";
import { DEFAULT_UNPACK_LIMITS, safeUnpack, type UnpackLimits } from "./safe-unpack.js";
import { isTrusted, keyIdOf, trustedKeysFromPem, UNTRUSTED_KEY_HINT, verifyRecordSignature, type TrustedKey } from "./signature.js";

export type RegistryClientOptions = {
  registry: string | RegistryLocation;
  /** Content-addressed cache: blobs/sha512/<hex>.tgz and bundles/<hex>/. */
  cacheDir: string;
  /** SPKI PEM public keys whose signatures are accepted. */
  trustedKeys?: readonly string[];
  /**
   * Dev/TOFU mode for local runs only: also trust the keys the registry's own keys.json lists.
   * A registry that can change its bundles can change its keys.json, so this proves nothing
   * against a hostile registry; it only catches accidental corruption.
   */
  trustRegistryKeys?: boolean;
  ociCredentials?: OciCredentials;
  limits?: Partial<UnpackLimits & { maxDocumentBytes: number; maxBundleBytes: number }>;
};

export type PullOptions = { allowYanked?: boolean };

export type ResolvedVersion = { record: VersionRecord; warnings: string[] };

export type PulledBundle = {
  slug: string;
  version: string;
  record: VersionRecord;
  /** The unpacked bundle, inside the cache. */
  dir: string;
  cached: boolean;
  warnings: string[];
};

const KEYS_MAX = 256 * 1024;

type Listing = {
  /** Every version of the slug, with yank state when the registry keeps it. */
  candidates: Candidate[];
  record(version: string): Promise<VersionRecord>;
};

/** The versions of a slug again only when they changed since `etag`. */
export type VersionsPoll = { changed: false } | { changed: true; etag: string; candidates: Candidate[] };

type Transport = {
  list(slug: string): Promise<Listing>;
  poll(slug: string, etag: string | null): Promise<VersionsPoll>;
  /** Every integration the registry holds, with its latest version (the registry's index.json). */
  index(): Promise<RegistryIndex>;
  bundle(record: VersionRecord, maxBytes: number): Promise<Buffer>;
  keys(): Promise<TrustedKey[]>;
};

function staticTransport(base: { dir: string } | { baseUrl: URL }, maxDocument: number): Transport {
  return {
    async list(slug) {
      const read = await readIntegrationIndex(base, slug, maxDocument);
      if (!read.ok) throw read.error;
      const { index, where } = read;
      return {
        candidates: Object.values(index.versions),
        async record(version) {
          const record = index.versions[version];
          if (!record) throw new RegistryError("REG_NOT_FOUND", `${slug}@${version} is not in ${where}`, { file: where });
          return record;
        },
      };
    },
    async poll(slug, etag) {
      const polled = await pollIntegrationIndex(base, slug, etag, maxDocument);
      return polled.changed ? { changed: true, etag: polled.etag, candidates: Object.values(polled.index.versions) } : polled;
    },
    async bundle(record, maxBytes) {
      return (await readStatic(base, registryFiles.bundle(record.slug, record.version), maxBytes)).body;
    },
    async index() {
      const { where, body } = await readStatic(base, registryFiles.index, maxDocument);
      return parseDocument(body, registryIndexSchema, where);
    },
    async keys() {
      const { where, body } = await readStatic(base, registryFiles.keys, KEYS_MAX);
      return parseDocument(body, registryKeysSchema, where).keys.map((k, i) => {
        const key = createPublicKey(k.publicKey);
        if (keyIdOf(key) !== k.keyId) throw new RegistryError("REG_BAD_DOCUMENT", `${where} labels a key ${k.keyId} that is not its id`, { file: where, pointer: `/keys/${i}/keyId` });
        return { keyId: k.keyId, key };
      });
    },
  };
}

function skippedWarning(spec: VersionSpec, skipped: VersionRecord, chosen: string): string {
  return `${spec.slug}@${skipped.version} is signed by ${skipped.signature.keyId}, which is not a trusted key: skipped, ${spec.slug}@${spec.range} resolves to ${chosen}`;
}

function untrustedOnly(spec: VersionSpec, untrusted: readonly VersionRecord[]): RegistryError {
  const signers = untrusted.map((u) => `${u.version} by ${u.signature.keyId}`).join(", ");
  return new RegistryError("REG_UNTRUSTED_KEY", `no version of ${spec.slug} in ${spec.range} is signed by a trusted key (${signers})`, { hint: UNTRUSTED_KEY_HINT });
}

function ociTransport(location: Extract<RegistryLocation, { kind: "oci" }>, credentials: OciCredentials | undefined, maxDocument: number): Transport {
  const client = new OciClient(location.registryUrl, credentials);
  const repo = (slug: string) => `${location.namespace}/${slug}`;
  return {
    async list(slug) {
      const candidates = (await client.listTags(repo(slug))).map((t) => ({ version: tagToVersion(t) }));
      return {
        candidates,
        async record(version) {
          const where = `${describeLocation(location)}/${slug}:${versionToTag(version)}`;
          const { bytes, digest } = await client.getManifest(repo(slug), versionToTag(version));
          const manifest = parseDocument(bytes, ociManifestSchema, where);
          const config = parseDocument(await client.getBlob(repo(slug), manifest.config.digest, maxDocument), ociConfigSchema, `${where} config`);
          if (config.slug !== slug || config.version !== version) throw new RegistryError("REG_BAD_DOCUMENT", `${where} carries the record of ${config.slug}@${config.version}`, { file: where });
          const layer = manifest.layers[0];
          if (layer.size !== config.size || layer.digest !== layerDigest(config)) {
            throw new RegistryError("REG_BAD_DOCUMENT", `${where}: the layer is not the bundle its record describes`, { file: where, pointer: "/layers/0" });
          }
          return { ...config, ociDigest: digest };
        },
      };
    },
    async poll(slug, etag) {
      // The tag list carries no ETag: its own digest stands in for one.
      const tags = (await client.listTags(repo(slug))).sort();
      const tag = `"${sha256Digest(Buffer.from(tags.join("\n")))}"`;
      return tag === etag ? { changed: false } : { changed: true, etag: tag, candidates: tags.map((t) => ({ version: tagToVersion(t) })) };
    },
    async bundle(record, maxBytes) {
      return client.getBlob(repo(record.slug), layerDigest(record), maxBytes);
    },
    async index() {
      throw new RegistryError("REG_NOT_FOUND", `${describeLocation(location)} is an OCI registry, which keeps no index of its integrations`, { hint: "Serve the catalog from the directory or HTTP registry the same bundles are published to." });
    },
    async keys() {
      throw new RegistryError("REG_UNTRUSTED_KEY", "OCI registries publish no keys.json; dev trust needs a directory or HTTP registry", { hint: "Pass the publisher's public key as a trusted key." });
    },
  };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

export function createRegistryClient(options: RegistryClientOptions) {
  const location = typeof options.registry === "string" ? parseRegistryLocation(options.registry) : options.registry;
  const maxDocument = options.limits?.maxDocumentBytes ?? 4 * 1024 * 1024;
  const maxBundle = options.limits?.maxBundleBytes ?? 32 * 1024 * 1024;
  const unpackLimits: UnpackLimits = { ...DEFAULT_UNPACK_LIMITS, ...options.limits };
  const transport =
    location.kind === "oci"
      ? ociTransport(location, options.ociCredentials, maxDocument)
      : staticTransport(location.kind === "dir" ? { dir: location.dir } : { baseUrl: location.baseUrl }, maxDocument);
  const cache = {
    blob: (hex: string) => path.join(options.cacheDir, "blobs", "sha512", `${hex}.tgz`),
    bundle: (hex: string) => path.join(options.cacheDir, "bundles", hex),
    tmp: path.join(options.cacheDir, "tmp"),
  };

  const fixedKeys = trustedKeysFromPem(options.trustedKeys ?? []);
  let trusted: Promise<{ keys: TrustedKey[]; warnings: string[] }> | undefined;
  const trust = () =>
    (trusted ??= (async () => {
      if (!options.trustRegistryKeys) return { keys: fixedKeys, warnings: [] };
      const registryKeys = await transport.keys();
      return {
        keys: [...fixedKeys, ...registryKeys],
        warnings: [`dev trust: accepting the keys listed by ${describeLocation(location)} itself (never use this in production)`],
      };
    })());

  /**
   * The newest installable version signed by a trusted key. Newer ones signed by another key are
   * skipped with a warning rather than failing the install: a stranger who can publish must not
   * be able to block updates to what the caller trusts. (The signature itself is verified on pull.)
   */
  async function resolve(spec: string, opts: PullOptions = {}): Promise<ResolvedVersion> {
    const wanted = parseVersionSpec(spec);
    const listing = await transport.list(wanted.slug);
    const { keys } = await trust();
    const untrusted: VersionRecord[] = [];
    for (const choice of installableVersions(wanted, listing.candidates, opts)) {
      const record = await listing.record(choice.version);
      if (!isTrusted(record, keys)) {
        untrusted.push(record);
        continue;
      }
      return { record, warnings: [...untrusted.map((u) => skippedWarning(wanted, u, record.version)), ...choice.warnings] };
    }
    throw untrustedOnly(wanted, untrusted);
  }

  async function verifiedBlob(record: VersionRecord, hex: string): Promise<Buffer> {
    const cached = await readFile(cache.blob(hex)).catch(() => null);
    if (cached && integrityMatches(cached, record.integrity)) return cached;
    const bytes = await transport.bundle(record, Math.min(maxBundle, record.size));
    if (!integrityMatches(bytes, record.integrity)) {
      throw new RegistryError("REG_INTEGRITY", `${record.slug}@${record.version}: downloaded bundle does not match its sha256/sha512 integrity`, { hint: "The bundle was altered in the registry or in transit: do not install it." });
    }
    const tmp = path.join(cache.tmp, `blob-${process.pid}-${randomBytes(6).toString("hex")}`);
    await mkdir(path.dirname(cache.blob(hex)), { recursive: true });
    await mkdir(cache.tmp, { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, cache.blob(hex));
    return bytes;
  }

  async function pull(spec: string, opts: PullOptions = {}): Promise<PulledBundle> {
    const { record, warnings } = await resolve(spec, opts);
    const { keys, warnings: trustWarnings } = await trust();
    verifyRecordSignature(record, keys, `${record.slug}@${record.version}`);
    const hex = sha512Hex(record.integrity);
    const dir = cache.bundle(hex);
    const result = { slug: record.slug, version: record.version, record, dir, warnings: [...trustWarnings, ...warnings] };
    // The folder exists only after a verified unpack (it is renamed into place), so its presence is proof.
    if (await exists(dir)) return { ...result, cached: true };
    const bytes = await verifiedBlob(record, hex);
    await mkdir(cache.tmp, { recursive: true });
    await safeUnpack(bytes, dir, cache.tmp, unpackLimits);
    return { ...result, cached: false };
  }

  /** For an installed version: its current record, with a warning when it has been yanked since. */
  async function checkInstalled(slug: string, version: string): Promise<{ record: VersionRecord; warnings: string[] }> {
    const record = await (await transport.list(slug)).record(version);
    return { record, warnings: record.yanked ? [`${slug}@${version} is installed but was yanked: ${record.yanked.reason}`] : [] };
  }

  return {
    location,
    resolve,
    pull,
    checkInstalled,
    /** A slug's versions again only when its index changed since `etag` (a conditional GET over HTTP). */
    pollVersions: (slug: string, etag: string | null) => transport.poll(slug, etag),
    listIntegrations: () => transport.index(),
  };
}

export type RegistryClient = ReturnType<typeof createRegistryClient>;
