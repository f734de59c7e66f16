import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANNOTATIONS, BUNDLE_ARTIFACT_TYPE, BUNDLE_LAYER_MEDIA_TYPE, createRegistryClient, integrationIndexSchema, layerDigest, OCI_MANIFEST_MEDIA_TYPE, OciClient, parseRegistryLocation, sha256Digest } from "@ihub/runtime/registry";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { startLocalOciRegistry, type LocalOciRegistry } from "../../test-support/local-oci-registry.js";
import { loadSigningKey, type SigningKey } from "../signing/signing-key.js";
import { registryPaths } from "./dir-registry.js";
import { publishBundles } from "./publish-bundles.js";

describe("OCI registry (real docker-registry)", () => {
  let oci: LocalOciRegistry;
  let root: string;
  let key: SigningKey;
  beforeAll(async () => {
    oci = await startLocalOciRegistry();
    root = await mkdtemp(path.join(tmpdir(), "ihub-oci-test-"));
    key = await loadSigningKey(root, { IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
  });
  afterAll(async () => {
    await oci?.stop();
    await rm(root, { recursive: true, force: true });
  });

  const publishVersion = async (version: string, body: string, targets: string[]) => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", version, body });
    const { bundles } = await buildSignedBundles(root, ["weather"], key);
    return publishBundles(bundles, targets.map((t) => parseRegistryLocation(t)), key, { commit: null });
  };

  it("pushes artifacts, records their digest in the directory index, and pulls them back by range", async () => {
    const target = `oci://${oci.host}/acme/integrations`;
    const dir = path.join(root, "registry");
    await publishVersion("1.0.0", "one", [target, dir]);
    const results = await publishVersion("1.1.0+build.7", "two", [target, dir]);
    expect(results.map((r) => r.status)).toEqual(["published", "published"]);

    const index = integrationIndexSchema.parse(JSON.parse(await readFile(registryPaths(dir).slugIndex("weather"), "utf8")));
    const record = index.versions["1.1.0+build.7"]!;
    expect(record.ociDigest).toBe(results[0]!.ociDigest);

    // The artifact as generic OCI tooling sees it.
    const raw = new OciClient(new URL(oci.url));
    expect((await raw.listTags("acme/integrations/weather")).sort()).toEqual(["1.0.0", "1.1.0_build.7"]);
    const { bytes, digest } = await raw.getManifest("acme/integrations/weather", "1.1.0_build.7");
    expect(digest).toBe(record.ociDigest);
    const manifest = JSON.parse(bytes.toString("utf8"));
    expect(manifest.artifactType).toBe(BUNDLE_ARTIFACT_TYPE);
    expect(manifest.layers[0]).toMatchObject({ mediaType: BUNDLE_LAYER_MEDIA_TYPE, digest: layerDigest(record), size: record.size });
    expect(manifest.annotations[ANNOTATIONS.sha512]).toBe(record.integrity.sha512);
    expect(manifest.annotations[ANNOTATIONS.signature]).toBe(record.signature.value);

    const client = createRegistryClient({ registry: target, cacheDir: path.join(root, "cache"), trustedKeys: [key.publicKeyPem] });
    const pulled = await client.pull("weather@^1");
    expect(pulled.version).toBe("1.1.0+build.7");
    expect(pulled.record.ociDigest).toBe(record.ociDigest);
    expect(await readFile(path.join(pulled.dir, "handlers", "ping.lua"), "utf8")).toContain("two");
    expect((await client.pull("weather@~1.0")).version).toBe("1.0.0");
  });

  it("polls a repository's tags for new versions, unchanged until a tag is pushed, and keeps no catalog index", async () => {
    const target = `oci://${oci.host}/poll`;
    await publishVersion("3.0.0", "three", [target]);
    const client = createRegistryClient({ registry: target, cacheDir: path.join(root, "poll-cache"), trustedKeys: [key.publicKeyPem] });
    const first = await client.pollVersions("weather", null);
    expect(first).toMatchObject({ changed: true, candidates: [{ version: "3.0.0" }] });
    const etag = first.changed ? first.etag : "";
    expect(await client.pollVersions("weather", etag)).toEqual({ changed: false });
    await publishVersion("3.1.0", "three-one", [target]);
    const next = await client.pollVersions("weather", etag);
    expect(next.changed && next.candidates.map((c) => c.version).sort()).toEqual(["3.0.0", "3.1.0"]);
    await expect(client.listIntegrations()).rejects.toMatchObject({ code: "REG_NOT_FOUND" });
  });

  it("leaves a tag with the same content alone and refuses other content under it", async () => {
    const target = `oci://${oci.host}/immutable`;
    const [first] = await publishVersion("2.0.0", "same", [target]);
    const [again] = await publishVersion("2.0.0", "same", [target]);
    expect(again).toMatchObject({ status: "unchanged", ociDigest: first!.ociDigest });
    const [conflict] = await publishVersion("2.0.0", "different", [target]);
    expect(conflict!.status).toBe("conflict");
  });

  it("refuses an artifact signed by an untrusted key", async () => {
    const target = `oci://${oci.host}/trust`;
    await publishVersion("3.0.0", "x", [target]);
    const stranger = await loadSigningKey(root, { IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const client = createRegistryClient({ registry: target, cacheDir: path.join(root, "cache2"), trustedKeys: [stranger.publicKeyPem] });
    await expect(client.pull("weather@3")).rejects.toMatchObject({ code: "REG_UNTRUSTED_KEY" });
    await expect(client.pull("weather@4")).rejects.toMatchObject({ code: "REG_NO_MATCH" });
  });

  it("refuses a tag that holds something other than an ihub bundle", async () => {
    const raw = new OciClient(new URL(oci.url));
    const repo = "foreign/weather";
    const config = Buffer.from("{}");
    const start = await raw.request("POST", `/v2/${repo}/blobs/uploads/`);
    const upload = new URL(start.response.headers.get("location")!, oci.url);
    upload.searchParams.set("digest", sha256Digest(config));
    expect((await raw.request("PUT", upload.href, { body: config })).response.status).toBe(201);
    const image = { schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256Digest(config), size: 2 }, layers: [] };
    const put = await raw.request("PUT", `/v2/${repo}/manifests/1.0.0`, { headers: { "content-type": OCI_MANIFEST_MEDIA_TYPE }, body: Buffer.from(JSON.stringify(image)) });
    expect(put.response.status).toBe(201);
    const client = createRegistryClient({ registry: `oci://${oci.host}/foreign`, cacheDir: path.join(root, "cache3"), trustedKeys: [key.publicKeyPem] });
    await expect(client.pull("weather@1")).rejects.toMatchObject({ code: "REG_BAD_DOCUMENT", location: { pointer: "/config/mediaType" } });
  });

  it("detects a bundle blob altered in the registry's storage", async () => {
    const target = `oci://${oci.host}/tamper`;
    const [result] = await publishVersion("5.0.0", "tamper me", [target]);
    const client = createRegistryClient({ registry: target, cacheDir: path.join(root, "cache4"), trustedKeys: [key.publicKeyPem] });
    const { record } = await client.resolve("weather@5");
    expect(record.ociDigest).toBe(result!.ociDigest);
    const hex = layerDigest(record).slice("sha256:".length);
    const blob = path.join(oci.storageDir, "docker/registry/v2/blobs/sha256", hex.slice(0, 2), hex, "data");
    const bytes = await readFile(blob);
    bytes[bytes.length - 5]! ^= 0xff;
    await writeFile(blob, bytes);
    await expect(client.pull("weather@5")).rejects.toMatchObject({ code: "REG_INTEGRITY" });
  });
});
