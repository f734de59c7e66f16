/**
 * The listing at more than one page: a real Astro build of 101 varied integrations, served on
 * 127.0.0.1 and driven in headless Chromium. Without JavaScript the prebuilt pages list every
 * integration; with it, search, filters and sorting run over the search data, loaded on first use,
 * with the state in the URL. What each search must find is derived from the generated options.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import sirv from "sirv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog } from "../../tooling/src/catalog/build-catalog.js";
import { decodeSearchData } from "../../tooling/src/catalog/search-data.js";
import { populationMember, type PopulationMember } from "../../tooling/test-support/catalog-population.js";
import { writeSampleIntegration } from "../../tooling/test-support/sample-integration.js";
import { PAGE_SIZE } from "../src/lib/listing-state.js";
import { findLowContrast } from "./contrast.js";

const COUNT = 101;
const members = Array.from({ length: COUNT }, (_, i) => populationMember(i));
let base: string;
let out: string;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "ihub-listing-test-"));
  const root = path.join(base, "repo");
  await mkdir(path.join(root, "integrations"), { recursive: true });
  for (const m of members) await writeSampleIntegration(root, m);
  await writeSampleIntegration(root, { slug: "quiet-unlisted", name: "Quiet Unlisted", visibility: "unlisted" });
  out = path.join(base, "out");
  const result = await buildCatalog({ root, registryDir: path.join(base, "no-registry"), outDir: out, now: new Date("2026-11-22T12:00:00Z") });
  expect(result.findings).toEqual([]);
  const serve = sirv(out, { dev: false, etag: false });
  server = createServer((req, res) => serve(req, res, () => void res.writeHead(404).end("not found")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(base, { recursive: true, force: true });
});

/** Listing order: installable integrations by name (none of these is deprecated or yanked). */
const byName = (a: PopulationMember, b: PopulationMember) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.slug.localeCompare(b.slug);
const slugs = (list: PopulationMember[]) => list.map((m) => m.slug);

async function open(url: string, js = true, look: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark" } = {}) {
  const context = await browser.newContext({ viewport: look.viewport ?? { width: 1280, height: 900 }, colorScheme: look.colorScheme ?? "light", javaScriptEnabled: js });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(origin + url);
  return { page, errors, requests, close: () => context.close() };
}
const shownSlugs = (page: Page) => page.locator("[data-card] h2 a:visible").evaluateAll((links) => links.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute("href")!.split("/").at(-2)!));
/** The list as drawn for the URL's current state (the page marks it once drawn). */
async function settled(page: Page) {
  await expect.poll(() => page.evaluate(() => {
    const g = globalThis as unknown as { location: { search: string }; document: { getElementById(id: string): { dataset: Record<string, string> } } };
    return g.document.getElementById("cards").dataset.state === g.location.search.slice(1);
  })).toBe(true);
  return shownSlugs(page);
}
const params = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

