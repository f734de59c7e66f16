/** `ihub new` scaffolds into a temp repository; the real validator and harness then check the result. */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateRepo } from "../../validate/validate-repo.js";
import { AUTH_TYPES, defaultName, scaffoldFiles } from "./scaffold.js";

const BIN = fileURLToPath(new URL("../../../bin/ihub.js", import.meta.url));

type Run = { code: number; stdout: string; stderr: string };
function ihub(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-new-"));
  await mkdir(path.join(root, "integrations"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("scaffoldFiles", () => {
  it("derives the display name from the slug", () => {
    expect(defaultName("acme-billing-v2")).toBe("Acme Billing V2");
    expect(JSON.parse(scaffoldFiles("acme-billing", { name: "ACME Billing" })["integration.json"]!)).toMatchObject({ slug: "acme-billing", name: "ACME Billing", version: "0.1.0" });
  });
});

describe("ihub new", () => {
  it("scaffolds, for every auth type, a complete folder that passes ihub validate with no finding", async () => {
    for (const auth of AUTH_TYPES) {
      const run = await ihub(["new", `svc-${auth.replace("_", "-")}`, "--auth", auth, "--publisher", "Acme Inc.", "--root", root, "--json"]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, slug: `svc-${auth.replace("_", "-")}` });
    }
    const files = (await readdir(path.join(root, "integrations", "svc-basic"), { recursive: true })).sort();
    expect(files).toEqual(["CHANGELOG.md", "README.md", "handlers", "handlers/items.lua", "icon.svg", "integration.json", "tests", "tests/get-item.test.json"]);
    const manifest = JSON.parse(await readFile(path.join(root, "integrations", "svc-basic", "integration.json"), "utf8"));
    expect(manifest).toMatchObject({ $schema: "../../schemas/integration.schema.json", auth: { type: "basic" }, publisher: "Acme Inc." });
    const result = await validateRepo(root, { workers: 0 });
    expect(result.integrations).toHaveLength(AUTH_TYPES.length);
    expect(result.findings).toEqual([]);
  });

  it("without --publisher writes a placeholder that validate reports until it is replaced", async () => {
    const own = await mkdtemp(path.join(tmpdir(), "ihub-new-"));
    try {
      await mkdir(path.join(own, "integrations"));
      const run = await ihub(["new", "unsigned", "--root", own]);
      expect(run.stdout).toContain('set "publisher" in integrations/unsigned/integration.json (validate reports the placeholder until then)');
      const result = await validateRepo(own, { workers: 0 });
      expect(result.findings.map((f) => [f.code, f.pointer, f.message])).toEqual([
        ["IH015", "/publisher", 'publisher "TODO: your name or organisation" is a placeholder (a marker left to fill in: "TODO")'],
      ]);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it("gives a case the harness runs green", async () => {
    await ihub(["new", "harnessed", "--root", root]);
    const run = await ihub(["test", "harnessed", "--root", root]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });

  it("refuses an existing folder and a bad slug with exit 2 and a hint, writing nothing", async () => {
    await ihub(["new", "taken", "--root", root]);
    const again = await ihub(["new", "taken", "--root", root, "--name", "Other"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("integrations/taken already exists");
    expect(JSON.parse(await readFile(path.join(root, "integrations", "taken", "integration.json"), "utf8")).name).toBe("Taken");
    for (const bad of ["Bad_Slug", "trailing-", "double--hyphen", "_modules", "x".repeat(65)]) {
      const run = await ihub(["new", bad, "--root", root, "--json"]);
      expect(run.code, bad).toBe(2);
      expect(JSON.parse(run.stdout), bad).toMatchObject({ ok: false, error: { code: "IH_USAGE", hint: expect.stringContaining("lowercase") } });
    }
    expect(await readdir(path.join(root, "integrations"))).not.toContain("Bad_Slug");
    expect((await ihub(["new", "ok-slug", "--auth", "saml", "--root", root])).code).toBe(2);
  });

  it("takes a one-character slug, which the manifest schema and the folder-name rule accept", async () => {
    const run = await ihub(["new", "x", "--root", root, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const { findings } = await validateRepo(root, { only: ["x"], workers: 0 });
    expect(findings.filter((f) => ["IH010", "IH011", "IH012"].includes(f.code))).toEqual([]);
  });
});
