import { generateKeyPairSync } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Header } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSignedBundles } from "../../../tooling/src/bundle/sign-built.js";
import { writeSampleIntegration } from "../../../tooling/test-support/sample-integration.js";
import { registryPaths } from "../../../tooling/src/publish/dir-registry.js";
import { publishBundles, publicKeyEntry } from "../../../tooling/src/publish/publish-bundles.js";
import { publishToDir } from "../../../tooling/src/publish/publish-to-dir.js";
import { versionRecord } from "../../../tooling/src/publish/version-record.js";
import { yankVersion } from "../../../tooling/src/publish/yank.js";
import { createRegistryServer, listen } from "../../../tooling/src/registry/serve-registry.js";
import { loadSigningKey, signBundle, type SigningKey } from "../../../tooling/src/signing/signing-key.js";
import { computeIntegrity } from "./integrity.js";
import { createRegistryClient, type RegistryClientOptions } from "./registry-client.js";
import { RegistryError } from "./registry-error.js";

let base: string;
let registry: string;
let key: SigningKey;
let server: http.Server;
let httpUrl: string;
const versions = ["1.0.0", "1.1.0", "1.2.0", "2.0.0-rc.1"];

const pem = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "ihub-client-"));
  registry = path.join(base, "registry");
  key = await loadSigningKey(base, { IHUB_SIGNING_KEY: pem() });
  for (const version of versions) {
    await writeSampleIntegration(base, { kind: "ping", slug: "weather", version, body: `weather ${version}` });
    const { bundles } = await buildSignedBundles(base, ["weather"], key);
    await publishBundles(bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
  }
  await yankVersion(registry, "weather", "1.2.0", "broke the forecast");
  server = createRegistryServer(registry);
  httpUrl = (await listen(server, 0, "127.0.0.1")).url;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(base, { recursive: true, force: true });
});

let n = 0;
async function scratch(name: string): Promise<string> {
  return mkdtemp(path.join(base, `${name}-${n++}-`));
}
async function client(opts: Partial<RegistryClientOptions> = {}) {
  const cacheDir = path.join(await scratch("cache"), "cache");
  return { cacheDir, client: createRegistryClient({ registry, cacheDir, trustedKeys: [key.publicKeyPem], ...opts }) };
}
/** A copy of the registry a test may damage. */
async function copyRegistry(): Promise<string> {
  const dir = path.join(await scratch("copy"), "registry");
  await cp(registry, dir, { recursive: true });
  return dir;
}
async function refusal(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}
async function editJson(file: string, edit: (doc: any) => void) {
  const doc = JSON.parse(await readFile(file, "utf8"));
  edit(doc);
  await writeFile(file, JSON.stringify(doc));
}
const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);

describe("registry client: resolving", () => {
  it("pulls the highest satisfying, non-yanked, stable version from a directory and verifies it", async () => {
    const { client: c, cacheDir } = await client();
    const pulled = await c.pull("weather@^1");
    expect(pulled.version).toBe("1.1.0");
    expect(pulled.dir.startsWith(path.join(cacheDir, "bundles"))).toBe(true);
    expect(await readFile(path.join(pulled.dir, "handlers", "ping.lua"), "utf8")).toContain("weather 1.1.0");
    expect(JSON.parse(await readFile(path.join(pulled.dir, "integration.json"), "utf8")).version).toBe("1.1.0");
    expect(pulled.cached).toBe(false);
    expect((await c.pull("weather@~1.1")).cached).toBe(true);
  });

  it("pulls over HTTP from ihub registry serve", async () => {
    const { client: c } = await client({ registry: httpUrl });
    const pulled = await c.pull("weather@>=1.0.0 <1.1.0");
    expect(pulled.version).toBe("1.0.0");
    expect(pulled.record.integrity.sha512).toMatch(/^sha512-/);
  });

  it("takes prereleases only when the range asks for them", async () => {
    const { client: c } = await client();
    expect((await c.resolve("weather")).record.version).toBe("1.1.0");
    expect((await c.resolve("weather@>=2.0.0-rc.0")).record.version).toBe("2.0.0-rc.1");
    expect((await c.resolve("weather@2.0.0-rc.1")).record.version).toBe("2.0.0-rc.1");
    expect((await refusal(c.resolve("weather@^2"))).code).toBe("REG_NO_MATCH");
  });

  it("refuses a yanked version for new installs unless pinned and explicitly allowed, and warns installed ones", async () => {
    const { client: c } = await client();
    const error = await refusal(c.pull("weather@1.2.0"));
    expect(error.code).toBe("REG_YANKED");
    expect(error.message).toContain("broke the forecast");
    expect((await refusal(c.pull("weather@^1.2.0", { allowYanked: true }))).code).toBe("REG_YANKED");
    const pinned = await c.pull("weather@1.2.0", { allowYanked: true });
    expect(pinned.warnings.join()).toContain("yanked");
    expect((await c.checkInstalled("weather", "1.2.0")).warnings.join()).toContain("broke the forecast");
    expect((await c.checkInstalled("weather", "1.1.0")).warnings).toEqual([]);
  });

  it("reports unknown integrations and bad specs", async () => {
    const { client: c } = await client();
    expect((await refusal(c.pull("nothing@1"))).code).toBe("REG_NOT_FOUND");
    expect((await refusal(c.pull("Weather@1"))).code).toBe("REG_BAD_SPEC");
    expect((await refusal(c.pull("weather@not-a-range!"))).code).toBe("REG_BAD_SPEC");
  });
});

