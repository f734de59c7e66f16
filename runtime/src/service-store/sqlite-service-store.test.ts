import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { serviceStoreContract } from "./service-store-contract.js";
import { upgradesStoreContract } from "./service-store-upgrades-contract.js";
import type { Clock } from "../storage/install-store.js";
import { sqliteServiceStore } from "./sqlite-service-store.js";

const dir = mkdtempSync(path.join(tmpdir(), "ihub-service-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const freshFile = () => {
  const file = path.join(dir, `store-${++files}.sqlite`);
  return { open: async (clock: Clock) => sqliteServiceStore(file, clock) };
};
serviceStoreContract("sqlite", freshFile);
upgradesStoreContract("sqlite", freshFile);

it("applies each migration once, in WAL mode", async () => {
  const file = path.join(dir, "migrations.sqlite");
  await sqliteServiceStore(file).close();
  await sqliteServiceStore(file).close();
  const db = new Database(file, { readonly: true });
  expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
  db.close();
});
