import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BIN } from "../../../test-support/ihub-process.js";
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
    for (const option of ["--out <dir>", "--registry <dir>", "--site-url <url>", "--base <path>", "--serve", "--port <n>", "--host <host>", "--json"]) expect(stdout + stderr).toContain(option);
  });

  it("refuses preview options without --serve, a bad port, and a port in use, before building anything", async () => {
    const out = path.join(root, "never-built");
    expect(await main(["catalog", "--root", root, "--out", out, "--port", "0"])).toBe(2);
    expect(stderr).toMatch(/--port and --host only apply with --serve/);
    for (const port of ["70000", "-1", "http", ""]) {
      stderr = "";
      expect(await main(["catalog", "--root", root, "--out", out, "--serve", "--port", port]), port).toBe(2);
      expect(stderr).toMatch(/is not a port number/);
    }
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = String((taken.address() as { port: number }).port);
      stdout = "";
      expect(await main(["catalog", "--root", root, "--out", out, "--serve", "--port", port, "--json"])).toBe(2);
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: "IH_PORT_IN_USE" } });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describe("ihub catalog (a real build)", () => {
  it("builds the site and catalog.json without any registry, under a base path, reporting progress on stderr and the result as JSON", async () => {
    const out = path.join(root, "site-out");
    const code = await main(["catalog", "--root", root, "--out", out, "--registry", path.join(root, "no-registry-here"), "--base", "/hub/", "--site-url", "https://catalog.example.com/", "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, listed: ["alpha"], unlisted: [], privateSkipped: [], findings: [], pages: 5 }); // index, the integration, its one version, the installing and contributing docs
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

describe("ihub catalog --serve (the real binary)", () => {
  it("builds, prints where the preview answers, serves the site under its base until SIGTERM, then exits 0", async () => {
    const out = path.join(root, "preview");
    const child = spawn(process.execPath, [BIN, "catalog", "--root", root, "--out", out, "--registry", path.join(root, "none"), "--base", "/hub/", "--serve", "--port", "0", "--json"], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 120_000, interval: 200 }).toMatch(/\}\s*$/);
      const document = JSON.parse(output) as { ok: boolean; url: string; listed: string[] };
      expect(document).toMatchObject({ ok: true, listed: ["alpha"], url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hub\/$/) });
      const index = await fetch(document.url);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain("All integrations");
      expect((await fetch(new URL("integrations/alpha/", document.url))).status).toBe(200);
      expect((await fetch(new URL("docs/installing/", document.url))).status).toBe(200);
      const missing = await fetch(new URL("integrations/not-here/", document.url));
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain("Not found");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      await expect(fetch(document.url)).rejects.toThrow();
    } finally {
      child.kill("SIGKILL");
    }
  });
});
