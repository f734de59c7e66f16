/**
 * Install-scoped state behind ctx.integration.cache* and ctx.integration.containers*. One
 * interface, two implementations: memory (tests, the harness) and SQLite (the runtime service).
 * Every method is scoped to the install the store was opened for; no call can name another install.
 */
export type Clock = { now(): number };
export const systemClock: Clock = { now: () => Date.now() };

export type ContainerItem = { key: string; value: unknown };
export type ListOptions = { prefix?: string; limit?: number; cursor?: string };
export type ListPage = { items: ContainerItem[]; cursor: string | null };

export interface InstallStore {
  cacheGet(key: string): Promise<unknown>;
  /** `ttlSeconds` undefined: kept until deleted. Expiry is measured on the store's clock. */
  cacheSet(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  cacheDelete(key: string): Promise<boolean>;
  /** Live (unexpired) cache entries, for test expectations and inspection. */
  cacheEntries(): Promise<Record<string, unknown>>;
  containerGet(name: string, key: string): Promise<unknown>;
  containerSet(name: string, key: string, value: unknown): Promise<void>;
  containerDelete(name: string, key: string): Promise<boolean>;
  /** Keys in byte order, from after the cursor, at most `limit` (default 100, max 1000). */
  containerList(name: string, opts?: ListOptions): Promise<ListPage>;
  /** Every record of every container: name -> key -> value. */
  containerEntries(): Promise<Record<string, Record<string, unknown>>>;
}

/** Opens install-scoped stores over one backing storage. */
export interface Storage {
  forInstall(installId: string): InstallStore;
  close(): void;
}

/** What one cache or container entry may hold, checked by the host before the store sees it. */
export const STORAGE_LIMITS = { keyChars: 512, valueBytes: 256 * 1024, maxTtlSeconds: 365 * 24 * 3600 } as const;

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;
