/** `ihub version` run in-process against real git repositories in temp dirs: the CLI's own rules. */
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import git from "isomorphic-git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunContext } from "../../cli/command.js";
import { writeSampleIntegration } from "../../../test-support/sample-integration.js";
import { IhubError } from "../../errors.js";
import version from "./index.js";

const author = { name: "Test", email: "test@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-version-"));
  process.env.IHUB_QUIET = "1";
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(opts: Record<string, unknown>, json = false): Promise<{ code: number | IhubError; out: string }> {
  let out = "";
  const ctx: RunContext = { verb: "version", json, root: async () => root, out: (t) => void (out += t), err: () => {} };
  const code = await version.run(ctx, [], opts).catch((e: unknown) => {
    if (e instanceof IhubError) return e;
    throw e;
  });
  return { code, out };
}

async function initRepo() {
  await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
  await git.init({ fs, dir: root, defaultBranch: "main" });
  await git.add({ fs, dir: root, filepath: "." });
  await git.commit({ fs, dir: root, message: "initial", author });
}

describe("ihub version", () => {
  it("is a usage error outside a git repository and with both --base and --since-release", async () => {
    await writeSampleIntegration(root, { kind: "ping", slug: "weather" });
    expect((await run({ sinceRelease: true })).code).toMatchObject({ code: "IH_GIT_NO_HEAD", exitCode: 2 });
    await initRepo();
    expect((await run({ base: "main", sinceRelease: true })).code).toMatchObject({ code: "IH_USAGE", exitCode: 2 });
    expect((await run({ base: "nope" })).code).toMatchObject({ code: "IH_GIT_REF", exitCode: 2 });
    expect((await run({ registry: "ftp://example.com/x" })).code).toMatchObject({ code: "IH_USAGE", exitCode: 2 });
  });

  it("on main, compared with main, finds nothing and points at --since-release, which checks every integration", async () => {
    await initRepo();
    const onMain = await run({});
    expect(onMain.code).toBe(0);
    expect(onMain.out).toMatch(/no integration changed/);
    expect(onMain.out).toMatch(/--since-release/);
    const release = await run({ sinceRelease: true }, true);
    expect(release.code).toBe(0);
    expect(JSON.parse(release.out)).toMatchObject({ ok: true, against: { kind: "release" }, integrations: [{ slug: "weather", status: "new", comparedWith: null }] });
  });

  it("sees uncommitted edits: a changed handler on an unbumped version fails with a suggestion", async () => {
    await initRepo();
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", body: "changed" });
    const { code, out } = await run({ base: "main" }, true);
    expect(code).toBe(1);
    expect(JSON.parse(out).integrations[0]).toMatchObject({ slug: "weather", required: "patch", suggested: "1.0.1", findings: [{ code: "IH_VERSION_NOT_BUMPED" }] });
  });

  it("prints each finding at the manifest line of the version", async () => {
    await initRepo();
    await writeSampleIntegration(root, { kind: "ping", slug: "weather", body: "changed" });
    const manifest = fs.readFileSync(path.join(root, "integrations", "weather", "integration.json"), "utf8").split("\n");
    const line = manifest.findIndex((l) => l.includes('"version"'));
    const column = manifest[line]!.indexOf('"1.0.0"') + 1;
    const { out } = await run({ base: "main" });
    expect(out).toContain(`error IH_VERSION_NOT_BUMPED integrations/weather/integration.json:${line + 1}:${column} the bundle changed (a patch change) but the version stays 1.0.0`);
  });
});
