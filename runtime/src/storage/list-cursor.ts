/**
 * Opaque list cursors. A cursor names the container, prefix and last key it was issued for; one
 * that was altered, forged or reused with another container or prefix is refused with
 * INVALID_CURSOR rather than silently listing something else.
 */
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type ListOptions, type ListPage } from "./install-store.js";
import { StorageError } from "./storage-error.js";

type CursorBody = { c: string; p: string; k: string };

export function encodeCursor(container: string, prefix: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ c: container, p: prefix, k: lastKey } satisfies CursorBody), "utf8").toString("base64url");
}

/** The key to continue after, or null when listing starts at the beginning. */
export function decodeCursor(container: string, prefix: string, cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === "") return null;
  const invalid = () => new StorageError("INVALID_CURSOR", "cursor is not one returned by containersList for this container and prefix");
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!body || typeof body !== "object") throw invalid();
  const { c, p, k } = body as Partial<CursorBody>;
  if (c !== container || p !== prefix || typeof k !== "string" || !k.startsWith(prefix)) throw invalid();
  return k;
}

export function listLimit(opts: ListOptions | undefined): number {
  const limit = opts?.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new StorageError("INVALID_ARGUMENT", `limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${String(limit)}`);
  }
  return limit;
}

/** A page of `limit` records from `rows`, which a store reads one past the limit to know whether more follow. */
export function recordPage(container: string, prefix: string, rows: readonly { key: string; value: string }[], limit: number): ListPage {
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown })),
    cursor: rows.length > limit ? encodeCursor(container, prefix, page.at(-1)!.key) : null,
  };
}
