/** The listing's pure parts, on hostile and edge input: URL state, page links, card markup, install wording, search data. */
import { describe, expect, it } from "vitest";
import type { CardData } from "../../tooling/src/catalog/card-data.js";
import { decodeSearchData, encodeSearchData } from "../../tooling/src/catalog/search-data.js";
import { cardHtml } from "../src/lib/card-html.js";
import { installNote } from "../src/lib/install-note.js";
import { indexCards, runQuery } from "../src/lib/listing-query.js";
import { isPlainListing, pageCount, PAGE_SIZE, readState, writeState } from "../src/lib/listing-state.js";
import { pageNumbers, pagerHtml } from "../src/lib/pager-html.js";

const card = (over: Partial<CardData> = {}): CardData => ({
  slug: "alpha",
  name: "Alpha",
  publisher: "Acme",
  description: "Reads things.",
  trustTier: "community",
  authType: "api_key",
  categories: ["iot"],
  types: ["rpc"],
  handlerWords: ["get_status", "Get status"],
  handlerCount: 1,
  latestVersion: "1.0.0",
  updated: "2026-01-02",
  icon: "icons/alpha.0123456789.svg",
  url: "integrations/alpha/",
  deprecated: false,
  yanked: false,
  ...over,
});

describe("listing state in the URL", () => {
  it("reads what a link says and writes it back without defaults", () => {
    const state = readState(new URLSearchParams("q=%20sms%20&tier=community&sort=updated&page=3"));
    expect(state).toEqual({ q: "sms", category: "", tier: "community", auth: "", type: "", sort: "updated", page: 3 });
    expect(writeState(state).toString()).toBe("q=sms&tier=community&sort=updated&page=3");
    expect(writeState(readState(new URLSearchParams(""))).toString()).toBe("");
    expect(isPlainListing(readState(new URLSearchParams("page=4")))).toBe(true);
    expect(isPlainListing(readState(new URLSearchParams("sort=name")))).toBe(false);
  });

  it("falls back to the defaults for a hostile or mistyped sort and page", () => {
    for (const page of ["-3", "0", "1.5", "1e400", "abc", "", "9".repeat(400)]) expect(readState(new URLSearchParams({ page })).page, page).toBe(1);
    for (const sort of ["evil", "constructor", "__proto__", "toString", ""]) expect(readState(new URLSearchParams({ sort })).sort, sort).toBe("relevance");
  });
});

describe("page links", () => {
  it("keep the bar short at any size: first, last and two either side of the current page", () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(100, 209)).toEqual([1, "gap", 98, 99, 100, 101, 102, "gap", 209]);
    expect(pageNumbers(209, 209)).toEqual([1, "gap", 207, 208, 209]);
    expect(pagerHtml(1, 1, String)).toBe("");
    const html = pagerHtml(2, 3, (n) => `?q=a"b&page=${n}`);
    expect(html).toContain('rel="prev"');
    expect(html).toContain('rel="next"');
    expect(html).toContain('aria-current="page"');
    expect(html).not.toContain('a"b');
    expect(pageCount(0)).toBe(1);
    expect(pageCount(PAGE_SIZE + 1)).toBe(2);
  });
});

describe("a card", () => {
  it("escapes every text a manifest controls", () => {
    const html = cardHtml(card({ name: '<img src=x onerror="alert(1)">', publisher: "A & B", description: "</p><script>x</script>", categories: ['"><b>'] }), "/hub/");
    expect(html).not.toMatch(/<img src=x|<script>|"><b>/);
    expect(html).toContain("A &#38; B");
    expect(html).toContain('href="/hub/integrations/alpha/"');
    expect(html).toContain('<time datetime="2026-01-02">2026-01-02</time>');
    expect(cardHtml(card({ updated: "" }), "/")).not.toContain("Updated");
  });
});

describe("install wording", () => {
  it("says a ^0.x range stays on its minor and a ^N range on its major", () => {
    expect(installNote("beta@^0.4")).toBe("Takes 0.4.x patch releases only: before 1.0 a new minor may break, so 0.5.0 is not taken");
    expect(installNote("beta@^0.0")).toContain("0.0.x patch releases only");
    expect(installNote("weather@^2")).toBe("Takes every 2.x minor and patch release, never 3.0.0");
    expect(installNote("weather@2.1.0")).toBe("Pinned to this exact version");
  });
});

describe("search data and queries", () => {
  it("round-trips cards and refuses another format", () => {
    const cards = [card(), card({ slug: "beta", name: "Beta", deprecated: true })];
    expect(decodeSearchData(encodeSearchData(cards))).toEqual(cards);
    expect(() => decodeSearchData(JSON.stringify({ format: 2, fields: [], rows: [] }))).toThrow(/format 2/);
  });

  it("matches every word, the last as a prefix, ignores words every description holds, and sorts by rank", () => {
    const cards = [
      card({ slug: "b", name: "Bravo", updated: "2026-03-01", description: "Sends invoices for the team." }),
      card({ slug: "a", name: "alpha", updated: "2026-01-01", description: "Reads invoices for the team.", trustTier: "first_party" }),
      card({ slug: "c", name: "Charlie", updated: "2026-02-01", description: "Reads orders.", handlerWords: ["refund_payment"] }),
    ];
    const index = indexCards(cards);
    const slugs = (q: string) => runQuery(index, readState(new URLSearchParams(q))).map((c) => c.slug);
    expect(slugs("q=reads+invo")).toEqual(["a"]);
    expect(slugs("q=refund")).toEqual(["c"]);
    expect(slugs("q=invoices+for+the")).toEqual(expect.arrayContaining(["a", "b"]));
    expect(slugs("sort=name")).toEqual(["a", "b", "c"]);
    expect(slugs("sort=updated")).toEqual(["b", "c", "a"]);
    expect(slugs("tier=first_party")).toEqual(["a"]);
    expect(slugs("q=zebra")).toEqual([]);
  });
});
