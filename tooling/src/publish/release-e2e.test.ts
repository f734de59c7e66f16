/**
 * The release path end to end, through the real CLI in a fresh git repository: tag, bundle,
 * publish to a directory and a real OCI registry, serve the directory over HTTP, and pull by
 * range from all three with verification; then a new version, and a yank.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryClient } from "../../../runtime/src/registry/registry-client.js";
import { buildBundle } from "../bundle/build-bundle.js";
import { writeSampleIntegration } from "../bundle/sample-integration.js";
import { dockerRegistryAvailable, startLocalOciRegistry, type LocalOciRegistry } from "../registry/local-oci-registry.js";
import { fsFileSource } from "../repo/fs-file-source.js";

const IHUB = path.resolve("tooling/bin/ihub.js");
const author = { name: "Release Bot", email: "release@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
const skip = !dockerRegistryAvailable() && !process.env.CI;

describe.skipIf(skip)("release end to end", () => {
  let root: string;
  let oci: LocalOciRegistry;
  let server: ChildProcess | undefined;
  let httpUrl: string;
  const signingKey = generateKeyPairSync("ed25519");
  const env = { ...process.env, NO_COLOR: "1", IHUB_QUIET: "1", IHUB_SIGNING_KEY: signingKey.privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
  const publicKey = signingKey.publicKey.export({ type: "spki", format: "pem" }).toString();

  const ihub = async (...args: string[]) => JSON.parse((await promisify(execFile)(process.execPath, [IHUB, ...args, "--root", root, "--json"], { env })).stdout);
  async function release(version: string, body: string) {
    await writeSampleIntegration(root, "weather", { version, body });
    await git.add({ fs, dir: root, filepath: "." });
    await git.commit({ fs, dir: root, message: `weather ${version}`, author });
    const { contentDigest } = await buildBundle(fsFileSource(root), "weather");
    await git.annotatedTag({ fs, dir: root, ref: `weather@${version}`, message: `weather@${version}\n\ncontent-digest: ${contentDigest}\n`, tagger: author });
    return ihub("publish", "--registry", path.join(root, ".ihub/registry"), "--registry", `oci://${oci.host}/acme`);
  }
  const clients = () =>
    [path.join(root, ".ihub/registry"), httpUrl, `oci://${oci.host}/acme`].map((registry, i) =>
      createRegistryClient({ registry, cacheDir: path.join(root, `cache-${i}-${Date.now()}`), trustedKeys: [publicKey] }),
    );

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "ihub-e2e-"));
    oci = await startLocalOciRegistry();
    await git.init({ fs, dir: root, defaultBranch: "main" });
  });
  afterAll(async () => {
    server?.kill("SIGTERM");
    await oci?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("tags, bundles, publishes to dir + OCI, serves over HTTP, and pulls back by range everywhere", async () => {
    await writeSampleIntegration(root, "weather", { version: "1.0.0", body: "v1" });
    const bundled = await ihub("bundle");
    expect(bundled.bundles[0]).toMatchObject({ slug: "weather", version: "1.0.0" });

    const first = await release("1.0.0", "v1");
    expect(first.results.map((r: { status: string }) => r.status)).toEqual(["published", "published"]);
    const record = JSON.parse(await readFile(path.join(root, ".ihub/registry/weather/records/1.0.0.json"), "utf8"));
    expect(record.commit).toBe(await git.resolveRef({ fs, dir: root, ref: "HEAD" }));
    expect(record.ociDigest).toMatch(/^sha256:/);

    server = spawn(process.execPath, [IHUB, "registry", "serve", "--root", root, "--port", "0", "--json"], { env, stdio: ["ignore", "pipe", "inherit"] });
    httpUrl = await new Promise<string>((resolve, reject) => {
      let out = "";
      server!.stdout!.on("data", (c: Buffer) => {
        out += c;
        if (out.trim().endsWith("}")) resolve(JSON.parse(out).url);
      });
      server!.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
    });

    for (const client of clients()) {
      const pulled = await client.pull("weather@^1");
      expect(pulled.version).toBe("1.0.0");
      expect(pulled.record.integrity).toEqual(record.integrity);
      expect(await readFile(path.join(pulled.dir, "handlers/ping.lua"), "utf8")).toContain("v1");
    }

    // A change, bumped and released: every registry now answers ^1 with the new version.
    await release("1.1.0", "v2");
    for (const client of clients()) expect((await client.pull("weather@^1")).version).toBe("1.1.0");

    // Re-running publish after the release is a no-op everywhere.
    const again = await ihub("publish", "--registry", path.join(root, ".ihub/registry"), "--registry", `oci://${oci.host}/acme`);
    expect(again.results.map((r: { status: string }) => r.status)).toEqual(["unchanged", "unchanged"]);

    // Yanked in the directory registry: new installs over dir and HTTP fall back to 1.0.0.
    await ihub("yank", "weather@1.1.0", "--reason", "bad forecast");
    const [dirClient, httpClient] = clients();
    expect((await dirClient!.pull("weather@^1")).version).toBe("1.0.0");
    expect((await httpClient!.pull("weather@^1")).version).toBe("1.0.0");
    expect((await httpClient!.checkInstalled("weather", "1.1.0")).warnings.join()).toContain("bad forecast");
  }, 60_000);
});