describe("registry client: polling and listing", () => {
  it("polls a directory registry by the bytes of the index: unchanged until they change", async () => {
    const dir = await copyRegistry();
    const { client: c } = await client({ registry: dir });
    const first = await c.pollVersions("weather", null);
    if (!first.changed) throw new Error("a first poll always reads");
    expect(first.candidates.map((v) => v.version).sort()).toEqual(versions);
    expect(first.candidates.find((v) => v.version === "1.2.0")?.yanked?.reason).toBe("broke the forecast");
    expect(await c.pollVersions("weather", first.etag)).toEqual({ changed: false });
    await yankVersion(dir, "weather", "1.1.0", "also broken");
    const second = await c.pollVersions("weather", first.etag);
    expect(second.changed && second.etag !== first.etag).toBe(true);
  });

  it("polls over HTTP with If-None-Match and refuses what a hostile index holds", async () => {
    const { client: c } = await client({ registry: httpUrl });
    const first = await c.pollVersions("weather", null);
    if (!first.changed) throw new Error("a first poll always reads");
    expect(await c.pollVersions("weather", first.etag)).toEqual({ changed: false });
    // A tag the server never issued is a full read, not trusted as current.
    expect((await c.pollVersions("weather", '"made-up"')).changed).toBe(true);
    expect((await refusal(c.pollVersions("nowhere", null))).code).toBe("REG_NOT_FOUND");
    const dir = await copyRegistry();
    await editJson(path.join(dir, "weather", "index.json"), (doc) => (doc.slug = "other"));
    const { client: d } = await client({ registry: dir });
    expect((await refusal(d.pollVersions("weather", null))).code).toBe("REG_BAD_DOCUMENT");
  });

  it("lists every integration of the registry's index.json", async () => {
    const { client: c } = await client({ registry: httpUrl });
    const index = await c.listIntegrations();
    expect(Object.keys(index.integrations)).toEqual(["weather"]);
    expect(index.integrations.weather).toMatchObject({ latest: "1.1.0", versions: 4, visibility: "public" });
  });
});

describe("registry client: trust", () => {
  it("refuses a signature by a key the caller does not trust, whatever keys.json says", async () => {
    const { client: c, cacheDir } = await client({ trustedKeys: [(await loadSigningKey(base, { IHUB_SIGNING_KEY: pem() })).publicKeyPem] });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_UNTRUSTED_KEY");
    expect(await readdir(cacheDir).catch(() => [])).toEqual([]);
  });

  it("dev trust accepts the registry's own keys, and says so", async () => {
    const { client: c } = await client({ trustedKeys: [], trustRegistryKeys: true });
    const pulled = await c.pull("weather@1.0.0");
    expect(pulled.warnings.join()).toMatch(/dev trust/);
  });

  it("dev trust refuses a keys.json that mislabels a key", async () => {
    const dir = await copyRegistry();
    const other = await loadSigningKey(base, { IHUB_SIGNING_KEY: pem() });
    await editJson(registryPaths(dir).keys, (doc) => (doc.keys[0].publicKey = other.publicKeyPem));
    const { client: c } = await client({ registry: dir, trustedKeys: [], trustRegistryKeys: true });
    const error = await refusal(c.pull("weather@1.0.0"));
    expect(error).toMatchObject({ code: "REG_BAD_DOCUMENT", location: { pointer: "/keys/0/keyId" } });
  });
});

