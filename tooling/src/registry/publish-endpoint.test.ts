import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import type http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryClient } from "@ihub/runtime/registry";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { publicKeyEntry, publishBundles } from "../publish/publish-bundles.js";
import { yankOverHttp } from "../publish/publish-http.js";
import { versionRecord } from "../publish/version-record.js";
import { loadSigningKey, type SigningKey } from "../signing/signing-key.js";
import { PUBLISH_PATH, type PublishRequest } from "./publish-protocol.js";
import { createRegistryServer, listen } from "./serve-registry.js";

const TOKEN = "s3cr3t:Lovelace@publish~1843";
let root: string;
let registry: string;
let server: http.Server;
let url: URL;
let key: SigningKey;
const pem = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-http-publish-"));
  registry = path.join(root, "registry");
  key = await loadSigningKey(root, { IHUB_SIGNING_KEY: pem() });
  server = createRegistryServer(registry, { publishToken: TOKEN });
  url = new URL((await listen(server, 0, "127.0.0.1")).url);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

async function bundlesOf(version: string, body: string) {
  await writeSampleIntegration(root, { kind: "ping", slug: "weather", version, body });
  return (await buildSignedBundles(root, ["weather"], key)).bundles;
}
const publishHttp = async (version: string, body: string, registryToken = TOKEN) =>
  publishBundles(await bundlesOf(version, body), [{ kind: "http", baseUrl: url }], key, { commit: null, registryToken });
/** A hand-made request, for what a well-behaved publisher never sends. */
async function post(request: PublishRequest) {
  const res = await fetch(new URL(PUBLISH_PATH, url), { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(request) });
  return { status: res.status, body: (await res.json()) as { error: { code: string } } };
}
const listing = async () => (await readdir(registry, { recursive: true })).sort();

describe("publishing over HTTP (ihub registry serve --allow-publish)", () => {
  it("publishes into the served directory, which serves it back for a verified pull; same content is a no-op, other content refused", async () => {
    expect((await publishHttp("1.0.0", "over http"))[0]).toMatchObject({ status: "published", target: url.href });
    const client = createRegistryClient({ registry: url.href, cacheDir: path.join(root, "cache"), trustedKeys: [key.publicKeyPem] });
    const pulled = await client.pull("weather@^1");
    expect(pulled.version).toBe("1.0.0");
    expect((await publishHttp("1.0.0", "over http"))[0]!.status).toBe("unchanged");
    const [conflict] = await publishHttp("1.0.0", "other content");
    expect(conflict).toMatchObject({ status: "conflict" });
    expect(conflict!.detail).toMatch(/already published/);
  });

  it("yanks through the same door: new installs refuse the version, an unknown version is not found", async () => {
    await publishHttp("1.5.0", "to be yanked");
    expect(await yankOverHttp(url, { slug: "weather", version: "1.5.0", reason: "broken over http" }, TOKEN)).toMatchObject({ changed: true, record: { yanked: { reason: "broken over http" } } });
    const client = createRegistryClient({ registry: url.href, cacheDir: path.join(root, "cache-yank"), trustedKeys: [key.publicKeyPem] });
    await expect(client.resolve("weather@^1.5")).rejects.toMatchObject({ code: "REG_YANKED" });
    await expect(yankOverHttp(url, { slug: "weather", version: "9.9.9", reason: "x" }, TOKEN)).rejects.toMatchObject({ code: "IH_YANK_NOT_FOUND" });
    await expect(yankOverHttp(url, { slug: "weather", version: "1.0.0", reason: "x" }, "wrong")).rejects.toMatchObject({ code: "IH_PUBLISH_HTTP_FAILED" });
  });

  it("refuses a missing or wrong token and writes nothing", async () => {
    const before = await listing();
    await expect(publishHttp("1.1.0", "x", "wrong")).rejects.toMatchObject({ code: "IH_PUBLISH_HTTP_FAILED", hint: expect.stringMatching(/IHUB_REGISTRY_TOKEN/) });
    const res = await fetch(new URL(PUBLISH_PATH, url), { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(await listing()).toEqual(before);
  });

  it("refuses bytes that do not match their record, and a record not signed by the key sent", async () => {
    const before = await listing();
    const [bundle] = await bundlesOf("1.2.0", "checked");
    const record = versionRecord(bundle!, bundle!.signature, { commit: null, publishedAt: new Date() });
    const tampered = Buffer.from(bundle!.bytes);
    tampered[tampered.length - 3]! ^= 1;
    const base = { format: 1 as const, key: publicKeyEntry(key) };
    expect(await post({ ...base, items: [{ record, bundle: tampered.toString("base64") }] })).toMatchObject({ status: 400, body: { error: { code: "REG_INTEGRITY" } } });
    const stranger = publicKeyEntry(await loadSigningKey(root, { IHUB_SIGNING_KEY: pem() }));
    expect(await post({ ...base, key: stranger, items: [{ record, bundle: bundle!.bytes.toString("base64") }] })).toMatchObject({ status: 400, body: { error: { code: "REG_UNTRUSTED_KEY" } } });
    const forged = { ...record, signature: { ...record.signature, value: Buffer.alloc(64).toString("base64") } };
    expect(await post({ ...base, items: [{ record: forged, bundle: bundle!.bytes.toString("base64") }] })).toMatchObject({ status: 400, body: { error: { code: "REG_SIGNATURE" } } });
    expect(await post({ ...base, key: { ...base.key, keyId: stranger.keyId }, items: [{ record, bundle: bundle!.bytes.toString("base64") }] })).toMatchObject({ status: 400, body: { error: { code: "REG_BAD_DOCUMENT" } } });
    expect(await listing()).toEqual(before);
  });
});
