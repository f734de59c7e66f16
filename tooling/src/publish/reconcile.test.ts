import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import { mkdtemp, readFile, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import git from "isomorphic-git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { integrationIndexSchema } from "@ihub/runtime/registry";
import { buildBundle } from "../bundle/build-bundle.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { tagMessage } from "../repo/tag-name.js";
import { loadSigningKey, type SigningKey } from "../signing/signing-key.js";
import { registryPaths } from "./dir-registry.js";
import { listReleaseTags } from "../git/release-tags.js";
import { reconcile } from "./reconcile.js";

const author = { name: "Release Bot", email: "release@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
const signingPem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

let root: string;
let registry: string;
let key: SigningKey;

async function commitAll(message: string): Promise<string> {
  await git.add({ fs, dir: root, filepath: "." });
  return git.commit({ fs, dir: root, message, author });
}
async function tagRelease(slug: string, version: string, digest: string | null) {
  await git.annotatedTag({ fs, dir: root, ref: `${slug}@${version}`, message: digest ? tagMessage(slug, version, digest) : `${slug}@${version}\n`, tagger: author });
}
const run = () => reconcile(root, [], [{ kind: "dir", dir: registry }], key);

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-reconcile-"));
  registry = path.join(root, ".ihub", "registry");
  key = await loadSigningKey(root, { IHUB_SIGNING_KEY: signingPem });
  await git.init({ fs, dir: root, defaultBranch: "main" });
  await writeSampleIntegration(root, { kind: "ping", slug: "weather", body: "first" });
  await commitAll("weather 1.0.0");
  await tagRelease("weather", "1.0.0", (await buildBundle(fsFileSource(root), "weather")).contentDigest);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("publish --reconcile", () => {
  it("reads release tags with the digest their message carries", async () => {
    const [tag] = await listReleaseTags(root);
    expect(tag).toMatchObject({ tag: "weather@1.0.0", slug: "weather", version: "1.0.0", commit: await git.resolveRef({ fs, dir: root, ref: "HEAD" }) });
    expect(tag!.contentDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("publishes a tagged version that never reached the registry, built from the tagged tree", async () => {
    // The working tree has moved on since the tag: reconcile must not publish these bytes.
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", version: "1.1.0", body: "second" });
    const report = await run();
    expect(report.conflicts).toBe(0);
    expect(report.repairs.join("\n")).toMatch(/weather@1.0.0: published/);
    const index = integrationIndexSchema.parse(JSON.parse(await readFile(registryPaths(registry).slugIndex("weather"), "utf8")));
    expect(Object.keys(index.versions)).toEqual(["1.0.0"]);
    expect(index.versions["1.0.0"]!.commit).toBe(await git.resolveRef({ fs, dir: root, ref: "weather@1.0.0" }).then((oid) => git.readTag({ fs, dir: root, oid })).then((t) => t.tag.object));
    expect((await run()).repairs).toEqual([]);
  });

  it("repairs lost indexes and a lost bundle without a version bump", async () => {
    await run();
    await unlink(registryPaths(registry).slugIndex("weather"));
    await unlink(registryPaths(registry).index);
    await unlink(registryPaths(registry).bundle("weather", "1.0.0"));
    const report = await run();
    expect(report.repairs.join("\n")).toMatch(/repaired bundle/);
    expect(report.repairs.join("\n")).toMatch(/weather\/index.json rebuilt/);
    expect(JSON.parse(await readFile(registryPaths(registry).index, "utf8")).integrations.weather.latest).toBe("1.0.0");
    expect((await readFile(registryPaths(registry).bundle("weather", "1.0.0"))).length).toBeGreaterThan(0);
  });

  it("adds the record for a bundle that was uploaded while its record and index were not", async () => {
    await run();
    await unlink(registryPaths(registry).record("weather", "1.0.0"));
    await unlink(registryPaths(registry).slugIndex("weather"));
    const report = await run();
    expect(report.repairs.join("\n")).toMatch(/weather@1.0.0: published/);
    expect(integrationIndexSchema.parse(JSON.parse(await readFile(registryPaths(registry).slugIndex("weather"), "utf8"))).latest).toBe("1.0.0");
  });

  it("reports a tag whose digest does not match its tree as a conflict and publishes nothing", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "maps" });
    await commitAll("maps");
    await tagRelease("maps", "1.0.0", "f".repeat(64));
    const report = await run();
    expect(report.conflicts).toBe(1);
    expect(report.repairs.join("\n")).toMatch(/maps@1.0.0: the tagged tree builds/);
    expect(fs.existsSync(registryPaths(registry).record("maps", "1.0.0"))).toBe(false);
  });

  it("runs from the CLI", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.resolve("tooling/bin/ihub.js"), "publish", "--reconcile", "--root", root, "--json"], {
      env: { ...process.env, IHUB_SIGNING_KEY: signingPem, IHUB_QUIET: "1" },
    });
    const out = JSON.parse(stdout);
    expect(out.ok).toBe(true);
    expect(out.repairs.join("\n")).toMatch(/weather@1.0.0: published/);
  });
});
