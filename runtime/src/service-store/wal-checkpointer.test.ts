import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { startWalCheckpointer } from "./wal-checkpointer.js";

const dir = mkdtempSync(path.join(tmpdir(), "ihub-wal-checkpointer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("takes checkpoints off the writing connection and copies every committed frame before it stops", async () => {
  const file = path.join(dir, "db.sqlite");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const checkpointer = startWalCheckpointer(db, file, 60_000);
  expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
  db.exec("CREATE TABLE t (x TEXT)");
  const insert = db.prepare("INSERT INTO t VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run("x".repeat(200));
  })();
  // The rows are committed, but only in the WAL: no checkpoint has run yet.
  expect(statSync(file).size).toBeLessThan(100_000);
  await checkpointer.stop();
  expect(statSync(file).size).toBeGreaterThan(400_000);
  db.close();
});
