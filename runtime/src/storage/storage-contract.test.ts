/**
 * One storage contract, run against every implementation: the in-memory store, SQLite on a real
 * database file in a temporary folder, and PostgreSQL on a throwaway cluster (a database each).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";
import { postgresServiceStore } from "../service-store/postgres-service-store.js";
import { fakeClock } from "./fake-clock.js";
import type { Clock, Storage } from "./install-store.js";
import { memoryStorage } from "./memory-storage.js";
import { sqliteStorage } from "./sqlite-storage.js";
import { StorageError } from "./storage-error.js";

const dir = mkdtempSync(path.join(tmpdir(), "ihub-storage-"));
let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

let files = 0;
const implementations: [string, (clock: Clock) => Promise<Storage>][] = [
  ["memory", async (clock) => memoryStorage(clock)],
  ["sqlite", async (clock) => sqliteStorage(path.join(dir, `store-${++files}.db`), clock)],
  [
    "postgres",
    async (clock) => {
      // The install data lives in the service store's database; closing the storage ends its pool.
      const store = await postgresServiceStore(await server.createDatabase(`storage_${++files}`), clock);
      return { forInstall: (id) => store.installData.forInstall(id), close: () => void store.close() };
    },
  ],
];

describe.each(implementations)("%s storage", (_name, open) => {
  const setup = async () => {
    const clock = fakeClock();
    const storage = await open(clock);
    return { clock, storage, store: storage.forInstall("install-a") };
  };

  describe("cache", () => {
    it("gets what was set, null for a missing key, and overwrites", async () => {
      const { store, storage } = await setup();
      expect(await store.cacheGet("k")).toBeNull();
      await store.cacheSet("k", { n: 1, list: [1, null, "x"], nested: { ok: true } });
      expect(await store.cacheGet("k")).toEqual({ n: 1, list: [1, null, "x"], nested: { ok: true } });
      await store.cacheSet("k", "second");
      expect(await store.cacheGet("k")).toBe("second");
      storage.close();
    });

    it("expires an entry when its TTL in seconds has passed on the store's clock", async () => {
      const { store, clock, storage } = await setup();
      await store.cacheSet("short", 1, 60);
      await store.cacheSet("forever", 2);
      clock.advance(59_999);
      expect(await store.cacheGet("short")).toBe(1);
      clock.advance(1);
      expect(await store.cacheGet("short")).toBeNull();
      clock.advance(365 * 24 * 3600 * 1000);
      expect(await store.cacheGet("forever")).toBe(2);
      storage.close();
    });

    it("a new set replaces the TTL, including with none", async () => {
      const { store, clock, storage } = await setup();
      await store.cacheSet("k", 1, 10);
      await store.cacheSet("k", 2);
      clock.advance(20_000);
      expect(await store.cacheGet("k")).toBe(2);
      storage.close();
    });

    it("delete reports whether a live entry was there; an expired one counts as absent", async () => {
      const { store, clock, storage } = await setup();
      await store.cacheSet("live", 1);
      await store.cacheSet("old", 1, 1);
      clock.advance(2_000);
      expect(await store.cacheDelete("live")).toBe(true);
      expect(await store.cacheDelete("live")).toBe(false);
      expect(await store.cacheDelete("old")).toBe(false);
      expect(await store.cacheDelete("never")).toBe(false);
      storage.close();
    });

    it("cacheEntries lists live entries in key order", async () => {
      const { store, clock, storage } = await setup();
      await store.cacheSet("b", 2);
      await store.cacheSet("a", 1);
      await store.cacheSet("gone", 0, 1);
      clock.advance(1_000);
      expect(Object.entries(await store.cacheEntries())).toEqual([
        ["a", 1],
        ["b", 2],
      ]);
      storage.close();
    });
  });

  describe("containers", () => {
    it("get, set, overwrite and delete records, per container", async () => {
      const { store, storage } = await setup();
      expect(await store.containerGet("notes", "n1")).toBeNull();
      await store.containerSet("notes", "n1", { text: "one" });
      await store.containerSet("other", "n1", { text: "elsewhere" });
      await store.containerSet("notes", "n1", { text: "uno" });
      expect(await store.containerGet("notes", "n1")).toEqual({ text: "uno" });
      expect(await store.containerGet("other", "n1")).toEqual({ text: "elsewhere" });
      expect(await store.containerDelete("notes", "n1")).toBe(true);
      expect(await store.containerDelete("notes", "n1")).toBe(false);
      expect(await store.containerGet("other", "n1")).toEqual({ text: "elsewhere" });
      storage.close();
    });

    it("lists keys in UTF-8 byte order, filtered by prefix", async () => {
      const { store, storage } = await setup();
      for (const k of ["user:b", "user:a", "team:x", "user:é", "user:Z", "user"]) await store.containerSet("c", k, { k });
      const all = await store.containerList("c");
      expect(all.items.map((i) => i.key)).toEqual(["team:x", "user", "user:Z", "user:a", "user:b", "user:é"]);
      expect(all.cursor).toBeNull();
      const users = await store.containerList("c", { prefix: "user:" });
      expect(users.items).toEqual([
        { key: "user:Z", value: { k: "user:Z" } },
        { key: "user:a", value: { k: "user:a" } },
        { key: "user:b", value: { k: "user:b" } },
        { key: "user:é", value: { k: "user:é" } },
      ]);
      storage.close();
    });

    it("treats a prefix literally: % and _ are not wildcards", async () => {
      const { store, storage } = await setup();
      for (const k of ["a%1", "ab", "a_2", "aX"]) await store.containerSet("c", k, 1);
      expect((await store.containerList("c", { prefix: "a%" })).items.map((i) => i.key)).toEqual(["a%1"]);
      expect((await store.containerList("c", { prefix: "a_" })).items.map((i) => i.key)).toEqual(["a_2"]);
      storage.close();
    });

    it("pages with limit and cursor until every key was seen exactly once", async () => {
      const { store, storage } = await setup();
      const keys = Array.from({ length: 23 }, (_, i) => `item:${String(i).padStart(2, "0")}`);
      for (const k of [...keys].reverse()) await store.containerSet("c", k, { i: k });
      await store.containerSet("c", "zzz-not-an-item", {});
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.containerList("c", { prefix: "item:", limit: 5, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((i) => i.key));
        cursor = page.cursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(keys);
      expect(pages).toBe(5);
      storage.close();
    });

    it("a cursor stays valid when the key it points after is deleted", async () => {
      const { store, storage } = await setup();
      for (const k of ["a", "b", "c", "d"]) await store.containerSet("c", k, 1);
      const first = await store.containerList("c", { limit: 2 });
      await store.containerDelete("c", "b");
      const next = await store.containerList("c", { limit: 2, cursor: first.cursor! });
      expect(next.items.map((i) => i.key)).toEqual(["c", "d"]);
      storage.close();
    });

    it("refuses a cursor from another container or prefix, or one that was altered", async () => {
      const { store, storage } = await setup();
      for (const k of ["p:1", "p:2", "p:3"]) await store.containerSet("c", k, 1);
      const { cursor } = await store.containerList("c", { prefix: "p:", limit: 1 });
      expect(cursor).toEqual(expect.any(String));
      const invalid = { name: "StorageError", code: "INVALID_CURSOR" };
      await expect(store.containerList("other", { prefix: "p:", cursor: cursor! })).rejects.toMatchObject(invalid);
      await expect(store.containerList("c", { prefix: "q:", cursor: cursor! })).rejects.toMatchObject(invalid);
      await expect(store.containerList("c", { prefix: "p:", cursor: cursor!.slice(0, -2) + "AA" })).rejects.toMatchObject(invalid);
      await expect(store.containerList("c", { prefix: "p:", cursor: "not base64url!" })).rejects.toMatchObject(invalid);
      storage.close();
    });

    it("refuses a limit outside 1..1000 with a message saying the range", async () => {
      const { store, storage } = await setup();
      for (const limit of [0, -1, 1001, 2.5]) {
        await expect(store.containerList("c", { limit })).rejects.toThrow(StorageError);
        await expect(store.containerList("c", { limit })).rejects.toThrow(/limit must be an integer from 1 to 1000/);
      }
      storage.close();
    });

    it("containerEntries lists every record by container and key", async () => {
      const { store, storage } = await setup();
      await store.containerSet("b", "2", { v: 2 });
      await store.containerSet("b", "1", { v: 1 });
      await store.containerSet("a", "x", "x");
      expect(await store.containerEntries()).toEqual({ a: { x: "x" }, b: { "1": { v: 1 }, "2": { v: 2 } } });
      storage.close();
    });
  });

  it("keeps installs apart: the same keys in two installs are two records", async () => {
    const { storage, store } = await setup();
    const other = storage.forInstall("install-b");
    await store.cacheSet("k", "a");
    await other.cacheSet("k", "b");
    await store.containerSet("c", "k", "a");
    await other.containerSet("c", "k", "b");
    expect([await store.cacheGet("k"), await other.cacheGet("k")]).toEqual(["a", "b"]);
    expect([await store.containerGet("c", "k"), await other.containerGet("c", "k")]).toEqual(["a", "b"]);
    await other.containerDelete("c", "k");
    await other.cacheDelete("k");
    expect(await store.containerList("c")).toEqual({ items: [{ key: "k", value: "a" }], cursor: null });
    expect(await store.cacheEntries()).toEqual({ k: "a" });
    storage.close();
  });
});

describe("sqlite storage on disk", () => {
  it("keeps cache and containers across close and reopen of the same file", async () => {
    const file = path.join(dir, "persist.db");
    const clock = fakeClock();
    const first = sqliteStorage(file, clock);
    await first.forInstall("i").cacheSet("k", { v: 1 }, 3600);
    await first.forInstall("i").containerSet("notes", "n", { text: "kept" });
    first.close();
    const second = sqliteStorage(file, clock);
    expect(await second.forInstall("i").cacheGet("k")).toEqual({ v: 1 });
    expect(await second.forInstall("i").containerGet("notes", "n")).toEqual({ text: "kept" });
    clock.advance(3600_000);
    expect(await second.forInstall("i").cacheGet("k")).toBeNull();
    second.close();
  });
});
