import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../registry/serve-registry.js";
import { createSiteServer } from "./serve-site.js";

let dir: string;
const servers: http.Server[] = [];
const start = async (base?: string) => {
  const server = createSiteServer(dir, base);
  servers.push(server);
  return (await listen(server, 0, "127.0.0.1")).url;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-serve-site-"));
  await mkdir(path.join(dir, "integrations", "alpha"), { recursive: true });
  await writeFile(path.join(dir, "index.html"), "<!doctype html><title>All integrations</title>");
  await writeFile(path.join(dir, "404.html"), "<!doctype html><title>Not found</title>");
  await writeFile(path.join(dir, "integrations", "alpha", "index.html"), "<!doctype html><title>Alpha</title>");
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await rm(dir, { recursive: true, force: true });
});

describe("the catalog preview server", () => {
  it("serves folders by their index.html and answers unknown paths with the site's 404 page", async () => {
    const url = await start();
    const page = await fetch(new URL("integrations/alpha/", url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Alpha</title>");
    expect(await (await fetch(url)).text()).toContain("All integrations");
    const missing = await fetch(new URL("integrations/nope/", url));
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await missing.text()).toContain("Not found");
  });

  it("serves under the base the site was built for and leads the bare root there", async () => {
    const url = await start("/hub/");
    expect(await (await fetch(new URL("hub/integrations/alpha/", url))).text()).toContain("Alpha");
    const root = await fetch(url, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/hub/");
    expect((await fetch(new URL("integrations/alpha/", url))).status).toBe(404);
  });

  it("refuses writes and never leaves the site's folder", async () => {
    const url = await start();
    expect((await fetch(url, { method: "POST", body: "x" })).status).toBe(405);
    for (const hostile of ["%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd", "integrations/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "%E0%A4%A"]) {
      const res = await fetch(`${url}${hostile}`);
      expect(res.status, hostile).toBe(404);
      expect(await res.text()).not.toContain("root:");
    }
  });
});
