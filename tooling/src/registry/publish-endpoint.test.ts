import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryClient, type VersionRecord } from "@ihub/runtime/registry";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { runIhub } from "../../test-support/ihub-process.js";
import { publicKeyEntry, publishBundles } from "../publish/publish-bundles.js";
import { yankOverHttp } from "../publish/publish-http.js";
import { versionRecord } from "../publish/version-record.js";
import { loadSigningKey, type SigningKey } from "../signing/signing-key.js";
import { MAX_PUBLISH_BYTES, MAX_PUBLISH_HEADER_BYTES, MAX_YANK_BYTES, PUBLISH_CONTENT_TYPE, PUBLISH_PATH, publishPreamble, YANK_PATH } from "./publish-protocol.js";
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
type Refused = { status: number; body: { error: { code: string; message: string; hint?: string } } };
/** A hand-made request, for what a well-behaved publisher never sends. */
async function postBody(body: Uint8Array | string, headers: Record<string, string> = {}): Promise<Refused> {
  const res = await fetch(new URL(PUBLISH_PATH, url), { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": PUBLISH_CONTENT_TYPE, ...headers }, body });
  return { status: res.status, body: (await res.json()) as Refused["body"] };
}
/** A framed body around any header, with the bundles' bytes after it. */
function framed(header: object, bundles: readonly Uint8Array[] = []): Buffer {
  const text = Buffer.from(JSON.stringify(header));
  return Buffer.concat([Buffer.from(publishPreamble(text.length)), text, ...bundles]);
}
const post = (items: { record: VersionRecord; bytes: Uint8Array }[]) => postBody(framed({ format: 1, items: items.map(({ record }) => ({ record })) }, items.map((i) => i.bytes)));
/** Nothing staged is left behind in the registry folder. */
const staged = async () => (await readdir(registry).catch(() => [])).filter((name) => name.startsWith(".publish-"));
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
/** Sends `pieces` chunked (no content-length), so the server learns where the body ends only when it ends. */
function postChunked(pieces: readonly Uint8Array[]): Promise<Refused> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(PUBLISH_PATH, url), { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": PUBLISH_CONTENT_TYPE } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on("error", reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}
const stranger = () => loadSigningKey(root, { IHUB_SIGNING_KEY: pem() });

describe("publishing over HTTP (ihub registry serve --allow-publish)", () => {
  it("publishes into the served directory, which serves it back for a verified pull; same content is a no-op, other content refused", async () => {
    expect((await publishHttp("1.0.0", "over http"))[0]).toMatchObject({ status: "published", target: url.href });
    const client = createRegistryClient({ registry: url.href, cacheDir: path.join(root, "cache"), trustedKeys: [key.publicKeyPem] });
    const pulled = await client.pull("weather@^1");
    expect(pulled.version).toBe("1.0.0");
    expect((await publishHttp("1.0.0", "over http"))[0]!.status).toBe("unchanged");
    // A bundle file lost from the registry comes back from the staged upload of the same content.
    const bundleFile = path.join(registry, "weather", "1.0.0.tgz");
    const published = await readFile(bundleFile);
    await rm(bundleFile);
    expect((await publishHttp("1.0.0", "over http"))[0]).toMatchObject({ status: "unchanged", detail: expect.stringMatching(/bundle/) });
    expect(await readFile(bundleFile)).toEqual(published);
    expect(await staged()).toEqual([]);
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
    expect(await post([{ record, bytes: tampered }])).toMatchObject({ status: 400, body: { error: { code: "REG_INTEGRITY" } } });
    const forged = { ...record, signature: { ...record.signature, value: Buffer.alloc(64).toString("base64") } };
    expect(await post([{ record: forged, bytes: bundle!.bytes }])).toMatchObject({ status: 400, body: { error: { code: "REG_SIGNATURE" } } });
    expect(await snapshot()).toEqual(before);
    expect(await staged()).toEqual([]);
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
    const answer = await post([{ record, bytes: bundle!.bytes }]);
    expect(answer).toEqual({ status: 403, body: { error: { code: "IH_PUBLISH_UNTRUSTED_KEY", message: expect.stringContaining(other.keyId), hint: expect.stringContaining("--trusted-key") } } });
    // A key sent along with the record is not part of the protocol, so it cannot vouch for anything.
    expect((await postBody(framed({ format: 1, key: publicKeyEntry(other), items: [{ record }] }, [bundle!.bytes]))).body.error.code).toBe("REG_BAD_DOCUMENT");
    // One untrusted record spoils the batch: the trusted one beside it is not written either.
    const [good] = await bundlesOf("9.0.2", "fine");
    const goodRecord = versionRecord(good!, good!.signature, { commit: null, publishedAt: new Date() });
    const batch = await post([{ record: goodRecord, bytes: good!.bytes }, { record, bytes: bundle!.bytes }]);
    expect(batch.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a body it cannot frame with a typed error, before reading any bundle, and leaves nothing behind", async () => {
    const [bundle] = await bundlesOf("1.4.0", "framed");
    const record = versionRecord(bundle!, bundle!.signature, { commit: null, publishedAt: new Date() });
    const body = framed({ format: 1, items: [{ record }] }, [bundle!.bytes]);
    const headerEnd = body.length - bundle!.bytes.length;
    const before = await snapshot();
    const refusal = (status: number, code: string, message: RegExp) => ({ status, body: { error: { code, message: expect.stringMatching(message), hint: expect.any(String) } } });
    // An older publisher's JSON document: refused on its media type, unread.
    const json = JSON.stringify({ format: 1, items: [{ record, bundle: bundle!.bytes.toString("base64") }] });
    expect(await postBody(json, { "content-type": "application/json" })).toEqual(refusal(415, "IH_PUBLISH_MEDIA_TYPE", /application\/vnd\.ihub\.publish\.v1/));
    expect(await postBody("x".repeat(100_000))).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /does not start with "ihub-publish\/1 "/));
    expect(await postBody("ihub-publish/1 12x\n{}")).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /not a number/));
    expect(await postBody("ihub-publish/1 99999999999999999999")).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /<header length>/));
    expect(await postBody(`ihub-publish/1 ${MAX_PUBLISH_HEADER_BYTES + 1}\n{`)).toEqual(refusal(413, "IH_PUBLISH_TOO_LARGE", /header is at most/));
    expect(await postBody(body.subarray(0, headerEnd - 5))).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /ends inside its header/));
    // The header adds up to fewer bytes than the request declares, or the body stops inside a bundle, or goes on after the last.
    expect(await postBody(Buffer.concat([body, Buffer.from("extra")]))).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /declares \d+ bytes, its header adds up to \d+/));
    expect(await postChunked([body.subarray(0, body.length - 10)])).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /ends inside the bundle of weather@1\.4\.0/));
    expect(await postChunked([body, Buffer.from("extra")])).toEqual(refusal(400, "IH_PUBLISH_FRAMING", /goes on after its last bundle/));
    expect(await snapshot()).toEqual(before);
    expect(await staged()).toEqual([]);
    // The same body, whole and in pieces of any size, publishes.
    expect(await postChunked([...body].map((_, i) => body.subarray(i * 97, i * 97 + 97)).filter((p) => p.length))).toMatchObject({ status: 200, body: { outcomes: [{ status: "published" }] } });
    expect(await staged()).toEqual([]);
  });

  it("answers a declared length above the cap at once, without reading the body, and closes the connection", async () => {
    const socket = net.connect(Number(url.port), "127.0.0.1");
    socket.write(`POST /${PUBLISH_PATH} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: ${PUBLISH_CONTENT_TYPE}\r\ncontent-length: ${MAX_PUBLISH_BYTES + 1}\r\n\r\n`);
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("close", () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 [\s\S]*connection: close[\s\S]*IH_PUBLISH_TOO_LARGE/i);
  });

  it("caps a yank request at a few kilobytes", async () => {
    const res = await fetch(new URL(YANK_PATH, url), { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ slug: "weather", version: "1.0.0", reason: "x".repeat(MAX_YANK_BYTES) }) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Refused["body"]).error.code).toBe("IH_PUBLISH_TOO_LARGE");
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
