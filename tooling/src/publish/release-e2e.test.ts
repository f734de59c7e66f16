/**
 * The release path end to end, through the real CLI, from a fresh git repository in a temp dir
 * holding the repository's example integrations: release them all, then change one example on
 * a branch in a breaking way, get the major bump demanded, bump, merge, tag, bundle, publish
 * over HTTP (`ihub registry serve --allow-publish` in front of the directory) and to a real OCI
 * registry, and pull the new version back by range from directory, HTTP and OCI with
 * verification; then a yank.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryClient } from "@ihub/runtime/registry";
import { startLocalOciRegistry, type LocalOciRegistry } from "../../test-support/local-oci-registry.js";

const IHUB = path.resolve("tooling/bin/ihub.js");
const author = { name: "Contributor", email: "contributor@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
const SLUG = "github-issues";

type Row = { slug: string; status: string; type: string; tag: string; target: string };

describe("release end to end", () => {
  let root: string;
  let oci: LocalOciRegistry;
  let server: ChildProcess | undefined;
  let registryDir: string;
  let httpUrl: string;
  const signingKey = generateKeyPairSync("ed25519");
  const env = {
    ...process.env,
    NO_COLOR: "1",
    IHUB_QUIET: "1",
    GIT_COMMITTER_NAME: "Release Bot",
    GIT_COMMITTER_EMAIL: "release@example.com",
    IHUB_REGISTRY_TOKEN: "e2e-token",
    IHUB_SIGNING_KEY: signingKey.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
  /** The example's version in the checkout: what the first release publishes. */
  let firstVersion: string;
  const publicKey = signingKey.publicKey.export({ type: "spki", format: "pem" }).toString();

  /** Runs `ihub <args> --json` in the temp repo; returns the exit code and the JSON document. */
  async function ihub(...args: string[]): Promise<{ code: number; out: any }> {
    const run = promisify(execFile)(process.execPath, [IHUB, ...args, "--root", root, "--json"], { env });
    const { stdout, code } = await run.then((r) => ({ stdout: r.stdout, code: 0 }), (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }));
    return { code, out: JSON.parse(stdout) };
  }
  const publish = () => ihub("publish", "--registry", registryDir, "--registry", `oci://${oci.host}/acme`);
  async function commitAll(message: string) {
    for (const [filepath, , workdir] of await git.statusMatrix({ fs, dir: root })) {
      if (workdir === 0) await git.remove({ fs, dir: root, filepath });
      else await git.add({ fs, dir: root, filepath });
    }
    return git.commit({ fs, dir: root, message, author });
  }
  const manifestFile = () => path.join(root, "integrations", SLUG, "integration.json");
  async function editManifest(edit: (m: any) => void) {
    const m = JSON.parse(await readFile(manifestFile(), "utf8"));
    edit(m);
    await writeFile(manifestFile(), JSON.stringify(m, null, 2) + "\n");
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "ihub-e2e-"));
    registryDir = path.join(root, ".ihub", "registry");
    await cp(path.resolve("integrations"), path.join(root, "integrations"), { recursive: true });
    await writeFile(path.join(root, ".gitignore"), ".ihub/\n");
    await git.init({ fs, dir: root, defaultBranch: "main" });
    await commitAll("examples");
    firstVersion = JSON.parse(await readFile(manifestFile(), "utf8")).version;
    oci = await startLocalOciRegistry();
  });
  afterAll(async () => {
    server?.kill("SIGTERM");
    await oci?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("demands the right bump for a changed example, then tags, bundles, publishes to dir + OCI and pulls it back by range over dir, HTTP and OCI", async () => {
    // First release of every example: nothing tagged, nothing published yet.
    expect((await ihub("version", "--since-release")).code).toBe(0);
    const tagged = await ihub("tag");
    expect(tagged.code).toBe(0);
    expect(tagged.out.tags.length).toBeGreaterThan(1);
    expect(tagged.out.tags.every((t: Row) => t.type === "create")).toBe(true);
    expect((await publish()).out.results.every((r: Row) => r.status === "published")).toBe(true);

    // The directory registry, served over HTTP; it also accepts publishes carrying the token and signed by the release key.
    const trustedKeyFile = path.join(root, ".ihub", "release-key.pub.pem");
    await writeFile(trustedKeyFile, publicKey);
    server = spawn(process.execPath, [IHUB, "registry", "serve", "--allow-publish", "--trusted-key", trustedKeyFile, "--root", root, "--port", "0", "--json"], { env, stdio: ["ignore", "pipe", "inherit"] });
    httpUrl = await new Promise<string>((resolve, reject) => {
      let out = "";
      server!.stdout!.on("data", (c: Buffer) => {
        out += c;
        if (out.trim().endsWith("}")) resolve(JSON.parse(out).url);
      });
      server!.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
    });

    // A pull request removes a handler (breaking) and touches a test (no bump on its own).
    await git.branch({ fs, dir: root, ref: "feature", checkout: true });
    await editManifest((m) => delete m.handlers.update_issue);
    await appendFile(path.join(root, "integrations", SLUG, "tests", "list-issues.test.json"), "\n");
    await appendFile(path.join(root, "integrations", "slack-messages", "tests", "list-channels.test.json"), "\n");
    await commitAll("drop update_issue");
    const demanded = await ihub("version", "--base", "main");
    expect(demanded.code).toBe(1);
    expect(demanded.out.integrations.map((p: Row) => `${p.slug} ${p.status}`)).toEqual([`${SLUG} changed`, "slack-messages unchanged"]);
    const gate = demanded.out.integrations[0];
    expect(gate).toMatchObject({ required: "major", declaredVersion: firstVersion, sufficient: false, suggested: "2.0.0" });
    expect(gate.reasons).toContainEqual(expect.objectContaining({ level: "major", pointer: "/handlers/update_issue" }));
    // The current version is also published already, so keeping it breaks immutability too.
    expect(gate.findings.map((f: { code: string }) => f.code)).toEqual(["IH_VERSION_NOT_BUMPED", "IH_VERSION_IMMUTABLE"]);

    // A minor bump is still refused; the suggested major passes.
    await editManifest((m) => (m.version = "1.3.0"));
    expect((await ihub("version", "--base", "main")).out.integrations[0].findings[0].code).toBe("IH_VERSION_INSUFFICIENT");
    await editManifest((m) => (m.version = "2.0.0"));
    await appendFile(path.join(root, "integrations", SLUG, "CHANGELOG.md"), "\n## 2.0.0\n\n- Removed update_issue.\n");
    expect((await ihub("version", "--base", "main")).code).toBe(0);
    await commitAll("github-issues 2.0.0");

    // Merged: on main the gate measures from the previous release tag.
    await git.merge({ fs, dir: root, ours: "main", theirs: "feature", fastForwardOnly: true });
    await git.checkout({ fs, dir: root, ref: "main" });
    const onMain = await ihub("version", "--since-release");
    expect(onMain.code).toBe(0);
    expect(onMain.out.integrations.find((p: Row) => p.slug === SLUG)).toMatchObject({ status: "changed", required: "major", comparedWith: `${SLUG}@${firstVersion}` });

    const retag = await ihub("tag");
    expect(retag.out.tags.map((t: Row) => `${t.type} ${t.tag}`)).toContain(`create ${SLUG}@2.0.0`);
    expect(retag.out.tags.filter((t: Row) => t.type === "exists")).toHaveLength(tagged.out.tags.length - 1);
    // The new tag is now the previous release: the gate measures from the highest one and sees no change.
    const after = (await ihub("version", "--since-release")).out.integrations.find((p: Row) => p.slug === SLUG);
    expect(after).toMatchObject({ status: "unchanged", comparedWith: `${SLUG}@2.0.0`, sufficient: true });
    const bundled = await ihub("bundle", SLUG);
    expect(bundled.out.bundles[0]).toMatchObject({ slug: SLUG, version: "2.0.0" });
    // This release goes out over HTTP (the server writes the directory) and to OCI.
    const published = await ihub("publish", "--registry", httpUrl, "--registry", `oci://${oci.host}/acme`);
    expect(published.out.results.filter((r: Row) => r.status === "published").map((r: Row) => `${r.slug} ${r.target}`)).toEqual([`${SLUG} oci://${oci.host}/acme`, `${SLUG} ${httpUrl}`]);
    // Publishing again, locally this time, is a no-op everywhere: the server wrote what a local publish would.
    expect((await publish()).out.results.every((r: Row) => r.status === "unchanged")).toBe(true);

    const registries = [registryDir, httpUrl, `oci://${oci.host}/acme`];
    const clients = registries.map((registry, i) => createRegistryClient({ registry, cacheDir: path.join(root, `cache-${i}`), trustedKeys: [publicKey] }));
    for (const client of clients) {
      const pulled = await client.pull(`${SLUG}@^2`);
      expect(pulled.version).toBe("2.0.0");
      expect(pulled.record.integrity).toEqual(bundled.out.bundles[0].integrity);
      expect(Object.keys(JSON.parse(await readFile(path.join(pulled.dir, "integration.json"), "utf8")).handlers)).not.toContain("update_issue");
      expect((await client.pull(`${SLUG}@^1`)).version).toBe(firstVersion);
    }

    // Yanked through the HTTP registry: new installs over dir and HTTP fall back, installed ones are warned.
    expect((await ihub("yank", `${SLUG}@2.0.0`, "--reason", "drops a handler callers still use", "--registry", httpUrl)).code).toBe(0);
    for (const client of clients.slice(0, 2)) {
      expect((await client.pull(`${SLUG}@>=1`)).version).toBe(firstVersion);
      expect((await client.checkInstalled(SLUG, "2.0.0")).warnings.join()).toContain("drops a handler");
    }
  }, 240_000);
});
