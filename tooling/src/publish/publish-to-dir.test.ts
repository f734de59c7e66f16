import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { integrationIndexSchema, registryIndexSchema, registryKeysSchema } from "@ihub/runtime/registry";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { IhubError } from "../errors.js";
import { createRegistryServer, listen } from "../registry/serve-registry.js";
import { loadSigningKey, type SigningKey } from "../signing/signing-key.js";
import { registryPaths } from "./dir-registry.js";
import { publishBundles } from "./publish-bundles.js";
import { yankVersion } from "./yank.js";

let root: string;
let registry: string;
let key: SigningKey;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-publish-"));
  registry = path.join(root, "registry");
  key = await loadSigningKey(root, { IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function publish(slugs: string[]) {
  const { bundles } = await buildSignedBundles(root, slugs, key);
  return publishBundles(bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
}
const readJson = async (file: string) => JSON.parse(await readFile(file, "utf8"));

describe("directory publisher", () => {
  it("writes bundle, record, both indexes and keys.json", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await writeSampleIntegration(root, { kind: "ping", slug: "maps", version: "0.3.0" });
    const results = await publish(["weather", "maps"]);
    expect(results.map((r) => r.status)).toEqual(["published", "published"]);
    const p = registryPaths(registry);
    const top = registryIndexSchema.parse(await readJson(p.index));
    expect(Object.keys(top.integrations)).toEqual(["maps", "weather"]);
    expect(top.integrations.maps!.latest).toBe("0.3.0");
    const weather = integrationIndexSchema.parse(await readJson(p.slugIndex("weather")));
    expect(weather.versions["1.0.0"]!.tag).toBe("weather@1.0.0");
    expect(await readFile(p.bundle("weather", "1.0.0"))).toHaveLength(weather.versions["1.0.0"]!.size);
    const keys = registryKeysSchema.parse(await readJson(p.keys));
    expect(keys.keys).toEqual([{ keyId: key.keyId, algorithm: "ed25519", publicKey: key.publicKeyPem, dev: false }]);
  });

  it("re-publishing the same content is a no-op; other content under the same version is refused", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await publish(["weather"]);
    const recordFile = registryPaths(registry).record("weather", "1.0.0");
    const before = await readFile(recordFile, "utf8");
    expect((await publish(["weather"]))[0]!.status).toBe("unchanged");
    expect(await readFile(recordFile, "utf8")).toBe(before);

    await writeSampleIntegration(root, { kind: "ping", slug: "weather", body: "changed" });
    const [conflict] = await publish(["weather"]);
    expect(conflict).toMatchObject({ status: "conflict" });
    expect(conflict!.detail).toMatch(/already published/);
    expect(await readFile(recordFile, "utf8")).toBe(before);
  });

  it("keeps every version and rebuilds indexes from the records, repairing a lost index", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await publish(["weather"]);
    await unlink(registryPaths(registry).slugIndex("weather"));
    await writeFile(registryPaths(registry).index, "{ broken");
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", version: "1.1.0", body: "v2" });
    await publish(["weather"]);
    const weather = integrationIndexSchema.parse(await readJson(registryPaths(registry).slugIndex("weather")));
    expect(Object.keys(weather.versions)).toEqual(["1.0.0", "1.1.0"]);
    expect(weather.latest).toBe("1.1.0");
    expect(registryIndexSchema.parse(await readJson(registryPaths(registry).index)).integrations.weather!.versions).toBe(2);
  });

  it("restores a deleted bundle file on re-publish of the same content", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await publish(["weather"]);
    await unlink(registryPaths(registry).bundle("weather", "1.0.0"));
    const [result] = await publish(["weather"]);
    expect(result).toMatchObject({ status: "unchanged", detail: "repaired bundle" });
    expect((await readFile(registryPaths(registry).bundle("weather", "1.0.0"))).length).toBeGreaterThan(0);
  });

  it("yank keeps the record with its reason and moves latest", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await publish(["weather"]);
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", version: "1.1.0", body: "v2" });
    await publish(["weather"]);
    const { changed } = await yankVersion(registry, "weather", "1.1.0", "leaks tokens");
    expect(changed).toBe(true);
    expect((await yankVersion(registry, "weather", "1.1.0", "again")).changed).toBe(false);
    const weather = integrationIndexSchema.parse(await readJson(registryPaths(registry).slugIndex("weather")));
    expect(weather.latest).toBe("1.0.0");
    expect(weather.versions["1.1.0"]!.yanked!.reason).toBe("leaks tokens");
    await expect(yankVersion(registry, "weather", "9.9.9", "x")).rejects.toMatchObject({ code: "IH_YANK_NOT_FOUND" });
  });

  it("refuses a corrupt record with its file and pointer instead of dropping it from the index", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await publish(["weather"]);
    const recordFile = registryPaths(registry).record("weather", "1.0.0");
    await writeFile(recordFile, JSON.stringify({ ...(await readJson(recordFile)), size: "big" }));
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", version: "1.1.0", body: "v2" });
    await expect(publish(["weather"])).rejects.toMatchObject({ code: "IH_REGISTRY_CORRUPT", location: { file: recordFile, pointer: "/size" } });
  });

  it("refuses to publish to an HTTP registry that only serves, saying how to enable it", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    await publish(["weather"]);
    const server = createRegistryServer(registry);
    const { url } = await listen(server, 0, "127.0.0.1");
    try {
      const { bundles } = await buildSignedBundles(root, ["weather"], key);
      const error = await publishBundles(bundles, [{ kind: "http", baseUrl: new URL(url) }], key, { commit: null }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "IH_PUBLISH_HTTP_FAILED" });
      expect((error as IhubError).hint).toMatch(/--allow-publish/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