describe("prebuilt listing pages", () => {
  it("split every public integration over pages of PAGE_SIZE, in listing order, with the search data beside them", async () => {
    const listed = [...members].sort(byName);
    const pages = [await readFile(path.join(out, "index.html"), "utf8"), await readFile(path.join(out, "page/2/index.html"), "utf8"), await readFile(path.join(out, "page/3/index.html"), "utf8")];
    const onPage = pages.map((html) => [...html.matchAll(/<h2><a href="\/integrations\/([^/]+)\/">/g)].map((m) => m[1]));
    expect(onPage.map((p) => p.length)).toEqual([PAGE_SIZE, PAGE_SIZE, COUNT - 2 * PAGE_SIZE]);
    expect(onPage.flat()).toEqual(slugs(listed));
    for (const html of pages) expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    // each card says when it was last updated
    const first = listed[0]!;
    expect(pages[0]).toContain(`Updated <time datetime="${first.releasedOn}">${first.releasedOn}</time>`);
    const dataFile = /data-search="\/(search\/cards\.[0-9a-f]{10}\.json)"/.exec(pages[0]!)![1]!;
    const cards = decodeSearchData(await readFile(path.join(out, dataFile), "utf8"));
    expect(cards.map((c) => c.slug)).toEqual(slugs(listed));
    expect(cards.find((c) => c.slug === first.slug)).toMatchObject({ publisher: first.publisher, updated: first.releasedOn, types: first.handlerTypes, handlerWords: expect.arrayContaining([first.actionName]) });
    expect(pages.join("")).not.toContain("quiet-unlisted");
  });

  it("list everything without JavaScript, one page after another through the page links", async () => {
    const { page, requests, close } = await open("/", false);
    try {
      const seen: string[] = [];
      expect(await page.getByRole("search").isVisible()).toBe(false);
      for (let n = 1; ; n++) {
        seen.push(...(await shownSlugs(page)));
        expect(await page.locator("#count").textContent()).toContain(`page ${n} of 3`);
        const next = page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next" });
        if ((await next.count()) === 0) break;
        await next.click();
        await page.waitForURL(new RegExp(`/page/${n + 1}/$`));
      }
      expect(seen).toEqual(slugs([...members].sort(byName)));
      expect(requests.filter((r) => r.startsWith("/search/"))).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("search, filters and sorting in the browser", () => {
  it("loads nothing for search until the reader reaches for it, then matches name, publisher, handler and description words", async () => {
    const { page, errors, requests, close } = await open("/");
    try {
      expect(await shownSlugs(page)).toHaveLength(PAGE_SIZE);
      expect(requests.filter((r) => r.startsWith("/search/") || r.includes("listing-engine"))).toEqual([]);
      const box = page.getByRole("searchbox", { name: "Search" });
      // a publisher: every integration of Contoso, and no other
      await box.fill("contoso");
      const contoso = members.filter((m) => m.publisher === "Contoso Ltd");
      expect((await settled(page)).sort()).toEqual(slugs(contoso).sort());
      expect(requests.filter((r) => r.startsWith("/search/"))).toHaveLength(1);
      expect(params(page)).toEqual({ q: "contoso" });
      // a handler's display name ("Reads invoices from Initech"), the last word typed halfway; the
      // generator gives each of the first 120 members its own
      const target = members[42]!;
      const words = target.actionName.split(" ");
      await box.fill([...words.slice(0, -1), words.at(-1)!.slice(0, 3)].join(" "));
      expect(await settled(page)).toEqual([target.slug]);
      // a name, ranked first
      await box.fill(members[7]!.name);
      expect((await settled(page))[0]).toBe(members[7]!.slug);
      // a word only descriptions hold
      await box.fill("workflows");
      const workflows = members.filter((m) => m.description.includes("workflows"));
      expect((await settled(page)).sort()).toEqual(slugs(workflows).sort());
      expect(await page.locator("#count").textContent()).toBe(`Showing ${workflows.length} of ${COUNT} integrations.`);
      await box.fill("zebrafish");
      expect(await settled(page)).toEqual([]);
      expect(await page.locator("#empty").isVisible()).toBe(true);
      await page.getByRole("button", { name: "Clear search and filters" }).click();
      // the form redraws right after its reset event: wait for the plain URL before reading the list
      await expect.poll(() => new URL(page.url()).search).toBe("");
      expect(await settled(page)).toEqual(slugs([...members].sort(byName).slice(0, PAGE_SIZE)));
      expect(new URL(page.url()).search).toBe("");
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("filters by category, trust tier, auth and handler type, sorts by name or date, pages through results and restores all of it from the URL", async () => {
    const { page, errors, close } = await open("/");
    try {
      await page.getByLabel("Category").selectOption("iot");
      await page.getByLabel("Handler type").selectOption("event");
      const iotEvent = members.filter((m) => m.categories.includes("iot") && m.handlerTypes.includes("event"));
      expect((await settled(page)).sort()).toEqual(slugs(iotEvent).sort());
      await page.getByLabel("Category").selectOption("");
      await page.getByLabel("Handler type").selectOption("");
      await page.getByLabel("Trust tier").selectOption("community");
      await page.getByLabel("Auth").selectOption("oauth2");
      await page.getByLabel("Sort").selectOption("name");
      const filtered = members.filter((m) => m.trustTier === "community" && m.authType === "oauth2").sort(byName);
      expect(await settled(page)).toEqual(slugs(filtered));
      expect(params(page)).toEqual({ tier: "community", auth: "oauth2", sort: "name" });

      // recently updated: newest release first, across pages of results
      await page.getByLabel("Trust tier").selectOption("");
      await page.getByLabel("Auth").selectOption("");
      await page.getByLabel("Sort").selectOption("updated");
      const newest = [...members].sort((a, b) => b.releasedOn.localeCompare(a.releasedOn) || byName(a, b));
      expect(await settled(page)).toEqual(slugs(newest.slice(0, PAGE_SIZE)));
      expect(await page.locator("#count").textContent()).toBe(`Showing 1–${PAGE_SIZE} of ${COUNT} matching integrations (page 1 of 3).`);
      await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "2", exact: true }).click();
      expect(await settled(page)).toEqual(slugs(newest.slice(PAGE_SIZE, 2 * PAGE_SIZE)));
      expect(params(page)).toEqual({ sort: "updated", page: "2" });
      await page.goBack();
      expect(await settled(page)).toEqual(slugs(newest.slice(0, PAGE_SIZE)));
      expect(errors).toEqual([]);
    } finally {
      await close();
    }

    const linked = await open("/?q=contoso&type=timer&sort=name&page=1");
    try {
      const expected = members.filter((m) => m.publisher === "Contoso Ltd" && m.handlerTypes.includes("timer")).sort(byName);
      expect(await settled(linked.page)).toEqual(slugs(expected));
      expect(await linked.page.getByRole("searchbox", { name: "Search" }).inputValue()).toBe("contoso");
      expect(await linked.page.getByLabel("Handler type").inputValue()).toBe("timer");
      expect(await linked.page.getByLabel("Sort").inputValue()).toBe("name");
    } finally {
      await linked.close();
    }
  });
});

describe("when the search data cannot load", () => {
  it("says so, keeps the prebuilt page and its links, and tries again on the next keystroke", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    let refuse = true;
    await page.route("**/search/cards.*.json", (route) => (refuse ? route.abort() : route.continue()));
    try {
      await page.goto(`${origin}/`);
      await page.getByRole("searchbox", { name: "Search" }).fill("contoso");
      await expect.poll(() => page.locator("#count").textContent()).toBe("Search could not load. The page links below still list every integration.");
      expect(await shownSlugs(page)).toHaveLength(PAGE_SIZE);
      expect(await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next" }).count()).toBe(1);
      refuse = false;
      await page.getByRole("searchbox", { name: "Search" }).fill("contoso ");
      expect((await settled(page)).sort()).toEqual(slugs(members.filter((m) => m.publisher === "Contoso Ltd")).sort());
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("the page links", () => {
  it("read in light and dark and fit a phone, with the rest of the listing", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page, close } = await open("/page/2/", true, { viewport: { width: 390, height: 844 }, colorScheme });
      try {
        const pager = page.getByRole("navigation", { name: "Pages" });
        await pager.scrollIntoViewIfNeeded();
        expect(await pager.getByRole("link").allTextContents()).toEqual(["Previous", "1", "2", "3", "Next"]);
        expect(await pager.locator("[aria-current=page]").textContent()).toBe("2");
        expect(await page.evaluate(findLowContrast), colorScheme).toEqual([]);
        const overflow = await page.evaluate(() => {
          const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return d.scrollWidth - d.clientWidth;
        });
        expect(overflow, colorScheme).toBeLessThanOrEqual(0);
      } finally {
        await close();
      }
    }
  });
});
