/**
 * The file the catalog's search loads: every listed card as a row of values in a fixed field
 * order, so no key is repeated ten thousand times, and nothing a card does not show. The browser
 * builds its MiniSearch index from these rows when the reader first searches or filters.
 * Browser-safe (no Node imports): the site's script decodes with the same module that encodes.
 */
import type { CardData } from "./card-data.js";

export const SEARCH_DATA_FORMAT = 1;

const FIELDS = [
  "slug",
  "name",
  "publisher",
  "description",
  "trustTier",
  "authType",
  "categories",
  "types",
  "handlerWords",
  "handlerCount",
  "latestVersion",
  "updated",
  "icon",
  "url",
  "deprecated",
  "yanked",
] as const satisfies readonly (keyof CardData)[];

export type SearchData = { format: typeof SEARCH_DATA_FORMAT; fields: readonly string[]; rows: unknown[][] };

export function encodeSearchData(cards: readonly CardData[]): string {
  const data: SearchData = { format: SEARCH_DATA_FORMAT, fields: FIELDS, rows: cards.map((card) => FIELDS.map((f) => card[f])) };
  return JSON.stringify(data);
}

/** Rows back to cards; the file is content-hashed and read by the page of the same build. */
export function decodeSearchData(text: string): CardData[] {
  const data = JSON.parse(text) as SearchData;
  if (data.format !== SEARCH_DATA_FORMAT) throw new Error(`search data format ${String(data.format)} is not ${SEARCH_DATA_FORMAT}`);
  return data.rows.map((row) => Object.fromEntries(data.fields.map((f, i) => [f, row[i]])) as CardData);
}
