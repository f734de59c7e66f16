/**
 * Pushes a signed bundle to an OCI registry as an artifact (distribution spec): the layer and
 * config blobs by monolithic POST+PUT upload, then the manifest under the version's tag. A tag
 * that already holds the same content is left alone; one holding other content is refused,
 * because published versions are immutable here too.
 */
import { ANNOTATIONS, BUNDLE_ARTIFACT_TYPE, BUNDLE_CONFIG_MEDIA_TYPE, BUNDLE_LAYER_MEDIA_TYPE, layerDigest, OCI_MANIFEST_MEDIA_TYPE, OciClient, ociConfigSchema, type OciCredentials, type OciManifest, ociManifestSchema, type RegistryLocation, sha256Digest, type VersionRecord, versionToTag } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";

export type OciPushOutcome = { status: "pushed" | "unchanged"; digest: string } | { status: "conflict"; digest: string; existingContentDigest: string | undefined };

type OciLocation = Extract<RegistryLocation, { kind: "oci" }>;

export function ociCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): OciCredentials | undefined {
  if (env.IHUB_OCI_TOKEN) return { token: env.IHUB_OCI_TOKEN };
  if (env.IHUB_OCI_USERNAME) return { username: env.IHUB_OCI_USERNAME, password: env.IHUB_OCI_PASSWORD ?? "" };
  return undefined;
}

function failed(what: string, status: number, body: Buffer): never {
  throw new IhubError("IH_OCI_PUSH_FAILED", `${what}: registry answered ${status} ${body.toString("utf8").slice(0, 300)}`, {
    hint: status === 401 || status === 403 ? "Set IHUB_OCI_USERNAME and IHUB_OCI_PASSWORD (or IHUB_OCI_TOKEN) with push rights." : "Check the registry's logs.",
  });
}

async function uploadBlob(client: OciClient, repository: string, digest: string, bytes: Uint8Array): Promise<void> {
  const head = await client.request("HEAD", `/v2/${repository}/blobs/${digest}`);
  if (head.response.ok) return;
  const start = await client.request("POST", `/v2/${repository}/blobs/uploads/`);
  if (start.response.status !== 202) failed(`starting upload to ${repository}`, start.response.status, start.body);
  const location = start.response.headers.get("location");
  if (!location) throw new IhubError("IH_OCI_PUSH_FAILED", `upload to ${repository} returned no Location`, { hint: "The registry does not follow the distribution spec." });
  const url = new URL(location, client.registryUrl);
  url.searchParams.set("digest", digest);
  const put = await client.request("PUT", url.href, { headers: { "content-type": "application/octet-stream" }, body: bytes });
  if (put.response.status !== 201) failed(`uploading ${digest} to ${repository}`, put.response.status, put.body);
}

export function bundleManifest(record: Omit<VersionRecord, "ociDigest" | "yanked">, config: Buffer): OciManifest {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: BUNDLE_ARTIFACT_TYPE,
    config: { mediaType: BUNDLE_CONFIG_MEDIA_TYPE, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: BUNDLE_LAYER_MEDIA_TYPE, digest: layerDigest(record), size: record.size }],
    annotations: {
      [ANNOTATIONS.title]: `${record.slug}-${record.version}.tgz`,
      [ANNOTATIONS.version]: record.version,
      [ANNOTATIONS.slug]: record.slug,
      [ANNOTATIONS.sha256]: record.integrity.sha256,
      [ANNOTATIONS.sha512]: record.integrity.sha512,
      [ANNOTATIONS.contentDigest]: record.contentDigest,
      [ANNOTATIONS.keyId]: record.signature.keyId,
      [ANNOTATIONS.signature]: record.signature.value,
    },
  };
}

export async function pushToOci(location: OciLocation, record: VersionRecord, bytes: Uint8Array, credentials?: OciCredentials): Promise<OciPushOutcome> {
  const client = new OciClient(location.registryUrl, credentials);
  const repository = `${location.namespace}/${record.slug}`;
  const tag = versionToTag(record.version);

  const existing = await client.getManifest(repository, tag).catch((error: { code?: string }) => {
    if (error.code === "REG_NOT_FOUND") return null;
    throw error;
  });
  if (existing) {
    const parsed = ociManifestSchema.safeParse(JSON.parse(existing.bytes.toString("utf8")));
    const existingContentDigest = parsed.success ? parsed.data.annotations?.[ANNOTATIONS.contentDigest] : undefined;
    if (existingContentDigest === record.contentDigest) return { status: "unchanged", digest: existing.digest };
    return { status: "conflict", digest: existing.digest, existingContentDigest };
  }

  const { ociDigest: _ignored, yanked: _alsoIgnored, ...published } = record;
  const config = Buffer.from(JSON.stringify(ociConfigSchema.parse(published)));
  const manifest = Buffer.from(JSON.stringify(bundleManifest(published, config)));
  await uploadBlob(client, repository, layerDigest(record), bytes);
  await uploadBlob(client, repository, sha256Digest(config), config);
  const put = await client.request("PUT", `/v2/${repository}/manifests/${tag}`, { headers: { "content-type": OCI_MANIFEST_MEDIA_TYPE }, body: manifest });
  if (put.response.status !== 201) failed(`pushing manifest ${repository}:${tag}`, put.response.status, put.body);
  return { status: "pushed", digest: sha256Digest(manifest) };
}
