/**
 * Checkpoints of the service database on a thread of their own. SQLite's automatic checkpoint
 * runs inside the commit that crosses its threshold, copying pages and syncing both files on the
 * event loop that answers requests: under load that is the slowest commit by far. Here the
 * connection that writes stops checkpointing, and a thread does it every `intervalMs`. Nothing
 * about durability changes: a commit is in the WAL either way, and a restart reads the WAL.
 */
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

const THREAD = new URL("./wal-checkpointer-thread.js", import.meta.url);
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export function startWalCheckpointer(db: Database.Database, file: string, intervalMs = 200): { stop(): Promise<void> } {
  db.pragma("wal_autocheckpoint = 0");
  const thread = new Worker(THREAD, { workerData: { file, intervalMs } });
  // Never what keeps the process alive; stop() ends it.
  thread.unref();
  let running = true;
  const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
  // A thread that could not start or died hands checkpoints back to the writing connection, so the WAL never grows without bound.
  thread.once("error", () => {
    running = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  });
  return {
    async stop() {
      if (running) {
        // Held open until the thread has made its last checkpoint and closed its connection.
        thread.ref();
        thread.postMessage("stop");
      }
      running = false;
      await exited;
    },
  };
}
