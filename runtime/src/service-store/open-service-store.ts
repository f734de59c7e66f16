/**
 * The one place a `--db` value picks the storage engine: a postgres:// (or postgresql://) URL opens
 * the PostgreSQL store a fleet shares, anything else is a SQLite file (resolved against `root`).
 */
import path from "node:path";
import { systemClock, type Clock } from "../storage/install-store.js";
import { postgresServiceStore } from "./postgres-service-store.js";
import type { ServiceStore } from "./service-store.js";
import { sqliteServiceStore } from "./sqlite-service-store.js";

export type DatabaseLocation = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export function parseDatabaseLocation(root: string, db: string): DatabaseLocation {
  return /^postgres(ql)?:/.test(db) ? { kind: "postgres", url: db } : { kind: "sqlite", file: path.resolve(root, db) };
}

/** `onQueueError` hears the PostgreSQL queue's background failures (the SQLite store has none). */
export async function openServiceStore(location: DatabaseLocation, clock: Clock = systemClock, onQueueError?: (error: Error) => void): Promise<ServiceStore> {
  return location.kind === "sqlite" ? sqliteServiceStore(location.file, clock) : postgresServiceStore(location.url, clock, onQueueError);
}
