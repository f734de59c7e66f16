/**
 * The catalog site and JSON, built once from the example integrations plus samples, checked on
 * the built files and in headless Chromium served over 127.0.0.1.
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { chromium, type Browser, type Page } from "playwright-core";
import sirv from "sirv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRetention } from "@ihub/runtime/manifest";
import { catalogListingSchema, integrationEntrySchema } from "../../tooling/src/catalog/catalog-schema.js";
import { findLowContrast } from "./contrast.js";
import { buildFixtureSite, listFiles, repoRoot, SECRET_DEFAULT, type FixtureSite } from "./fixture-site.js";

const ARTIFACTS = path.join(repoRoot, "test-artifacts", "catalog");
const PAGE_BUDGET = 100 * 1024;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let site: FixtureSite;
let files: string[];
let server: Server;
let origin: string;
let browser: Browser;

const read = (rel: string) => readFile(path.join(site.out, rel), "utf8");
const exists = (rel: string) => stat(path.join(site.out, rel)).then(() => true, () => false);
const htmlFiles = () => files.filter((f) => f.endsWith(".html"));

beforeAll(async () => {
  site = await buildFixtureSite();
  files = await listFiles(site.out);
  const serve = sirv(site.out, { dev: false, etag: false });
  server = createServer((req, res) =>
    serve(req, res, () => {
      res.statusCode = 404;
      res.end("not found");
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("built files", () => {
  it("lists public integrations, gives unlisted ones a page only, and leaves private ones out entirely", async () => {
    const listing = catalogListingSchema.parse(JSON.parse(await read("catalog.json")));
    const listed = listing.integrations.map((i) => i.slug);
    expect(listed).toEqual(expect.arrayContaining(["zz-weather-station", "ticket-desk", "aa-legacy-pager"]));
    expect(listed).not.toContain("hidden-gauge");
    expect(listed).not.toContain("secret-ledger");
    // deprecated and fully yanked entries are marked and come after every installable one
    const retired = listing.integrations.map((i) => Boolean(i.deprecated) || i.yanked);
    expect(retired.slice(retired.indexOf(true))).not.toContain(false);
    expect(listing.integrations.filter((i) => i.yanked).map((i) => i.slug)).toEqual(["yanked-probe"]);
    expect(listing.integrations.filter((i) => i.deprecated).map((i) => i.slug)).toEqual(["aa-legacy-pager"]);

    // unlisted: reachable by URL and detail JSON, absent from index, search data and sitemap
    expect(await exists("integrations/hidden-gauge/index.html")).toBe(true);
    expect(await exists("catalog/hidden-gauge.json")).toBe(true);
    expect(await read("integrations/hidden-gauge/index.html")).toContain('name="robots" content="noindex"');
    expect(await read("index.html")).not.toContain("hidden-gauge");
    expect(await read("sitemap.xml")).not.toContain("hidden-gauge");
    expect(await read("sitemap.xml")).toContain("/integrations/ticket-desk/");

    // private: no page, no JSON, not a word anywhere in the output
    for (const file of files) {
      if (/\.(html|json|xml|js|css|svg)$/.test(file)) expect(await read(file), file).not.toMatch(/secret-ledger|Secret Ledger/);
    }
    expect(site.result.privateSkipped).toEqual([...site.privateExamples, "secret-ledger"].sort());
  });

  it("says on each integration page, in one line, what its retention tier keeps", async () => {
    for (const slug of ["ticket-desk", "zz-weather-station"]) {
      const entry = integrationEntrySchema.parse(JSON.parse(await read(`catalog/${slug}.json`)));
      expect(entry.retention).toBe(describeRetention(entry.retentionTier));
      expect(await read(`integrations/${slug}/index.html`)).toContain(`<dt>Data kept</dt><dd>${entry.retention} <span class="muted small">(${entry.retentionTier} tier)</span></dd>`);
    }
  });

  it("emits catalog JSON that matches schemas/catalog.schema.json", async () => {
    const schema = JSON.parse(await readFile(path.join(repoRoot, "schemas", "catalog.schema.json"), "utf8"));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const docs = files.filter((f) => f === "catalog.json" || f.startsWith("catalog/"));
    expect(docs.length).toBeGreaterThan(3);
    for (const doc of docs) {
      const value = JSON.parse(await read(doc));
      expect(validate(value), `${doc}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    const weather = integrationEntrySchema.parse(JSON.parse(await read("catalog/zz-weather-station.json")));
    expect(weather.latestVersion).toBe("2.0.0");
    expect(weather.install).toBe("zz-weather-station@^2");
    expect(weather.versions.map((v) => [v.version, v.breaking, Boolean(v.yanked), v.source])).toEqual([
      ["2.1.0", false, true, "registry"],
      ["2.0.0", true, false, "registry"],
      ["1.0.0", false, false, "registry"],
    ]);
    expect(weather.resources[0]!.operations).toEqual([
      { method: "GET", path: "/devices/{id}", operationId: "getDevice", summary: "Get one device" },
      { method: "GET", path: "/devices", operationId: "listDevices", summary: "List devices" },
    ]);
    expect(JSON.stringify(weather.auth)).not.toMatch(/"default"/);
    expect(weather.auth.fields.find((f) => f.name === "apiKey")).toMatchObject({ secret: true, required: true });
  });

  it("never lets the default of a secret credential field reach a page or the JSON", async () => {
    expect(await read("catalog/zz-weather-station.json")).toContain('"apiKey"');
    for (const file of files) if (!file.startsWith("icons/")) expect(await read(file), file).not.toContain(SECRET_DEFAULT);
  });

  it("keeps every page under 100 KB, with its scripts and styles, and serves icons under content-hashed names", async () => {
    for (const file of htmlFiles()) {
      const html = await readFile(path.join(site.out, file));
      expect(html.length, file).toBeLessThan(PAGE_BUDGET);
      // What a browser fetches for the page besides icons, compressed as any static host serves it.
      const assets = [...html.toString("utf8").matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
      let transferred = gzipSync(html).length;
      for (const asset of assets) transferred += gzipSync(await readFile(path.join(site.out, asset))).length;
      expect(transferred, file).toBeLessThan(PAGE_BUDGET);
    }
    const icons = files.filter((f) => f.startsWith("icons/"));
    expect(icons.length).toBeGreaterThanOrEqual(4);
    for (const icon of icons) expect(icon).toMatch(/^icons\/[a-z0-9-]+\.[0-9a-f]{10}\.(svg|png)$/);
  });

  it("gives every page its landmarks, one h1, a language and alt text on every image", async () => {
    for (const file of htmlFiles()) {
      const html = await read(file);
      expect(html, file).toMatch(/<html lang="en"/);
      for (const tag of ["header", "main", "footer", "h1"]) expect(html.match(new RegExp(`<${tag}[\\s>]`, "g")) ?? [], `${file} <${tag}>`).toHaveLength(1);
      expect(html, file).toMatch(/<nav[^>]+aria-label="Site"/);
      for (const [img] of html.matchAll(/<img\b[^>]*>/g)) expect(img, file).toMatch(/\salt="[^"]+"/);
      // the header names the site; the page's own heading and title say what the page is
      const brand = /<a class="brand"[^>]*>([^<]+)<\/a>/.exec(html)![1];
      const title = /<title>([^<]+)<\/title>/.exec(html)![1];
      const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)![1]!.replace(/<[^>]+>/g, "").trim();
      expect(h1, file).not.toBe(brand);
      expect(title, file).not.toBe(brand);
    }
  });

  it("renders README Markdown with raw HTML escaped and repository-relative links as text", async () => {
    const page = await read("integrations/zz-weather-station/index.html");
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&lt;script&gt;alert");
    expect(page).toContain('href="https://example.com/docs"');
    expect(page).not.toContain('href="docs/setup.md"');
  });

  it("resolves every link and asset of every page to a built file or an anchor on it", async () => {
    const broken: string[] = [];
    for (const file of htmlFiles()) {
      const html = await read(file);
      const pageUrl = new URL(file.replace(/index\.html$/, ""), "http://site.test/");
      const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
      for (const [, attr, value] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
        const url = new URL(value!.replace(/&amp;/g, "&"), pageUrl);
        if (url.origin !== "http://site.test") continue;
        if (url.pathname === pageUrl.pathname && url.hash) {
          if (!ids.has(decodeURIComponent(url.hash.slice(1)))) broken.push(`${file}: ${attr}=${value}`);
          continue;
        }
        const target = decodeURIComponent(url.pathname).slice(1);
        const ok = target.endsWith("/") || target === "" ? files.includes(`${target}index.html`) : files.includes(target);
        if (!ok) broken.push(`${file}: ${attr}=${value}`);
      }
    }
    // the sitemap and the JSON's site-relative URLs point at built files too
    for (const [, loc] of (await read("sitemap.xml")).matchAll(/<loc>([^<]+)<\/loc>/g)) if (!files.includes(`${loc!.slice(1)}index.html`)) broken.push(`sitemap.xml: ${loc}`);
    for (const row of catalogListingSchema.parse(JSON.parse(await read("catalog.json"))).integrations) {
      for (const rel of [row.icon, `${row.url}index.html`, row.detail]) if (!files.includes(rel)) broken.push(`catalog.json ${row.slug}: ${rel}`);
    }
    expect(broken).toEqual([]);
  });

  it("includes every valid example integration of the repository", async () => {
    const shown = new Set([...site.result.listed, ...site.result.unlisted, ...site.result.privateSkipped]);
    const invalid = new Set(site.result.findings.map((f) => f.integration));
    for (const slug of site.exampleSlugs) if (!invalid.has(slug)) expect(shown.has(slug), slug).toBe(true);
    for (const slug of site.result.unlisted.filter((s) => site.exampleSlugs.includes(s))) expect(await read("catalog.json")).not.toContain(`"${slug}"`);
  });
});

describe("in the browser", () => {
  const open = async (url: string, opts: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark"; js?: boolean } = {}) => {
    const context = await browser.newContext({ viewport: opts.viewport ?? DESKTOP, colorScheme: opts.colorScheme ?? "light", javaScriptEnabled: opts.js ?? true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(origin + url);
    return { page, errors, close: () => context.close() };
  };
  /**
   * Scrolls through the page so lazily loaded icons load, as they would for a reader, and returns
   * the images that failed to decode; a full-page screenshot then shows every icon.
   */
  const loadAllImages = async (page: Page) => {
    type Img = { complete: boolean; naturalWidth: number; src: string; scrollIntoView(): void };
    await page.$$eval("img", (imgs) => imgs.forEach((i) => (i as unknown as Img).scrollIntoView()));
    await expect.poll(() => page.$$eval("img", (imgs) => imgs.every((i) => (i as unknown as Img).complete))).toBe(true);
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    return page.$$eval("img", (imgs) => imgs.filter((i) => (i as unknown as Img).naturalWidth === 0).map((i) => (i as unknown as Img).src));
  };
  // Visible as the browser renders it, not by attribute: a card marked hidden that CSS still shows counts as shown.
  const visibleSlugs = async (page: Page) => (await page.locator("[data-card] h2 a:visible").evaluateAll((links) => links.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute("href")!))).map((href) => href.split("/").at(-2)!);

  it("searches and filters with the state in the URL, and restores it from a shared link", async () => {
    const { page, errors, close } = await open("/");
    try {
      const all = await visibleSlugs(page);
      // deprecated and fully yanked sort last, each marked on its card
      expect(all.slice(-2)).toEqual(["aa-legacy-pager", "yanked-probe"]);
      expect(await page.locator("[data-card]").nth(-2).locator(".badge").allTextContents()).toContain("Deprecated");
      expect(await page.locator("[data-card]").nth(-1).locator(".badge").allTextContents()).toContain("Yanked");
      await page.getByRole("searchbox", { name: "Search" }).fill("poll devices weather");
      await expect.poll(() => visibleSlugs(page)).toEqual(["zz-weather-station"]);
      expect(new URL(page.url()).searchParams.get("q")).toBe("poll devices weather");
      await page.getByRole("searchbox", { name: "Search" }).fill("");
      await page.getByLabel("Trust tier").selectOption("community");
      await expect.poll(() => visibleSlugs(page)).toEqual(["ticket-desk", "yanked-probe"]);
      await page.getByLabel("Auth").selectOption("bearer_token");
      await expect.poll(() => visibleSlugs(page)).toEqual([]);
      expect(await page.locator("#empty").isVisible()).toBe(true);
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ tier: "community", auth: "bearer_token" });
      await page.screenshot({ path: path.join(ARTIFACTS, "index-filtered-empty.png") });
      await page.getByRole("button", { name: "Clear search and filters" }).click();
      await expect.poll(() => visibleSlugs(page)).toEqual(all);
      expect(new URL(page.url()).search).toBe("");
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
    const linked = await open("/?category=weather&type=timer");
    try {
      await expect.poll(() => visibleSlugs(linked.page)).toEqual(["zz-weather-station"]);
      expect(await linked.page.getByLabel("Category").inputValue()).toBe("weather");
      expect(await linked.page.getByLabel("Handler type").inputValue()).toBe("timer");
      expect(await linked.page.locator("#count").textContent()).toMatch(/^Showing 1 of \d+ integrations\.$/);
    } finally {
      await linked.close();
    }
  });

  it("opens an integration page with its config table, install snippet, banners and versions", async () => {
    const { page, errors, close } = await open("/");
    try {
      await page.getByRole("link", { name: "Weather Station", exact: true }).click();
      await page.waitForURL(/\/integrations\/zz-weather-station\/$/);
      expect(await page.locator("h1").textContent()).toBe("Weather Station");
      const rows = await page.$$eval("#config-table tbody tr", (trs) => trs.map((tr) => [...(tr as unknown as { children: { textContent: string }[] }).children].map((c) => c.textContent!.trim())));
      expect(rows).toEqual([
        ["region", "string", "—", "Required", 'Data region of the account. One of: "eu", "us"'],
        ["pollMinutes", "integer", "5", "Optional", "How often to poll, in minutes."],
        ["labelsDevice labels", "array of string", "—", "Optional", "Only devices with these labels.As set in the Devices app."],
      ]);
      expect(await page.locator("#config-table td code").allTextContents()).toEqual(['"eu"', '"us"', "5", "minutes", "Devices"]);
      expect(await page.locator("#config-table tbody tr").nth(2).locator("th div").textContent()).toBe("Device labels");
      expect(await page.locator("[data-install]").textContent()).toBe("zz-weather-station@^2");
      await expect.poll(() => page.getByRole("button", { name: /Copy install spec/ }).isVisible()).toBe(true);
      expect(await page.getByRole("note").allTextContents()).toEqual([expect.stringContaining("Breaking change: 2.0.0 is a major update over 1.0.0")]);
      expect(await page.locator("#versions").textContent()).toContain("Yanked");
      expect(await page.locator("#permissions").textContent()).toContain('Read from "api" (an HTTP API) with GET requests, at most 20 calls per run.');
      const example = page.locator("#handler-get_status").locator("..").locator("details");
      await example.locator("summary").click();
      expect(await example.textContent()).toMatch(/Input\s*\{\s*"deviceId": "dev-7"\s*\}\s*Output\s*\{\s*"online": true,\s*"battery": 81\s*\}/);
      await page.screenshot({ path: path.join(ARTIFACTS, "integration-desktop.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
    const deprecated = await open("/integrations/aa-legacy-pager/");
    try {
      expect(await deprecated.page.getByRole("note").first().textContent()).toContain("The pager API shuts down in 2027.");
      await deprecated.page.getByRole("link", { name: "Ticket Desk" }).click();
      await deprecated.page.waitForURL(/\/integrations\/ticket-desk\/$/);
      // integrations it needs, linked when the catalog has them, and the modules it bundles
      const needs = deprecated.page.locator("#needs");
      expect(await needs.locator("ul.deps li").allTextContents()).toEqual(["Weather Station ^2.0.0", "not-in-catalog ^1.0.0"]);
      expect(await needs.getByRole("link", { name: "Weather Station" }).getAttribute("href")).toBe("/integrations/zz-weather-station/");
      expect(await deprecated.page.locator("#handlers").textContent()).toContain("Shared Lua modules bundled with it: http-errors ^1.0.0.");
    } finally {
      await deprecated.close();
    }
  });

  it("gives every version its own page and tells when nothing can be installed", async () => {
    const old = await open("/integrations/zz-weather-station/1.0.0/");
    try {
      expect(await old.page.locator("h1").textContent()).toBe("Weather Station 1.0.0");
      expect(await old.page.locator("[data-install]").textContent()).toBe("zz-weather-station@1.0.0");
      // its own bundle's contents: no alert handler yet, and region still optional
      expect(await old.page.getByRole("note").textContent()).toContain("The details below are this version's own.");
      expect(await old.page.locator("#handlers h3").allTextContents()).toEqual(["Get device status get_status", "Poll devices poll"]);
      expect(await old.page.locator("#config-table tbody tr").first().textContent()).toMatch(/^\s*region\s+string.*Optional/);
      await old.page.getByRole("note").getByRole("link", { name: "2.0.0" }).click();
      await old.page.waitForURL(/\/integrations\/zz-weather-station\/$/);
    } finally {
      await old.close();
    }
    const notesOnly = await open("/integrations/ticket-desk/0.9.0/");
    try {
      expect(await notesOnly.page.locator("[data-install]").textContent()).toBe("ticket-desk@0.9.0");
      expect(await notesOnly.page.locator("#handlers, #needs").count()).toBe(0);
      expect(await notesOnly.page.locator("#versions li.current").textContent()).toContain("Beta.");
      await notesOnly.page.getByRole("note").getByRole("link", { name: "the Ticket Desk page" }).click();
      await notesOnly.page.waitForURL(/\/integrations\/ticket-desk\/$/);
      expect(await notesOnly.page.locator("#handlers h3").count()).toBe(3);
    } finally {
      await notesOnly.close();
    }
    const yankedVersion = await open("/integrations/zz-weather-station/2.1.0/");
    try {
      expect(await yankedVersion.page.getByRole("note").first().textContent()).toContain("Version 2.1.0 was yanked on 2026-09-02: Sent duplicate readings.");
    } finally {
      await yankedVersion.close();
    }
    const probe = await open("/integrations/yanked-probe/");
    try {
      expect(await probe.page.locator("[data-install]").count()).toBe(0);
      expect(await probe.page.locator("#install").textContent()).toContain("Every version of Yanked Probe was yanked");
      expect(await probe.page.getByRole("note").first().textContent()).toContain("Leaked readings across installs.");
    } finally {
      await probe.close();
    }
  });

  it("links the docs of installing and contributing from the header, and words each install range for what it takes", async () => {
    const { page, errors, close } = await open("/integrations/beta-vault/");
    try {
      expect(await page.locator("[data-install]").textContent()).toBe("beta-vault@^0.4");
      expect(await page.locator("#install").textContent()).toContain("Takes 0.4.x patch releases only: before 1.0 a new minor may break, so 0.5.0 is not taken");
      await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Installing" }).click();
      await page.waitForURL(/\/docs\/installing\/$/);
      expect(await page.locator("h1").textContent()).toBe("Installing an integration");
      expect(await page.locator("main table").textContent()).toContain("0.4.x patch releases");
      await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Contributing" }).click();
      await page.waitForURL(/\/docs\/contributing\/$/);
      expect(await page.locator("h1").textContent()).toBe("Contributing an integration");
      expect(await page.locator("main").textContent()).toContain("npx ihub new acme-tickets");
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
    const major = await open("/integrations/zz-weather-station/");
    const pinned = await open("/integrations/zz-weather-station/1.0.0/");
    try {
      expect(await major.page.locator("#install").textContent()).toContain("Takes every 2.x minor and patch release, never 3.0.0");
      expect(await pinned.page.locator("#install").textContent()).toContain("Pinned to this exact version");
    } finally {
      await major.close();
      await pinned.close();
    }
  });

  it("copies the install snippet from the keyboard", async () => {
    const { page, close } = await open("/integrations/zz-weather-station/");
    try {
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin });
      const copy = page.getByRole("button", { name: "Copy install spec zz-weather-station@^2" });
      await expect.poll(() => copy.isVisible()).toBe(true);
      await copy.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => copy.textContent()).toBe("Copied");
      expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe("zz-weather-station@^2");
    } finally {
      await close();
    }
  });

  it("reads without JavaScript, is keyboard reachable and fits a phone in light and dark", async () => {
    const noJs = await open("/integrations/zz-weather-station/", { js: false });
    try {
      expect(await noJs.page.locator("#config-table tbody tr").count()).toBe(3);
      expect(await noJs.page.locator("main").count()).toBe(1);
    } finally {
      await noJs.close();
    }
    const noJsIndex = await open("/", { js: false });
    try {
      expect(await visibleSlugs(noJsIndex.page)).toHaveLength(site.result.listed.length);
      // search and filters need JS, so without it they are not offered at all
      expect(await noJsIndex.page.getByRole("search").isVisible()).toBe(false);
    } finally {
      await noJsIndex.close();
    }

    const desk = await open("/", { viewport: DESKTOP });
    try {
      expect(await loadAllImages(desk.page)).toEqual([]);
      await desk.page.screenshot({ path: path.join(ARTIFACTS, "index-desktop.png"), fullPage: true });
      const focused = () => desk.page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; textContent: string; getAttribute(n: string): string | null } } }).document.activeElement;
        return { tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(), name: el.getAttribute("name") };
      });
      await desk.page.keyboard.press("Tab");
      expect((await focused()).text).toBe("Skip to content");
      await desk.page.keyboard.press("Enter");
      expect((await focused()).id).toBe("main");
      await desk.page.keyboard.press("Tab");
      expect(await focused()).toMatchObject({ tag: "input", name: "q" });
      // the four filters and the sort, then the first card's link, whose whole card shows the focus ring
      for (let i = 0; i < 5 + 1; i++) await desk.page.keyboard.press("Tab");
      expect((await focused()).tag).toBe("a");
      expect(await desk.page.locator("[data-card]").first().evaluate((card) => (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle(card).outlineStyle)).toBe("solid");
    } finally {
      await desk.close();
    }

    const darkDesk = await open("/integrations/zz-weather-station/", { viewport: DESKTOP, colorScheme: "dark" });
    try {
      await darkDesk.page.screenshot({ path: path.join(ARTIFACTS, "integration-desktop-dark.png"), fullPage: true });
      expect(await darkDesk.page.evaluate(findLowContrast), "desktop dark").toEqual([]);
    } finally {
      await darkDesk.close();
    }

    for (const scheme of ["light", "dark"] as const) {
      for (const url of ["/", "/integrations/zz-weather-station/"]) {
        const phone = await open(url, { viewport: PHONE, colorScheme: scheme });
        try {
          const overflow = await phone.page.evaluate(() => {
            const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
            return d.scrollWidth - d.clientWidth;
          });
          const name = `${url === "/" ? "index" : "integration"}-phone-${scheme}.png`;
          expect(await loadAllImages(phone.page)).toEqual([]);
          await phone.page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: url === "/" });
          expect(await phone.page.evaluate(findLowContrast), `${url} ${scheme}`).toEqual([]);
          if (url !== "/") await phone.page.locator("#needs").screenshot({ path: path.join(ARTIFACTS, `integration-needs-phone-${scheme}.png`) });
          expect(overflow, `${url} ${scheme}`).toBeLessThanOrEqual(0);
        } finally {
          await phone.close();
        }
      }
    }
  });
});
