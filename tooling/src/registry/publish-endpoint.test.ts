import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import type http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryClient } from "@ihub/runtime/registry";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { runIhub } from "../../test-support/ihub-process.js";
import { publicKeyEntry, publishBundles } from "../publish/publish-bundles.js";
import { yankOverHttp } from "../publish/publish-http.js";
import { versionRecord } from "../publish/version-record.js";
import { loadSigningKey, type SigningKey } from "../signing/signing-key.js";
import { PUBLISH_PATH, type PublishRequest } from "./publish-protocol.js";
import { createRegistryServer, listen } from "./serve-registry.js";
import { readTrustedPublisherKeys } from "./trusted-publishers.js";

const TOKEN = "s3cr3t:Lovelace@publish~1843";
let root: string;
let registry: string;
let server: http.Server;
let url: URL;
let key: SigningKey;
/** Trusted by the server too, but never used to sign: keys.json must not list it until it signs something. */
let idle: SigningKey;
const pem = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-http-publish-"));
  registry = path.join(root, "registry");
  key = await loadSigningKey(root, { IHUB_SIGNING_KEY: pem() });
  idle = await loadSigningKey(root, { IHUB_SIGNING_KEY: pem() });
  const files = [path.join(root, "publisher.pem"), path.join(root, "idle.pem")];
  await writeFile(files[0]!, key.publicKeyPem);
  await writeFile(files[1]!, idle.publicKeyPem);
  server = createRegistryServer(registry, { publish: { token: TOKEN, trustedKeys: await readTrustedPublisherKeys(files) } });
  url = new URL((await listen(server, 0, "127.0.0.1")).url);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

async function bundlesOf(version: string, body: string, signer = key) {
  await writeSampleIntegration(root, { kind: "ping", slug: "weather", version, body });
  return (await buildSignedBundles(root, ["weather"], signer)).bundles;
}
const publishHttp = async (version: string, body: string, registryToken = TOKEN, signer = key) =>
  publishBundles(await bundlesOf(version, body, signer), [{ kind: "http", baseUrl: url }], signer, { commit: null, registryToken });
