/**
 * What the reader asked the listing for (search, filters, sort, page), read from and written to
 * the query string so a view can be linked and survives a reload. Small and free of the search
 * code, since every listing page loads it.
 */
/** Cards per listing page, prebuilt or searched: about 45 KB of HTML, half the page budget. */
export const PAGE_SIZE = 48;

export const SORTS = { relevance: "Best match", name: "Name", updated: "Recently updated" } as const;
export type Sort = keyof typeof SORTS;

export type ListingState = { q: string; category: string; tier: string; auth: string; type: string; sort: Sort; page: number };

const FILTERS = ["category", "tier", "auth", "type"] as const;

export function readState(params: URLSearchParams): ListingState {
  const sort = params.get("sort") ?? "";
  const page = Number(params.get("page"));
  return {
    q: (params.get("q") ?? "").trim(),
    category: params.get("category") ?? "",
    tier: params.get("tier") ?? "",
    auth: params.get("auth") ?? "",
    type: params.get("type") ?? "",
    sort: Object.hasOwn(SORTS, sort) ? (sort as Sort) : "relevance",
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string of a state, defaults left out, so the plain listing has a plain URL. */
export function writeState(state: ListingState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const f of FILTERS) if (state[f]) params.set(f, state[f]);
  if (state.sort !== "relevance") params.set("sort", state.sort);
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

/** No search, filter or sort: the prebuilt page already shows what the reader asked for. */
export function isPlainListing(state: ListingState): boolean {
  return !state.q && FILTERS.every((f) => !state[f]) && state.sort === "relevance";
}

export function pageCount(results: number): number {
  return Math.max(1, Math.ceil(results / PAGE_SIZE));
}
