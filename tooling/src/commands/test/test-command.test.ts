/** The real `ihub test` process on a copy of the repository's examples: exit codes, grouping, --json, progress. */
import fs from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT as REPO, runIhub } from "../../../test-support/ihub-process.js";

const ihub = (args: string[]) => runIhub(args, { env: { GITHUB_ACTIONS: "" } });


let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-test-cmd-"));
  for (const dir of ["_modules", "github-issues", "inventory-lookup"]) await cp(path.join(REPO, "integrations", dir), path.join(root, "integrations", dir), { recursive: true });
  // One wrong expectation in one case of one integration.
  await writeFile(
    path.join(root, "integrations", "inventory-lookup", "tests", "lookup-item-not-found.test.json"),
    JSON.stringify({ name: "expects the wrong code", handler: "lookup_item", input: { sku: "NOPE-1" }, config: { warehouseId: "BER-1" }, fixtures: { sql: [{ alias: "db", query: "SELECT 1", rows: [] }] }, expect: { error: { code: "gone" } } }, null, 2),
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("ihub test", () => {
  it("exits 0 when every case of the named integration passes", async () => {
    const run = await ihub(["test", "github-issues", "--root", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("github-issues\n  ✔ ");
    expect(run.stdout).toContain("✔ 9 cases in 1 integration passed");
    expect(run.stdout).not.toContain("\x1b[");
  });

  it("exits 1 and shows the failing case with its mismatches under its integration", async () => {
    const run = await ihub(["test", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/inventory-lookup\n[\s\S]*✖ expects the wrong code tests\/lookup-item-not-found\.test\.json/);
    expect(run.stdout).toContain("unmatched_request integrations/inventory-lookup/tests/lookup-item-not-found.test.json:");
    expect(run.stdout).toContain("closest fixture /fixtures/sql/0 differs in query");
    expect(run.stdout).toContain("✖ 1 failed, 14 passed (15 cases in 2 integrations)");
  });

  it("annotates each mismatch on its case file's line on GitHub Actions", async () => {
    const run = await runIhub(["test", "inventory-lookup", "--root", root], { env: { GITHUB_ACTIONS: "true" } });
    expect(run.code).toBe(1);
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=integrations\/inventory-lookup\/tests\/lookup-item-not-found\.test\.json,line=\d+,col=\d+,title=unmatched_request%3A expects the wrong code::no fixture matches SELECT/);
    expect(lines[1]).toContain("title=error_code%3A expects the wrong code::expected error code gone, got database_unavailable");
  });

  it("prints the documented --json document", async () => {
    const run = await ihub(["test", "--json", "--root", root]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual(["format", "ok", "counts", "integrations"]);
    expect(doc).toMatchObject({ format: "ihub.test/v1", ok: false, counts: { integrations: 2, cases: 15, pass: 14, fail: 1, broken: 0 } });
    const failed = doc.integrations[1].cases.find((c: { status: string }) => c.status === "fail");
    expect(failed).toMatchObject({ file: "tests/lookup-item-not-found.test.json", handler: "lookup_item" });
    expect(failed.mismatches.map((m: { kind: string }) => m.kind)).toEqual(["unmatched_request", "error_code"]);
  });

  it("--changed tests only what changed since the base", async () => {
    await git.init({ fs, dir: root, defaultBranch: "main" });
    for (const filepath of await readdir(root, { recursive: true })) {
      if (!filepath.startsWith(".git") && fs.statSync(path.join(root, filepath)).isFile()) await git.add({ fs, dir: root, filepath });
    }
    await git.commit({ fs, dir: root, message: "base", author: { name: "T", email: "t@example.com" } });
    const none = await ihub(["test", "--changed", "--base", "HEAD", "--json", "--root", root]);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: true, counts: { integrations: 0, cases: 0 } });
    const file = path.join(root, "integrations", "github-issues", "tests", "list-issues.test.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"name": "lists', '"name": "still lists'));
    const run = await ihub(["test", "--changed", "--base", "HEAD", "--json", "--root", root]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.integrations.map((i: { slug: string }) => i.slug)).toEqual(["github-issues"]);
    expect(doc.changed).toMatchObject({ base: "HEAD", reasons: { "github-issues": [{ kind: "uncommitted" }] } });
    expect((await ihub(["test", "--base", "HEAD", "--root", root])).code).toBe(2);
  });

  it("exits 2 on an unknown slug", async () => {
    const run = await ihub(["test", "no-such-thing", "--root", root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"no-such-thing" is neither an integration slug nor a path inside one');
    expect(run.stderr).toContain("run `ihub test` without targets");
  });
});