/** A hand-made request, for what a well-behaved publisher never sends. */
async function post(request: PublishRequest) {
  const res = await fetch(new URL(PUBLISH_PATH, url), { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(request) });
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; hint?: string } } };
}
const listing = async () => (await readdir(registry, { recursive: true })).sort();
/** Every path below the registry with the sha256 of its bytes: "unchanged" means byte for byte. */
async function snapshot(): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const rel of await listing()) {
    const file = path.join(registry, rel);
    entries[rel] = (await stat(file)).isDirectory() ? "dir" : createHash("sha256").update(await readFile(file)).digest("hex");
  }
  return entries;
}
const stranger = () => loadSigningKey(root, { IHUB_SIGNING_KEY: pem() });

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

  it("refuses bytes that do not match their record, and a forged signature under a trusted key id", async () => {
    const before = await snapshot();
    const [bundle] = await bundlesOf("1.2.0", "checked");
    const record = versionRecord(bundle!, bundle!.signature, { commit: null, publishedAt: new Date() });
    const tampered = Buffer.from(bundle!.bytes);
    tampered[tampered.length - 3]! ^= 1;
    expect(await post({ format: 1, items: [{ record, bundle: tampered.toString("base64") }] })).toMatchObject({ status: 400, body: { error: { code: "REG_INTEGRITY" } } });
    const forged = { ...record, signature: { ...record.signature, value: Buffer.alloc(64).toString("base64") } };
    expect(await post({ format: 1, items: [{ record: forged, bundle: bundle!.bytes.toString("base64") }] })).toMatchObject({ status: 400, body: { error: { code: "REG_SIGNATURE" } } });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a record signed by a key it was not started with, whatever the request says, and writes nothing", async () => {
    const before = await snapshot();
    const other = await stranger();
    // Through the real publisher: a higher version under a brand-new key, the attack the token alone allowed.
    const refused = await publishHttp("9.0.0", "takeover", TOKEN, other).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "IH_PUBLISH_HTTP_FAILED", hint: expect.stringMatching(/--trusted-key/) });
    expect((refused as Error).message).toContain(`IH_PUBLISH_UNTRUSTED_KEY: weather@9.0.0 is signed by ${other.keyId}`);
    // On the wire: 403 with the server's usual error body.
    const [bundle] = await bundlesOf("9.0.1", "takeover", other);
    const record = versionRecord(bundle!, bundle!.signature, { commit: null, publishedAt: new Date() });
    const answer = await post({ format: 1, items: [{ record, bundle: bundle!.bytes.toString("base64") }] });
    expect(answer).toEqual({ status: 403, body: { error: { code: "IH_PUBLISH_UNTRUSTED_KEY", message: expect.stringContaining(other.keyId), hint: expect.stringContaining("--trusted-key") } } });
    // A key sent along with the record is not part of the protocol, so it cannot vouch for anything.
    expect((await post({ format: 1, key: publicKeyEntry(other), items: [{ record, bundle: bundle!.bytes.toString("base64") }] } as PublishRequest)).body.error.code).toBe("REG_BAD_DOCUMENT");
    // One untrusted record spoils the batch: the trusted one beside it is not written either.
    const [good] = await bundlesOf("9.0.2", "fine");
    const goodRecord = versionRecord(good!, good!.signature, { commit: null, publishedAt: new Date() });
    const batch = await post({ format: 1, items: [{ record: goodRecord, bundle: good!.bytes.toString("base64") }, { record, bundle: bundle!.bytes.toString("base64") }] });
    expect(batch.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("lists in keys.json only configured keys that signed something, as configured", async () => {
    await publishHttp("1.3.0", "listed");
    const keys = JSON.parse(await readFile(path.join(registry, "keys.json"), "utf8"));
    expect(keys).toEqual({ format: 1, keys: [{ keyId: key.keyId, algorithm: "ed25519", publicKey: key.publicKeyPem, dev: false }] });
    expect(JSON.stringify(keys)).not.toContain(idle.keyId);
  });
});

describe("ihub registry serve --allow-publish: trusted keys", () => {
  const env = { IHUB_REGISTRY_TOKEN: TOKEN };
  it("refuses to start without a --trusted-key, since no other key is safe to trust", async () => {
    const run = await runIhub(["registry", "serve", "--allow-publish", "--dir", path.join(root, "cli"), "--port", "0", "--json"], { env });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/IH_USAGE[\s\S]*--allow-publish needs at least one --trusted-key/);
    expect(await readdir(root)).not.toContain("cli");
  });

  it("refuses --trusted-key without --allow-publish, and files that are not an ed25519 public key", async () => {
    const publicFile = path.join(root, "publisher.pem");
    expect((await runIhub(["registry", "serve", "--dir", registry, "--trusted-key", publicFile, "--port", "0"], { env })).code).toBe(2);
    const privateFile = path.join(root, "private.pem");
    await writeFile(privateFile, pem());
    await expect(readTrustedPublisherKeys([privateFile])).rejects.toMatchObject({ code: "IH_USAGE", message: expect.stringMatching(/private key/) });
    const rsaFile = path.join(root, "rsa.pem");
    await writeFile(rsaFile, generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }));
    await expect(readTrustedPublisherKeys([rsaFile])).rejects.toMatchObject({ code: "IH_USAGE", message: expect.stringMatching(/rsa key, not ed25519/) });
    await expect(readTrustedPublisherKeys([path.join(root, "missing.pem")])).rejects.toMatchObject({ code: "IH_USAGE", message: expect.stringMatching(/ENOENT/) });
    expect(await readTrustedPublisherKeys([publicFile, publicFile])).toHaveLength(1);
  });
});
