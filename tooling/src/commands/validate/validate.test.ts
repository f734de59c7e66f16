/** The real `ihub validate` process: exit codes, human and JSON output, targets, --changed. */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import git from "isomorphic-git";
import { afterAll, describe, expect, it } from "vitest";
import { commitAll } from "../../../test-support/temp-repo.js";
import { FINDING_CODES } from "../../validate/codes.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const BIN = path.join(REPO, "tooling", "bin", "ihub.js");
const FIXTURES = path.join(REPO, "tooling", "test-fixtures", "validate");

type Run = { code: number; stdout: string; stderr: string };
function ihub(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, NO_COLOR: "1", ...opts.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

describe("ihub validate", () => {
  it("exits 0 on a valid repository and prints a summary", async () => {
    const run = await ihub(["validate", "--root", path.join(FIXTURES, "good")]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain("1 integration valid");
  });

  it("exits 1 on errors, grouped by integration with location, pointer and hint, without colour under NO_COLOR", async () => {
    const run = await ihub(["validate", "--root", path.join(FIXTURES, "ih010-schema")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("ih010-schema\n");
    expect(run.stdout).toContain("IH010 integrations/ih010-schema/integration.json:8:16 /trustTier");
    expect(run.stdout).toContain(`hint ${FINDING_CODES.IH010.hint}`);
    expect(run.stdout).not.toContain("\x1b[");
  });

  it("prints the documented --json document", async () => {
    const run = await ihub(["validate", "--root", path.join(FIXTURES, "ih036-alias-not-literal"), "--json"]);
    expect(run.code).toBe(0); // a warning does not fail
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual(["format", "ok", "integrations", "counts", "findings"]);
    expect(doc).toMatchObject({ format: "ihub.validate/v1", ok: true, integrations: ["ih036-alias-not-literal"], counts: { integrations: 1, error: 0, warning: 1 } });
    expect(doc.findings[0]).toEqual({
      code: "IH036",
      severity: "warning",
      integration: "ih036-alias-not-literal",
      file: "integrations/ih036-alias-not-literal/handlers/main.lua",
      line: 5,
      column: 17,
      pointer: null,
      message: expect.stringContaining("not a string literal"),
      hint: FINDING_CODES.IH036.hint,
    });
  });

  it("shows a syntax error's source line with a caret under the message", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "ihub-validate-cli-"));
    temps.push(root);
    await cp(path.join(FIXTURES, "minimal"), root, { recursive: true });
    const manifest = path.join(root, "integrations", "minimal", "integration.json");
    await writeFile(manifest, fs.readFileSync(manifest, "utf8").replace('"version": "1.0.0",', '"version": "1.0.0"'));
    const run = await ihub(["validate", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      [
        "  error   IH003 integrations/minimal/integration.json:7:3",
        "          integration.json is not valid JSON at line 7, column 3: expected ',' between two entries",
        '          7 |   "publisher": "Example Corp",',
        "            |   ^",
        `          hint ${FINDING_CODES.IH003.hint}`,
      ].join("\n"),
    );
  });

  it("takes slugs and paths, and exits 2 on an unknown one", async () => {
    const root = path.join(FIXTURES, "good");
    const byPath = await ihub(["validate", "integrations/good-example/handlers/items.lua", "--json"], { cwd: root });
    expect(JSON.parse(byPath.stdout).integrations).toEqual(["good-example"]);
    const unknown = await ihub(["validate", "nope", "--root", root]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"nope" is neither an integration slug nor a path');
    expect(unknown.stderr).toContain("run `ihub validate` without targets");
    const outside = await ihub(["validate", "--root", root, "--json", "../elsewhere"]);
    expect(outside.code).toBe(2);
    expect(JSON.parse(outside.stdout)).toMatchObject({ ok: false, error: { code: "IH_USAGE" } });
  });

  it("--changed validates only what changed since the base, and exits 2 on an unknown base", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "ihub-validate-cli-"));
    temps.push(root);
    await cp(path.join(FIXTURES, "good", "integrations"), path.join(root, "integrations"), { recursive: true });
    await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), path.join(root, "integrations", "minimal"), { recursive: true });
    await git.init({ fs, dir: root, defaultBranch: "main" });
    for (const filepath of await readdir(root, { recursive: true })) {
      if (!filepath.startsWith(".git") && fs.statSync(path.join(root, filepath)).isFile()) await git.add({ fs, dir: root, filepath });
    }
    await git.commit({ fs, dir: root, message: "base", author: { name: "T", email: "t@example.com" } });
    const none = JSON.parse((await ihub(["validate", "--changed", "--base", "HEAD", "--json", "--root", root])).stdout);
    expect(none.integrations).toEqual([]);
    await writeFile(path.join(root, "integrations", "minimal", "CHANGELOG.md"), "# Changelog\n");
    const run = await ihub(["validate", "--changed", "--base", "HEAD", "--json", "--root", root]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.integrations).toEqual(["minimal"]);
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(["IH072"]);
    expect(doc.changed).toMatchObject({ base: "HEAD", reasons: { minimal: [{ kind: "uncommitted" }] }, removed: [] });
    expect((await ihub(["validate", "--changed", "--base", "nope", "--root", root])).code).toBe(2);
  });

  it("--jobs 2 gives the document one thread gives, and a bad --jobs is a usage error", async () => {
    const root = path.join(FIXTURES, "ih036-alias-not-literal");
    const one = await ihub(["validate", "--root", root, "--json"]);
    const two = await ihub(["validate", "--root", root, "--json", "--jobs", "2"]);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect((await ihub(["validate", "--root", root, "--jobs", "0"])).code).toBe(2);
  });

  it("has --help", async () => {
    const run = await ihub(["validate", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--changed");
    expect(run.stdout).toContain("--base <ref>");
  });
});

