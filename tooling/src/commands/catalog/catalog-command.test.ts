import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.js";
import { writeSampleIntegration } from "../../../test-support/sample-integration.js";

let root: string;
let stdout: string;
let stderr: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-catalog-cmd-"));
  await mkdir(path.join(root, "integrations"));
  await writeSampleIntegration(root, { slug: "alpha" });
  stdout = "";
  stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe("ihub catalog (argument checks, before any build)", () => {
  it("refuses to replace a non-empty folder that holds no earlier catalog, leaving it untouched", async () => {
    const out = path.join(root, "precious");
    await mkdir(out);
    await writeFile(path.join(out, "thesis.txt"), "years of work");
    const code = await main(["catalog", "--root", root, "--out", out, "--json"]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: "IH_USAGE", message: expect.stringContaining("not empty") } });
    expect(await readdir(out)).toEqual(["thesis.txt"]);
  });

  it("rejects a malformed --site-url or --base with a usage error and a hint", async () => {
    expect(await main(["catalog", "--root", root, "--site-url", "not a url"])).toBe(2);
    expect(stderr).toMatch(/--site-url not a url is not a URL[\s\S]*hint/);
    stderr = "";
    expect(await main(["catalog", "--root", root, "--base", "javascript:x"])).toBe(2);
    expect(stderr).toMatch(/--base javascript:x is not a path/);
  });

  it("documents its options in --help", async () => {
    expect(await main(["catalog", "--help"])).toBe(0);
    for (const option of ["--out <dir>", "--registry <dir>", "--site-url <url>", "--base <path>", "--json"]) expect(stdout + stderr).toContain(option);
  });
});

describe("ihub catalog (a real build)", () => {
  it("builds the site and catalog.json without any registry, under a base path, reporting progress on stderr and the result as JSON", async () => {
    const out = path.join(root, "site-out");
    const code = await main(["catalog", "--root", root, "--out", out, "--registry", path.join(root, "no-registry-here"), "--base", "/hub/", "--site-url", "https://catalog.example.com/", "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, listed: ["alpha"], unlisted: [], privateSkipped: [], findings: [], pages: 3 }); // index, the integration, its one version
    expect(stderr).toMatch(/building the site with Astro/);
    expect(await readdir(out)).toEqual(expect.arrayContaining(["index.html", "catalog.json", "catalog", "icons", "integrations", "sitemap.xml"]));
    expect(JSON.parse(await readFile(path.join(out, "catalog.json"), "utf8")).integrations.map((i: { slug: string }) => i.slug)).toEqual(["alpha"]);
    // every link and asset lives under the base, and the sitemap is absolute
    const index = await readFile(path.join(out, "index.html"), "utf8");
    const urls = [...index.matchAll(/\s(?:href|src)="(\/[^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual(expect.arrayContaining(["/hub/", "/hub/catalog.json", "/hub/integrations/alpha/"]));
    expect(urls.filter((u) => !u!.startsWith("/hub/"))).toEqual([]);
    expect(await readFile(path.join(out, "sitemap.xml"), "utf8")).toContain("<loc>https://catalog.example.com/hub/integrations/alpha/</loc>");
  });
});
