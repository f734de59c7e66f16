/**
 * `ihub release` against a loopback GitHub: a real repository in a temp folder, tagged and
 * published by the real `ihub tag` and `ihub publish`, then released through octokit to a server
 * speaking GitHub's release endpoints, which records every request.
 */
import fs from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../../../test-support/fake-github-server.js";
import { runIhub } from "../../../test-support/ihub-process.js";
import { writeSampleIntegration } from "../../../test-support/sample-integration.js";
import { commitAll, tempDirs } from "../../../test-support/temp-repo.js";
import { listReleaseTags } from "../../git/release-tags.js";
import { planRelease } from "../../release/sync-releases.js";

const TOKEN = "ghs_release-token-1843";
const temps = tempDirs("ihub-release-");
let root: string;
let github: FakeGitHub;

const quiet = { NO_COLOR: "1", IHUB_QUIET: "1", IHUB_SIGNING_KEY: "", IHUB_SIGNING_KEY_FILE: "" };
const ihub = (args: string[], env: Record<string, string> = {}) => runIhub(args, { cwd: root, env: { ...quiet, ...env } });
const release = async () => {
  const run = await ihub(["release", "--json"], { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/integrations", GITHUB_API_URL: github.baseUrl });
  return { code: run.code, doc: JSON.parse(run.stdout) as { format: string; ok: boolean; releases: { tag: string; status: string; uploaded?: string[]; error?: { code: string; message: string; hint: string } }[] } };
};
/** Commits what is in the working tree, then tags it and, unless told not to, publishes it to .ihub/registry. */
async function shipped(message: string, publish = true): Promise<void> {
  await commitAll(root, message);
  expect((await ihub(["tag"])).code).toBe(0);
  if (publish) expect((await ihub(["publish"])).code).toBe(0);
}
const registryFile = (...rel: string[]) => readFile(path.join(root, ".ihub", "registry", ...rel));
const creations = () => github.requests.filter((r) => r.method === "POST" && r.path.endsWith("/releases"));
const uploads = () => github.requests.filter((r) => r.method === "POST" && r.path.endsWith("/assets"));
const byTag = (tag: string) => github.releases.find((r) => r.tag_name === tag);

beforeAll(async () => {
  root = await temps.make();
  await writeSampleIntegration(root, { slug: "alpha", version: "1.0.0", history: [{ version: "0.9.0", date: "2026-10-01", notes: "- First cut." }] });
  await writeSampleIntegration(root, { kind: "ping", slug: "beta", version: "0.2.0-rc.1" });
  await git.init({ fs, dir: root, defaultBranch: "main" });
  await shipped("two integrations");
  github = await startFakeGitHub({ owner: "acme", repo: "integrations" });
});
afterAll(async () => {
  await github.close();
  await temps.cleanup();
});

describe("planRelease", () => {
  const existing = { id: 1, tag: "a@1.0.0", uploadUrl: "", url: "", assets: ["a-1.0.0.tgz"] };
  it("creates a missing release with every asset, completes a partial one, leaves a complete one", () => {
    expect(planRelease(undefined, ["a-1.0.0.tgz", "a-1.0.0.record.json"])).toEqual({ create: true, upload: ["a-1.0.0.tgz", "a-1.0.0.record.json"] });
    expect(planRelease(existing, ["a-1.0.0.tgz", "a-1.0.0.record.json"])).toEqual({ create: false, upload: ["a-1.0.0.record.json"] });
    expect(planRelease(existing, ["a-1.0.0.tgz"])).toEqual({ create: false, upload: [] });
  });
});

describe("ihub release", () => {
  it("gives each tag one release: its CHANGELOG section as body, the bundle and its signed record as assets; a second run creates nothing", async () => {
    const { code, doc } = await release();
    expect(code).toBe(0);
    expect(doc).toMatchObject({ format: "ihub.release/v1", ok: true });
    expect(doc.releases).toEqual([
      { tag: "alpha@1.0.0", status: "created", url: expect.stringContaining("alpha%401.0.0"), uploaded: ["alpha-1.0.0.tgz", "alpha-1.0.0.record.json"] },
      { tag: "beta@0.2.0-rc.1", status: "created", url: expect.any(String), uploaded: ["beta-0.2.0-rc.1.tgz", "beta-0.2.0-rc.1.record.json"] },
    ]);
    const alpha = byTag("alpha@1.0.0")!;
    // That version's section only: not the 0.9.0 entry below it.
    expect(alpha.body).toBe("- Current release.");
    expect(alpha.prerelease).toBe(false);
    expect(byTag("beta@0.2.0-rc.1")).toMatchObject({ body: "- Release.", prerelease: true });
    expect(alpha.assets.map((a) => [a.name, a.contentType])).toEqual([
      ["alpha-1.0.0.tgz", "application/gzip"],
      ["alpha-1.0.0.record.json", "application/json"],
    ]);
    expect(alpha.assets[0]!.bytes.equals(await registryFile("alpha", "1.0.0.tgz"))).toBe(true);
    const record = JSON.parse(alpha.assets[1]!.bytes.toString());
    expect(record).toMatchObject({ slug: "alpha", version: "1.0.0", signature: { algorithm: "ed25519" } });
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    const before = github.requests.length;
    const again = await release();
    expect(again.code).toBe(0);
    expect(again.doc.releases.map((r) => r.status)).toEqual(["unchanged", "unchanged"]);
    // One listing, nothing written.
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /repos/acme/integrations/releases"]);
    expect(github.releases).toHaveLength(2);
  });

  it("reports a release GitHub refused, and creates it on the next run without a version bump", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "gamma", version: "1.0.0" });
    await shipped("gamma");
    const tags = await listReleaseTags(root);
    // A refusal octokit does not retry: the token lacks `contents: write`.
    github.failWith("POST", 403, "Resource not accessible by integration", /\/releases$/);
    const failed = await release();
    expect(failed.code).toBe(1);
    expect(failed.doc.ok).toBe(false);
    const gamma = failed.doc.releases.find((r) => r.tag === "gamma@1.0.0")!;
    expect(gamma).toMatchObject({ status: "failed", error: { code: "IH_GITHUB_API", message: expect.stringMatching(/creating the release of gamma@1\.0\.0 .*403/), hint: expect.stringMatching(/contents: write/) } });
    expect(JSON.stringify(failed.doc)).not.toContain(TOKEN);
    expect(failed.doc.releases.filter((r) => r.tag !== "gamma@1.0.0").map((r) => r.status)).toEqual(["unchanged", "unchanged"]);
    expect(byTag("gamma@1.0.0")).toBeUndefined();

    github.recover();
    const retried = await release();
    expect(retried.code).toBe(0);
    expect(retried.doc.releases.find((r) => r.tag === "gamma@1.0.0")).toMatchObject({ status: "created", uploaded: ["gamma-1.0.0.tgz", "gamma-1.0.0.record.json"] });
    expect(await listReleaseTags(root)).toEqual(tags);
    expect(github.releases.filter((r) => r.tag_name === "gamma@1.0.0")).toHaveLength(1);
  });

  it("uploads only the assets a release lacks", async () => {
    const alpha = byTag("alpha@1.0.0")!;
    alpha.assets.splice(1, 1);
    const [created, uploaded] = [creations().length, uploads().length];
    const { code, doc } = await release();
    expect(code).toBe(0);
    expect(doc.releases.find((r) => r.tag === "alpha@1.0.0")).toMatchObject({ status: "completed", uploaded: ["alpha-1.0.0.record.json"] });
    expect(creations().length).toBe(created);
    expect(uploads().length).toBe(uploaded + 1);
    expect(alpha.assets.map((a) => a.name)).toEqual(["alpha-1.0.0.tgz", "alpha-1.0.0.record.json"]);
  });

  it("leaves a tag the registry does not hold yet without a release, and releases it once it is published", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "delta", version: "2.0.0" });
    await shipped("delta", false);
    const first = await release();
    expect(first.code).toBe(1);
    expect(first.doc.releases.find((r) => r.tag === "delta@2.0.0")).toMatchObject({ status: "failed", error: { code: "IH_RELEASE_NOT_PUBLISHED", hint: expect.stringMatching(/--reconcile/) } });
    expect(byTag("delta@2.0.0")).toBeUndefined();
    expect((await ihub(["publish", "--reconcile"])).code).toBe(0);
    expect((await release()).doc.releases.find((r) => r.tag === "delta@2.0.0")).toMatchObject({ status: "created" });
  });

  it("takes a release another run created meanwhile as it is, and only adds what it still lacks", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "epsilon", version: "1.0.0" });
    await shipped("epsilon");
    const names = { bundle: "epsilon-1.0.0.tgz", record: "epsilon-1.0.0.record.json" };
    // Between this run's listing and its writes, the other run creates the release with the bundle, then uploads the record.
    github.before("POST", /\/releases$/, () => {
      github.addRelease({ tag_name: "epsilon@1.0.0", name: "Epsilon 1.0.0", body: "- Release.", prerelease: false, assets: [{ id: 1, name: names.bundle, contentType: "application/gzip", bytes: Buffer.from("other") }] });
    });
    github.before("POST", /\/assets$/, () => {
      byTag("epsilon@1.0.0")!.assets.push({ id: 2, name: names.record, contentType: "application/json", bytes: Buffer.from("{}") });
    });
    const [created, uploaded] = [creations().length, uploads().length];
    const { code, doc } = await release();
    expect(code).toBe(0);
    expect(doc.releases.find((r) => r.tag === "epsilon@1.0.0")).toMatchObject({ status: "completed", uploaded: [] });
    // One create and one upload were tried, each answered 422 already_exists, and neither counts as a failure.
    expect([creations().length - created, uploads().length - uploaded]).toEqual([1, 1]);
    expect(github.releases.filter((r) => r.tag_name === "epsilon@1.0.0")).toHaveLength(1);
    expect(byTag("epsilon@1.0.0")!.assets.map((a) => a.name)).toEqual([names.bundle, names.record]);
  });

  it("is a usage error without a token or repository, before any request", async () => {
    const before = github.requests.length;
    const run = await ihub(["release", "--json"], { GITHUB_TOKEN: "", GITHUB_REPOSITORY: "acme/integrations", GITHUB_API_URL: github.baseUrl });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "IH_USAGE", message: "GITHUB_TOKEN is not set" } });
    expect(github.requests.length).toBe(before);
  });
});
