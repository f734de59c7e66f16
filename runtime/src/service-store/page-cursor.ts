/**
 * Keyset pagination over an increasing sequence number (or, for lists not kept in the store,
 * another key in sort order, such as a slug). The cursor is opaque to callers; one that
 * was not issued for this list is refused rather than silently listing something else.
 */
import { ServiceStoreError } from "./service-store-error.js";

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.trunc(limit ?? DEFAULT_PAGE)), MAX_PAGE);
}

export function encodePageCursor(list: string, key: number | string): string {
  return Buffer.from(JSON.stringify({ l: list, s: key }), "utf8").toString("base64url");
}

export function decodePageCursor(list: string, cursor: string | undefined): number | null {
  return decodeCursor(list, cursor, (key): key is number => Number.isSafeInteger(key));
}

export function decodeKeyCursor(list: string, cursor: string | undefined): string | null {
  return decodeCursor(list, cursor, (key): key is string => typeof key === "string");
}

function decodeCursor<K>(list: string, cursor: string | undefined, isKey: (key: unknown) => key is K): K | null {
  if (cursor === undefined || cursor === "") return null;
  try {
    const body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { l?: unknown; s?: unknown };
    if (body.l === list && isKey(body.s)) return body.s;
  } catch {
    // Falls through to the typed error below.
  }
  throw new ServiceStoreError("INVALID_CURSOR", "cursor is not one returned by this list", "Pass the `cursor` of the previous page unchanged, or none for the first page.");
}
