/**
 * The browser side of search: fetches the search data once, indexes it with MiniSearch, and turns
 * a listing state into the HTML of the count line, the cards and the page links. Loaded by the
 * listing page on first use, as its own chunk, with MiniSearch.
 */
import { decodeSearchData } from "../../../tooling/src/catalog/search-data.ts";
import { cardHtml } from "./card-html.ts";
import { indexCards, runQuery } from "./listing-query.ts";
import { pageCount, PAGE_SIZE, writeState, type ListingState } from "./listing-state.ts";
import { pagerHtml } from "./pager-html.ts";

export type ListingView = { total: number; count: string; cards: string; pager: string };

export async function loadEngine(url: string): Promise<(state: ListingState, base: string) => ListingView> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`search data ${url}: HTTP ${response.status}`);
  const index = indexCards(decodeSearchData(await response.text()));
  return (state, base) => {
    const results = runQuery(index, state);
    const pages = pageCount(results.length);
    const page = Math.min(state.page, pages);
    const first = (page - 1) * PAGE_SIZE;
    const shown = results.slice(first, first + PAGE_SIZE);
    const count =
      results.length === 0
        ? `No match among ${index.cards.length} integrations.`
        : pages === 1
          ? `Showing ${results.length} of ${index.cards.length} integrations.`
          : `Showing ${first + 1}–${first + shown.length} of ${results.length} matching integrations (page ${page} of ${pages}).`;
    const hrefFor = (n: number) => `?${writeState({ ...state, page: n }).toString()}`;
    return { total: results.length, count, cards: shown.map((c) => cardHtml(c, base)).join(""), pager: pagerHtml(page, pages, hrefFor) };
  };
}
