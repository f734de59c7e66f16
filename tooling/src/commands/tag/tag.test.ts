import { execFile } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import git from "isomorphic-git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildBundle } from "../../bundle/build-bundle.js";
import { writeSampleIntegration } from "../../../test-support/sample-integration.js";
import { listReleaseTags } from "../../git/release-tags.js";
import { fsFileSource } from "../../repo/fs-file-source.js";
import { planTag } from "./plan-tags.js";
import { tagReleases } from "./tag-releases.js";

const IHUB = path.resolve("tooling/bin/ihub.js");
const author = { name: "Test", email: "test@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
const tagger = { name: "Tagger", email: "tagger@example.com" };

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-tag-"));
  await git.init({ fs, dir: root, defaultBranch: "main" });
  await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
  await writeSampleIntegration(root, { kind: "ping", slug: "maps", version: "0.3.0" });
  await commitAll("initial");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function commitAll(message: string): Promise<string> {
  await git.add({ fs, dir: root, filepath: "." });
  return git.commit({ fs, dir: root, message, author });
}
async function ihub(...args: string[]): Promise<{ code: number; json: any }> {
  const run = promisify(execFile)(process.execPath, [IHUB, "tag", ...args, "--root", root, "--json"], { env: { ...process.env, IHUB_QUIET: "1", GIT_COMMITTER_NAME: "CI", GIT_COMMITTER_EMAIL: "ci@example.com" } });
  const { stdout, code } = await run.then((r) => ({ stdout: r.stdout, code: 0 }), (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }));
  return { code, json: stdout ? JSON.parse(stdout) : null };
}

describe("planTag", () => {
  const content = { version: "1.0.0", contentDigest: "a".repeat(64) };
  it("creates a missing tag at HEAD, keeps a tag with the same digest, refuses one with another", () => {
    const input = { slug: "weather", atHead: content, working: content, existing: null };
    expect(planTag(input, "c1")).toMatchObject({ type: "create", tag: "weather@1.0.0", commit: "c1" });
    expect(planTag({ ...input, existing: { commit: "c0", contentDigest: content.contentDigest } }, "c1")).toMatchObject({ type: "exists", commit: "c0" });
    expect(planTag({ ...input, existing: { commit: "c0", contentDigest: "b".repeat(64) } }, "c1")).toMatchObject({ type: "conflict", existingDigest: "b".repeat(64) });
  });
  it("refuses content that HEAD does not hold, even when a tag exists", () => {
    const working = { version: "1.0.0", contentDigest: "c".repeat(64) };
    expect(planTag({ slug: "weather", atHead: null, working, existing: null }, "c1")).toMatchObject({ type: "uncommitted", headDigest: null });
    expect(planTag({ slug: "weather", atHead: content, working, existing: { commit: "c0", contentDigest: content.contentDigest } }, "c1")).toMatchObject({ type: "uncommitted", headDigest: content.contentDigest });
    expect(planTag({ slug: "weather", atHead: content, working: { ...content, version: "1.0.1" }, existing: null }, "c1").type).toBe("uncommitted");
  });
});

describe("ihub tag", () => {
  it("creates annotated tags carrying the content digest, and a second run is a no-op", async () => {
    const head = await git.resolveRef({ fs, dir: root, ref: "HEAD" });
    const first = await ihub();
    expect(first.code).toBe(0);
    expect(first.json.tags.map((t: { tag: string; type: string }) => `${t.type} ${t.tag}`)).toEqual(["create maps@0.3.0", "create weather@1.0.0"]);

    const tags = await listReleaseTags(root);
    const weather = tags.find((t) => t.tag === "weather@1.0.0")!;
    expect(weather.commit).toBe(head);
    expect(weather.contentDigest).toBe((await buildBundle(fsFileSource(root), "weather")).contentDigest);
    const oid = await git.resolveRef({ fs, dir: root, ref: "refs/tags/weather@1.0.0" });
    const { tag } = await git.readTag({ fs, dir: root, oid });
    expect(tag.tagger).toMatchObject({ name: "CI", email: "ci@example.com" });

    // A tests-only change moves HEAD but not the content: the tags stay where they are.
    await writeFile(path.join(root, "integrations/weather/tests/extra.test.json"), "{}\n");
    await commitAll("more tests");
    const again = await ihub();
    expect(again.code).toBe(0);
    expect(again.json.tags.map((t: { type: string; commit: string }) => [t.type, t.commit])).toEqual([
      ["exists", head],
      ["exists", head],
    ]);
    expect(await git.resolveRef({ fs, dir: root, ref: "refs/tags/weather@1.0.0" })).toBe(oid);
  });

  it("refuses to move a tag when the content changed without a bump, and refuses uncommitted content", async () => {
    await tagReleases(root, ["weather"], { tagger });
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", body: "changed" });
    const dirty = await ihub("weather");
    expect(dirty.code).toBe(1);
    expect(dirty.json.tags[0]).toMatchObject({ type: "uncommitted", tag: "weather@1.0.0" });

    await commitAll("change without bump");
    const conflict = await ihub("weather");
    expect(conflict.code).toBe(1);
    expect(conflict.json.tags[0]).toMatchObject({ type: "conflict", tag: "weather@1.0.0" });
    expect(conflict.json.tags[0].existingDigest).not.toBe(conflict.json.tags[0].contentDigest);

    await writeSampleIntegration(root, { kind: "ping", slug: "weather", version: "1.0.1", body: "changed" });
    await commitAll("bump");
    const bumped = await tagReleases(root, ["weather"], { tagger });
    expect(bumped.actions.map((a) => `${a.type} ${a.tag}`)).toEqual(["create weather@1.0.1"]);
  });

  it("judges a lightweight tag by the tree it points at; --dry-run creates nothing", async () => {
    await git.tag({ fs, dir: root, ref: "weather@1.0.0" });
    const planned = await tagReleases(root, ["weather", "maps"], { dryRun: true, tagger });
    expect(planned.actions.map((a) => `${a.type} ${a.tag}`)).toEqual(["exists weather@1.0.0", "create maps@0.3.0"]);
    expect((await listReleaseTags(root)).map((t) => t.tag)).toEqual(["weather@1.0.0"]);
  });

  it("reports an invalid manifest as a failure and an unknown slug as a usage error", async () => {
    await writeFile(path.join(root, "integrations/maps/integration.json"), "{ nope");
    await commitAll("break maps");
    const broken = await ihub();
    expect(broken.code).toBe(1);
    expect(broken.json.errors).toMatchObject([{ slug: "maps", code: "IH_BUNDLE_MANIFEST_INVALID" }]);
    expect(broken.json.tags.map((t: { tag: string }) => t.tag)).toEqual(["weather@1.0.0"]);
    expect((await ihub("nope")).code).toBe(2);
  });
});
