/**
 * What one card of the listing shows and what search matches, derived once from a catalog entry:
 * the prebuilt listing pages and the browser's search results both render cards from this shape,
 * so a card looks the same however the reader reached it. Browser-safe (no Node imports).
 */
import type { SiteIntegration } from "./site-data.js";

export type HandlerType = SiteIntegration["handlers"][number]["type"];

export type CardData = {
  slug: string;
  name: string;
  publisher: string;
  description: string;
  trustTier: SiteIntegration["trustTier"];
  authType: SiteIntegration["auth"]["type"];
  categories: string[];
  /** Handler types present, in rpc, timer, event order. */
  types: HandlerType[];
  /** Handler names and display names: what search matches besides the visible text. */
  handlerWords: string[];
  handlerCount: number;
  latestVersion: string;
  /** `YYYY-MM-DD` of the latest version (publish time or CHANGELOG date), empty when unknown. */
  updated: string;
  icon: string;
  url: string;
  deprecated: boolean;
  yanked: boolean;
};

const TYPE_ORDER: readonly HandlerType[] = ["rpc", "timer", "event"];

/** When the integration last changed for a reader: the date of the version its page describes. */
export function lastUpdated(item: Pick<SiteIntegration, "versions" | "latestVersion">): string {
  return (item.versions.find((v) => v.version === item.latestVersion)?.date ?? "").slice(0, 10);
}

export function cardData(item: SiteIntegration): CardData {
  const present = new Set(item.handlers.map((h) => h.type));
  return {
    slug: item.slug,
    name: item.name,
    publisher: item.publisher,
    description: item.description,
    trustTier: item.trustTier,
    authType: item.auth.type,
    categories: item.categories,
    types: TYPE_ORDER.filter((t) => present.has(t)),
    handlerWords: [...new Set(item.handlers.flatMap((h) => [h.name, h.displayName]))],
    handlerCount: item.handlers.length,
    latestVersion: item.latestVersion,
    updated: lastUpdated(item),
    icon: item.icon,
    url: item.url,
    deprecated: Boolean(item.deprecated),
    yanked: item.yanked,
  };
}
