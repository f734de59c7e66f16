/**
 * `npm run pipeline` as a new contributor meets it: in fresh clones of a repository holding this
 * repository's example integrations, on the embedded defaults (local registry, local tags, dev
 * key, site in site/dist). It must pass, pass again as a no-op, two clones must bundle
 * byte-identical files, and a released integration changed without a bump must stop it at the
 * version gate. The origin is a new temp repository, never this checkout: the README's own
 * `npm run pipeline` leaves tags and `.ihub/` here, which a clone of the checkout would inherit.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { appendFile, cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonDocumentSchema, type StageName } from "../../documents/stage-documents.js";
import { commitAll } from "../../../test-support/temp-repo.js";
import { listReleaseTags } from "../../git/release-tags.js";

const run = promisify(execFile);
const IHUB = fileURLToPath(new URL("../../../bin/ihub.js", import.meta.url));
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const env = { ...process.env, NO_COLOR: "1", IHUB_QUIET: "1", IHUB_SIGNING_KEY: "", IHUB_SIGNING_KEY_FILE: "" };

let work: string;
let origin: string;
/** A real clone of the origin (system git, as a contributor would make it), with a given umask so file modes differ. */
async function clone(name: string, umask: string): Promise<string> {
  const dir = path.join(work, name);
  await run("sh", ["-c", `umask ${umask} && git clone --quiet --no-hardlinks "$0" "$1"`, origin, dir]);
  return dir;
}
const ihub = (root: string, ...args: string[]) => run(process.execPath, [IHUB, ...args], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const rel of (await readdir(dir, { recursive: true })).sort()) if (rel.endsWith(".tgz")) out.set(rel, await readFile(path.join(dir, rel)));
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "ihub-pipeline-"));
  origin = path.join(work, "origin");
  // The sources a contributor's clone holds that the pipeline reads: integrations, the schemas their manifests name, what git ignores.
  for (const rel of ["integrations", "schemas", ".gitignore"]) await cp(path.join(REPO, rel), path.join(origin, rel), { recursive: true });
  await git.init({ fs, dir: origin, defaultBranch: "main" });
  await commitAll(origin, "the example integrations");
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("npm run pipeline on a fresh clone", () => {
  it("runs every stage, is a no-op the second time, and a second clone bundles the same bytes", async () => {
    const a = await clone("a", "022");
    const first = JSON.parse((await ihub(a, "pipeline", "--json")).stdout);
    expect(first.ok).toBe(true);
    expect(first.release).toEqual({ branch: "main", releaseBranch: "main", released: true });
    expect(first.stages.map((s: { stage: string }) => s.stage)).toEqual(expect.arrayContaining(["validate", "version", "tag", "bundle", "publish", "catalog"]));
    // Every stage's document is exactly what its schema describes (nothing stripped, nothing missing).
    for (const { stage, output } of first.stages as { stage: StageName; output: object }[]) expect(jsonDocumentSchema(stage).parse(output), stage).toEqual(output);
    // And so is what the gates' verbs print themselves, which `ihub pr-comment` parses with the same schemas.
    for (const gate of ["validate", "test", "version"] as const) {
      const printed = JSON.parse((await ihub(a, gate, "--json")).stdout);
      expect(jsonDocumentSchema(gate).parse(printed), gate).toEqual(printed);
    }
    const tagStage = first.stages.find((s: { stage: string }) => s.stage === "tag");
    expect(tagStage.output.tags.every((t: { type: string }) => t.type === "create")).toBe(true);
    const tags = await listReleaseTags(a);
    const integrations = (await readdir(path.join(a, "integrations"))).filter((n) => !n.startsWith("_") && !n.startsWith("."));
    expect(tags.map((t) => t.slug).sort()).toEqual(integrations.sort());
    const records = path.join(a, ".ihub", "registry");
    const index = await readFile(path.join(records, integrations[0]!, "index.json"), "utf8");

    // Same sources, same digests: every stage is a no-op success.
    const second = await ihub(a, "pipeline", "--json");
    expect(JSON.parse(second.stdout).ok).toBe(true);
    expect(await listReleaseTags(a)).toEqual(tags);
    expect(await readFile(path.join(records, integrations[0]!, "index.json"), "utf8")).toBe(index);

    const b = await clone("b", "077");
    await ihub(b, "bundle", "--json");
    const [bundlesA, bundlesB] = await Promise.all([files(path.join(a, ".ihub", "bundles")), files(path.join(b, ".ihub", "bundles"))]);
    expect([...bundlesB.keys()]).toEqual([...bundlesA.keys()]);
    expect(bundlesA.size).toBe(integrations.length);
    for (const [rel, bytes] of bundlesA) expect(Buffer.compare(bytes, bundlesB.get(rel)!), rel).toBe(0);

    // On main, a change to released content without a bump stops the pipeline at the version gate.
    const slug = integrations[0]!;
    await appendFile(path.join(a, "integrations", slug, "README.md"), "\nOne more line.\n");
    await git.add({ fs, dir: a, filepath: `integrations/${slug}/README.md` });
    await git.commit({ fs, dir: a, message: "docs", author: { name: "Dev", email: "dev@example.com" } });
    const gated = await ihub(a, "pipeline", "--json").then(() => null, (e: { code: number; stdout: string }) => ({ code: e.code, out: JSON.parse(e.stdout) }));
    expect(gated?.code).toBe(1);
    expect(gated!.out.stages.at(-1)).toMatchObject({ stage: "version", exitCode: 1 });
    const verdict = gated!.out.stages.at(-1).output.integrations.find((p: { slug: string }) => p.slug === slug);
    expect(verdict).toMatchObject({ status: "changed", required: "patch", comparedWith: `${slug}@${tags.find((t) => t.slug === slug)!.version}` });
  }, 300_000);

  it("off the release branch runs the gates only, says why it stopped, and tags and publishes nothing", async () => {
    const c = await clone("feature", "022");
    await run("git", ["-C", c, "checkout", "--quiet", "-b", "feature/faster-polling"]);
    const gates = JSON.parse((await ihub(c, "pipeline", "--json")).stdout);
    expect(gates).toMatchObject({
      ok: true,
      release: { branch: "feature/faster-polling", releaseBranch: "main", released: false, reason: expect.stringMatching(/^on branch feature\/faster-polling, not main: tag, bundle, publish and catalog run only on the release branch/) },
    });
    expect(gates.stages.map((s: { stage: string }) => s.stage)).toEqual(["validate", "test", "version"]);
    // Off main the version gate compares with the base branch, as on a pull request, not with the release tags.
    expect(gates.stages[2].output.against).toEqual({ kind: "merge-base", ref: "origin/main" });
    expect(await listReleaseTags(c)).toEqual([]);
    expect(fs.existsSync(path.join(c, ".ihub", "registry"))).toBe(false);
    expect(fs.existsSync(path.join(c, "site", "dist"))).toBe(false);

    // The release branch is configurable: on main, a pipeline told to release from `release` stops at the gates too.
    await run("git", ["-C", c, "checkout", "--quiet", "main"]);
    const human = await ihub(c, "pipeline", "--release-branch", "release");
    expect(human.stderr).toMatch(/gates ok[\s\S]*stopped after the gates: on branch main, not release/);
    expect(await listReleaseTags(c)).toEqual([]);
  }, 300_000);
});