/** util-linux `script` runs a command on a pseudo-terminal, where colour is on unless NO_COLOR says otherwise. */
function onTerminal(args: string[], env: Record<string, string | undefined>): string {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: "xterm", ...env } });
  return r.stdout;
}

describe("colour", () => {
  it("is on a terminal, and off there too when NO_COLOR is set", () => {
    const args = ["validate", "--root", path.join(FIXTURES, "ih010-schema")];
    expect(onTerminal(args, {})).toContain("\x1b[31merror");
    expect(onTerminal(args, { NO_COLOR: "1" })).not.toContain("\x1b[");
    expect(onTerminal(args, { NO_COLOR: "" })).toContain("\x1b[31merror");
  });

  it("is forced off a terminal by FORCE_COLOR, unless NO_COLOR is set", async () => {
    const args = ["validate", "--root", path.join(FIXTURES, "ih010-schema")];
    expect((await ihub(args, { env: { NO_COLOR: "", FORCE_COLOR: "1" } })).stdout).toContain("\x1b[31merror");
    expect((await ihub(args, { env: { NO_COLOR: "", FORCE_COLOR: "0" } })).stdout).not.toContain("\x1b[");
    expect((await ihub(args, { env: { NO_COLOR: "1", FORCE_COLOR: "1" } })).stdout).not.toContain("\x1b[");
  });
});

describe("--changed on a feature branch", () => {
  it("validates what the branch committed since it forked from --base, not what the base did since", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "ihub-validate-branch-"));
    temps.push(root);
    for (const slug of ["one", "two", "three"]) {
      await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), path.join(root, "integrations", slug), { recursive: true });
      const manifest = path.join(root, "integrations", slug, "integration.json");
      await writeFile(manifest, (await fs.promises.readFile(manifest, "utf8")).replace('"slug": "minimal"', `"slug": "${slug}"`));
    }
    await git.init({ fs, dir: root, defaultBranch: "main" });
    await commitAll(root, "base");
    await git.branch({ fs, dir: root, ref: "feature" });
    await writeFile(path.join(root, "integrations", "one", "README.md"), "# One, changed on main\n");
    await commitAll(root, "main moves on");
    await git.checkout({ fs, dir: root, ref: "feature" });
    await writeFile(path.join(root, "integrations", "two", "CHANGELOG.md"), "# Changelog\n");
    await commitAll(root, "break two on the branch");
    const run = await ihub(["validate", "--changed", "--base", "main", "--json", "--root", root]);
    const doc = JSON.parse(run.stdout);
    expect(doc.integrations).toEqual(["two"]);
    expect(doc.changed).toMatchObject({ base: "main", reasons: { two: [{ kind: "committed" }] }, removed: [] });
    expect(doc.findings.map((f: { code: string; file: string }) => `${f.code} ${f.file}`)).toEqual(["IH072 integrations/two/CHANGELOG.md"]);
    expect(run.code).toBe(1);
  });
});

describe("the repository's own integrations", () => {
  it("pass ihub validate without a finding", async () => {
    const run = await ihub(["validate", "--json"]);
    const doc = JSON.parse(run.stdout);
    expect(doc.findings).toEqual([]);
    expect(doc.integrations.length).toBeGreaterThanOrEqual(6);
    expect(run.code).toBe(0);
  });
});
