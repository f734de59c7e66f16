/**
 * The listing's search: the MiniSearch index over the cards, and the ordered, filtered cards a
 * listing state asks for. Pure; loaded by the browser only once the reader searches.
 */
import MiniSearch from "minisearch";
import type { CardData } from "../../../tooling/src/catalog/card-data.ts";
import type { ListingState } from "./listing-state.ts";

export type CardIndex = { cards: readonly CardData[]; search: MiniSearch<CardData>; position: Map<string, number> };

export function indexCards(cards: readonly CardData[]): CardIndex {
  const search = new MiniSearch<CardData>({
    idField: "slug",
    fields: ["name", "slug", "publisher", "description", "categories", "handlerWords"],
    extractField: (card, field) => {
      const value = card[field as keyof CardData];
      return Array.isArray(value) ? value.join(" ") : String(value);
    },
    // Every word must match (as the reader narrows down), the last one as a prefix while it is typed.
    searchOptions: { combineWith: "AND", prefix: (_term, i, terms) => i === terms.length - 1, boost: { name: 3, slug: 2, handlerWords: 1.5, publisher: 1.5, categories: 1.5 } },
  });
  search.addAll(cards);
  return { cards, search, position: new Map(cards.map((c, i) => [c.slug, i])) };
}

const byName = (a: CardData, b: CardData) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.slug.localeCompare(b.slug);

/** The matching cards in the order asked for; without a query, "best match" is the catalog's own order. */
export function runQuery(index: CardIndex, state: ListingState): CardData[] {
  const found = state.q ? index.search.search(state.q).map((r) => index.cards[index.position.get(r.id as string)!]!) : [...index.cards];
  const matches = found.filter(
    (c) =>
      (!state.category || c.categories.includes(state.category)) &&
      (!state.tier || c.trustTier === state.tier) &&
      (!state.auth || c.authType === state.auth) &&
      (!state.type || c.types.includes(state.type as CardData["types"][number])),
  );
  if (state.sort === "name") return matches.sort(byName);
  if (state.sort === "updated") return matches.sort((a, b) => b.updated.localeCompare(a.updated) || byName(a, b));
  return matches;
}
