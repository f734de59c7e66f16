/** The catalog data of this build, read once. */
import { readFileSync } from "node:fs";
import { base, dataFile } from "virtual:ihub-catalog-data";
import type { SiteData, SiteIntegration } from "../../../tooling/src/catalog/site-data.ts";

import { cardData, type CardData } from "../../../tooling/src/catalog/card-data.ts";
import { underBase } from "./html.ts";

export { authLabels, handlerTypeLabels, tierLabels, tierNotes } from "./labels.ts";

let data: SiteData | undefined;

export function catalog(): SiteData {
  // Written by buildCatalog from typed values a moment ago, so it is not validated again: a
  // second zod pass over a thousand entries would only add build time.
  return (data ??= JSON.parse(readFileSync(dataFile, "utf8")) as SiteData);
}

/** Integrations shown in the listing, search and sitemap: public only, in listing order. */
export function listed(): SiteIntegration[] {
  return catalog().integrations.filter((i) => i.visibility === "public");
}

let cards: CardData[] | undefined;

/** The listed integrations as cards, in listing order: what the listing pages and the search data hold. */
export function listedCards(): CardData[] {
  return (cards ??= listed().map(cardData));
}

export function bySlug(slug: string): SiteIntegration | undefined {
  return catalog().integrations.find((i) => i.slug === slug);
}

/** A site-relative path under the configured base. */
export function href(path: string): string {
  return underBase(base, path);
}

export function shortDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : "—";
}

export function formatValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "";
}

/**
 * A description as written in a manifest: plain text in which `backticks` mark code, the one
 * Markdown habit descriptions have. Odd parts are code; nothing else is interpreted.
 */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  return text.split(/`([^`]+)`/).map((part, i) => ({ text: part, code: i % 2 === 1 }));
}
