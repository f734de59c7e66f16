/**
 * The listing's search: the MiniSearch index over the cards, and the ordered, filtered cards a
 * listing state asks for. Pure; loaded by the browser only once the reader searches.
 */
import MiniSearch from "minisearch";
import type { CardData } from "../../../tooling/src/catalog/card-data.ts";
import type { ListingState } from "./listing-state.ts";

export type CardIndex = {
  cards: readonly CardData[];
  search: MiniSearch<CardData>;
  position: Map<string, number>;
  /** Each card's place in name order and in newest-first order, computed once so a sort is a numeric one. */
  rank: { name: Int32Array; updated: Int32Array };
};

/**
 * Words nearly every description holds: indexing them makes a query like "sync for teams" AND
 * together posting lists of every card, for no narrowing at all.
 */
const STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "with", "you", "your"]);

function ranks(order: number[]): Int32Array {
  const rank = new Int32Array(order.length);
  order.forEach((card, place) => (rank[card] = place));
  return rank;
}

export function indexCards(cards: readonly CardData[]): CardIndex {
  const search = new MiniSearch<CardData>({
    idField: "slug",
    fields: ["name", "slug", "publisher", "description", "categories", "handlerWords"],
    extractField: (card, field) => {
      const value = card[field as keyof CardData];
      return Array.isArray(value) ? value.join(" ") : String(value);
    },
    processTerm: (term) => {
      const word = term.toLowerCase();
      return STOP_WORDS.has(word) ? null : word;
    },
    // Every word must match (as the reader narrows down), the last one as a prefix while it is typed.
    searchOptions: { combineWith: "AND", prefix: (_term, i, terms) => i === terms.length - 1, boost: { name: 3, slug: 2, handlerWords: 1.5, publisher: 1.5, categories: 1.5 } },
  });
  search.addAll(cards);
  const collator = new Intl.Collator("en", { sensitivity: "base" });
  const all = cards.map((_, i) => i);
  const nameOrder = [...all].sort((a, b) => collator.compare(cards[a]!.name, cards[b]!.name) || (cards[a]!.slug < cards[b]!.slug ? -1 : 1));
  const name = ranks(nameOrder);
  const updatedOrder = [...all].sort((a, b) => (cards[a]!.updated < cards[b]!.updated ? 1 : cards[a]!.updated > cards[b]!.updated ? -1 : name[a]! - name[b]!));
  return { cards, search, position: new Map(cards.map((c, i) => [c.slug, i])), rank: { name, updated: ranks(updatedOrder) } };
}

/** The matching cards in the order asked for; without a query, "best match" is the catalog's own order. */
export function runQuery(index: CardIndex, state: ListingState): CardData[] {
  const { cards } = index;
  const found = state.q ? index.search.search(state.q).map((r) => index.position.get(r.id as string)!) : cards.map((_, i) => i);
  const matches = found.filter((i) => {
    const c = cards[i]!;
    return (
      (!state.category || c.categories.includes(state.category)) &&
      (!state.tier || c.trustTier === state.tier) &&
      (!state.auth || c.authType === state.auth) &&
      (!state.type || c.types.includes(state.type as CardData["types"][number]))
    );
  });
  if (state.sort !== "relevance") {
    const rank = index.rank[state.sort];
    matches.sort((a, b) => rank[a]! - rank[b]!);
  }
  return matches.map((i) => cards[i]!);
}
