/** In-memory Storage for tests and the harness: same semantics as SQLite, nothing on disk. */
import type { Clock, InstallStore, ListOptions, ListPage, Storage } from "./install-store.js";
import { systemClock } from "./install-store.js";
import { decodeCursor, encodeCursor, listLimit } from "./list-cursor.js";

type CacheEntry = { json: string; expiresAt: number | null };

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

class MemoryInstallStore implements InstallStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly containers = new Map<string, Map<string, string>>();

  constructor(private readonly clock: Clock) {}

  private live(key: string): CacheEntry | undefined {
    const entry = this.cache.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.clock.now()) {
      this.cache.delete(key);
      return undefined;
    }
    return entry;
  }

  async cacheGet(key: string) {
    const entry = this.live(key);
    return entry ? JSON.parse(entry.json) : null;
  }
  async cacheSet(key: string, value: unknown, ttlSeconds?: number) {
    this.cache.set(key, { json: JSON.stringify(value), expiresAt: ttlSeconds === undefined ? null : this.clock.now() + ttlSeconds * 1000 });
  }
  async cacheDelete(key: string) {
    const had = this.live(key) !== undefined;
    this.cache.delete(key);
    return had;
  }
  async cacheEntries() {
    const out: Record<string, unknown> = {};
    for (const key of [...this.cache.keys()].sort(compareKeys)) {
      const entry = this.live(key);
      if (entry) out[key] = JSON.parse(entry.json);
    }
    return out;
  }
  private container(name: string): Map<string, string> {
    let c = this.containers.get(name);
    if (!c) this.containers.set(name, (c = new Map()));
    return c;
  }
  async containerGet(name: string, key: string) {
    const json = this.containers.get(name)?.get(key);
    return json === undefined ? null : JSON.parse(json);
  }
  async containerSet(name: string, key: string, value: unknown) {
    this.container(name).set(key, JSON.stringify(value));
  }
  async containerDelete(name: string, key: string) {
    return this.containers.get(name)?.delete(key) ?? false;
  }
  async containerList(name: string, opts?: ListOptions): Promise<ListPage> {
    const prefix = opts?.prefix ?? "";
    const limit = listLimit(opts);
    const after = decodeCursor(name, prefix, opts?.cursor);
    const keys = [...(this.containers.get(name)?.keys() ?? [])]
      .filter((k) => k.startsWith(prefix) && (after === null || compareKeys(k, after) > 0))
      .sort(compareKeys);
    const page = keys.slice(0, limit);
    const items = page.map((key) => ({ key, value: JSON.parse(this.containers.get(name)!.get(key)!) }));
    return { items, cursor: keys.length > limit ? encodeCursor(name, prefix, page.at(-1)!) : null };
  }
  async containerEntries() {
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of [...this.containers.keys()].sort()) {
      const records = this.containers.get(name)!;
      if (records.size === 0) continue;
      out[name] = Object.fromEntries([...records.keys()].sort(compareKeys).map((k) => [k, JSON.parse(records.get(k)!)]));
    }
    return out;
  }
}

export function memoryStorage(clock: Clock = systemClock): Storage {
  const installs = new Map<string, MemoryInstallStore>();
  return {
    forInstall(installId) {
      let store = installs.get(installId);
      if (!store) installs.set(installId, (store = new MemoryInstallStore(clock)));
      return store;
    },
    close() {
      installs.clear();
    },
  };
}
