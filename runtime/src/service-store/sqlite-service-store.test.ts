import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { serviceStoreContract } from "./service-store-contract.js";
import { sqliteServiceStore } from "./sqlite-service-store.js";

const dir = mkdtempSync(path.join(tmpdir(), "ihub-service-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

serviceStoreContract("sqlite", () => {
  const file = path.join(dir, `store-${++files}.sqlite`);
  return { open: async (clock) => sqliteServiceStore(file, clock) };
});

it("applies each migration once, in WAL mode", async () => {
  const file = path.join(dir, "migrations.sqlite");
  (await sqliteServiceStore(file)).close();
  (await sqliteServiceStore(file)).close();
  const db = new Database(file, { readonly: true });
  expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual([{ version: 1 }, { version: 2 }]);
  db.close();
});