describe("registry client: a newer version signed by a key it does not trust", () => {
  /** A copy of the registry where someone with write access published 1.3.0 (and 1.1.1) under their own key. */
  async function takenOver(): Promise<{ dir: string; stranger: SigningKey }> {
    const dir = await copyRegistry();
    const stranger = await loadSigningKey(base, { IHUB_SIGNING_KEY: pem() });
    for (const version of ["1.1.1", "1.3.0"]) {
      await writeSampleIntegration(base, { kind: "ping", slug: "weather", version, body: `takeover ${version}` });
      const { bundles } = await buildSignedBundles(base, ["weather"], stranger);
      await publishBundles(bundles, [{ kind: "dir", dir }], stranger, { commit: null });
    }
    return { dir, stranger };
  }

  it("falls back to the newest version it trusts, with a warning per skipped version, from a directory and over HTTP", async () => {
    const { dir, stranger } = await takenOver();
    const served = createRegistryServer(dir);
    const { url } = await listen(served, 0, "127.0.0.1");
    try {
      for (const registryAt of [dir, url]) {
        const { client: c } = await client({ registry: registryAt });
        const pulled = await c.pull("weather@^1");
        expect(pulled.version).toBe("1.1.0");
        expect(await readFile(path.join(pulled.dir, "handlers", "ping.lua"), "utf8")).toContain("weather 1.1.0");
        expect(pulled.warnings).toEqual([
          `weather@1.3.0 is signed by ${stranger.keyId}, which is not a trusted key: skipped, weather@^1 resolves to 1.1.0`,
          `weather@1.1.1 is signed by ${stranger.keyId}, which is not a trusted key: skipped, weather@^1 resolves to 1.1.0`,
        ]);
        // A client that trusts the new key takes the new version, without a word.
        const { client: both } = await client({ registry: registryAt, trustedKeys: [key.publicKeyPem, stranger.publicKeyPem] });
        expect(await both.resolve("weather@^1")).toEqual({ record: expect.objectContaining({ version: "1.3.0" }), warnings: [] });
      }
    } finally {
      await new Promise((r) => served.close(r));
    }
  });

  it("fails naming the untrusted key when no version in range is signed by a trusted key, and writes nothing", async () => {
    const { dir, stranger } = await takenOver();
    const { client: c, cacheDir } = await client({ registry: dir });
    const error = await refusal(c.pull("weather@>=1.1.1 <2"));
    expect(error).toMatchObject({ code: "REG_UNTRUSTED_KEY", hint: expect.stringMatching(/trusted keys/) });
    expect(error.message).toBe(`no version of weather in >=1.1.1 <2 is signed by a trusted key (1.3.0 by ${stranger.keyId}, 1.1.1 by ${stranger.keyId})`);
    expect(await readdir(cacheDir).catch(() => [])).toEqual([]);
  });
});

describe("registry client: tampering", () => {
  it("detects a changed byte in the bundle", async () => {
    const dir = await copyRegistry();
    const file = registryPaths(dir).bundle("weather", "1.0.0");
    const bytes = await readFile(file);
    bytes[bytes.length - 10]! ^= 0x01;
    await writeFile(file, bytes);
    const { client: c, cacheDir } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_INTEGRITY");
    expect(await readdir(path.join(cacheDir, "bundles")).catch(() => [])).toEqual([]);
  });

  it("detects a changed byte in the index's sha512 (signature no longer verifies)", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => {
      const integrity = doc.versions["1.0.0"].integrity;
      integrity.sha512 = flip(integrity.sha512, 20);
    });
    const { client: c } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_SIGNATURE");
  });

  it("detects a changed byte in the index's sha256 (integrity no longer matches)", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => {
      const integrity = doc.versions["1.0.0"].integrity;
      integrity.sha256 = flip(integrity.sha256, 20);
    });
    const { client: c } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_INTEGRITY");
  });

  it("detects a changed byte in the signature", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => {
      doc.versions["1.0.0"].signature.value = flip(doc.versions["1.0.0"].signature.value, 5);
    });
    const { client: c } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_SIGNATURE");
  });

  it("refuses a record replayed under another version", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => {
      // 1.1.0's entry now carries 1.0.0's signed bytes, relabelled.
      doc.versions["1.1.0"] = { ...doc.versions["1.0.0"], version: "1.1.0" };
    });
    const { client: c } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.1.0"))).code).toBe("REG_SIGNATURE");
  });
});

