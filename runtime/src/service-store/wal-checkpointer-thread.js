// Body of the WAL checkpointer thread (see wal-checkpointer.ts), in JavaScript because a thread
// starts without its parent's loader hooks. It copies committed WAL frames into the database file
// on its own connection, so that work and its fsyncs never stall the service's event loop.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const db = new Database(workerData.file);
const checkpoint = () => {
  try {
    // PASSIVE never waits for the writer or readers: what it cannot copy now, the next round does.
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Another connection holds the checkpoint lock: it is doing this work already.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