describe("registry client: hostile registry documents", () => {
  it("refuses wrong types with a pointer", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => (doc.versions["1.0.0"].size = "12"));
    const { client: c } = await client({ registry: dir });
    expect(await refusal(c.pull("weather@1.0.0"))).toMatchObject({ code: "REG_BAD_DOCUMENT", location: { pointer: "/versions/1.0.0/size" } });
  });

  it("refuses a versions map whose keys do not match the records", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => {
      doc.versions["9.9.9"] = doc.versions["1.0.0"];
    });
    const { client: c } = await client({ registry: dir });
    expect(await refusal(c.pull("weather@1.0.0"))).toMatchObject({ code: "REG_BAD_DOCUMENT", location: { pointer: "/versions/9.9.9" } });
  });

  it("refuses an index for another slug", async () => {
    const dir = await copyRegistry();
    await editJson(registryPaths(dir).slugIndex("weather"), (doc) => (doc.slug = "maps"));
    const { client: c } = await client({ registry: dir });
    expect(await refusal(c.pull("weather@1.0.0"))).toMatchObject({ code: "REG_BAD_DOCUMENT", location: { pointer: "/slug" } });
  });

  it("refuses documents that are not JSON or too large", async () => {
    const dir = await copyRegistry();
    await writeFile(registryPaths(dir).slugIndex("weather"), "<html>");
    const { client: c } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_BAD_DOCUMENT");
    await writeFile(registryPaths(dir).slugIndex("weather"), " ".repeat(70_000));
    const { client: small } = await client({ registry: dir, limits: { maxDocumentBytes: 64 * 1024 } });
    expect((await refusal(small.pull("weather@1.0.0"))).code).toBe("REG_TOO_LARGE");
  });

  it("stops reading an HTTP body that exceeds the cap even without Content-Length", async () => {
    const hostile = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 1000 && res.write(chunk)) sent++;
        if (sent < 1000) res.once("drain", pump);
        else res.end();
      };
      pump();
    });
    const { url } = await listen(hostile, 0, "127.0.0.1");
    try {
      const { client: c } = await client({ registry: url, limits: { maxDocumentBytes: 256 * 1024 } });
      expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_TOO_LARGE");
    } finally {
      hostile.closeAllConnections();
      await new Promise((r) => hostile.close(r));
    }
  });

  it("refuses a bundle larger than its record says", async () => {
    const dir = await copyRegistry();
    const file = registryPaths(dir).bundle("weather", "1.0.0");
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.alloc(100)]));
    const { client: c } = await client({ registry: dir });
    expect((await refusal(c.pull("weather@1.0.0"))).code).toBe("REG_TOO_LARGE");
  });
});

describe("registry client: hostile archives", () => {
  it("a correctly signed bundle holding a path traversal is refused and nothing is written", async () => {
    const dir = path.join(await scratch("evil"), "registry");
    const block = Buffer.alloc(512);
    new Header({ path: "../../escaped.lua", type: "File", mode: 0o644, size: 3, mtime: new Date(0) }).encode(block);
    const bytes = gzipSync(Buffer.concat([block, Buffer.from("bad"), Buffer.alloc(509), Buffer.alloc(1024)]));
    const integrity = computeIntegrity(bytes);
    const bundle = { slug: "evil", version: "1.0.0", bytes, integrity, contentDigest: "e".repeat(64), files: 1, manifest: { name: "Evil", description: "d", trustTier: "community" as const, visibility: "public" as const, deprecated: false } };
    const record = versionRecord(bundle, signBundle(key, "evil", "1.0.0", integrity.sha512), { commit: null, publishedAt: new Date() });
    await publishToDir(dir, [{ record, bytes }], [publicKeyEntry(key)]);

    const { client: c, cacheDir } = await client({ registry: dir });
    const error = await refusal(c.pull("evil@1.0.0"));
    expect(error.code).toBe("ARCHIVE_PATH_TRAVERSAL");
    expect(await readdir(path.join(cacheDir, "bundles")).catch(() => [])).toEqual([]);
    expect(await readdir(path.join(cacheDir, "tmp"))).toEqual([]);
    expect(await readdir(path.dirname(cacheDir))).toEqual(["cache"]);
  });
});
